//! The WCXB part of `newsarc eval`: every WCXB page (seven labelled kinds) and every article
//! of the trafilatura and readability halves, extracted and classified; a confusion matrix,
//! article precision and recall (parsed kinds vs the gold "article"), WCXB body and metadata
//! scores ([`super::wcxb`]), and optionally the feature vectors as JSON lines for
//! `scripts/train_kind.py`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use newsarc::extract::{ExtractInput, ExtractOptions, extract, kind};
use newsarc::model::PageKind;
use newsarc::selectors::RuleSet;
use rayon::prelude::*;
use serde::Deserialize;

use super::devset;
use super::wcxb::WcxbScores;

/// One labelled page.
struct Case {
    /// `wcxb`, `trafilatura` or `readability`.
    set: &'static str,
    id: String,
    url: String,
    path: PathBuf,
    /// The gold kind, as the set names it (`article`, `collection`, ...).
    gold: String,
}

#[derive(Deserialize)]
struct WcxbEntry {
    id: String,
    url: Option<String>,
    page_type: String,
}

fn cases(devset_dir: &Path) -> anyhow::Result<Vec<Case>> {
    let index = devset_dir.join("wcxb/index.json");
    let text = std::fs::read_to_string(&index)
        .with_context(|| format!("cannot read {} (pass --devset DIR)", index.display()))?;
    let entries: Vec<WcxbEntry> =
        serde_json::from_str(&text).with_context(|| format!("{}: bad index", index.display()))?;
    let mut out: Vec<Case> = entries
        .into_iter()
        .map(|e| Case {
            set: "wcxb",
            path: devset_dir.join(format!("wcxb/html/{}.html.gz", e.id)),
            url: e
                .url
                .unwrap_or_else(|| format!("http://devset.invalid/wcxb/{}.html", e.id)),
            id: e.id,
            gold: e.page_type,
        })
        .collect();
    // Trafilatura pages with a real URL (the others have none to read a shape from).
    let pages = devset_dir.join("trafilatura/pages");
    for c in devset::trafilatura(devset_dir)? {
        if !c.url.starts_with("http://devset.invalid/") {
            out.push(Case {
                set: "trafilatura",
                path: pages.join(&c.file),
                id: c.file,
                url: c.url,
                gold: "article".into(),
            });
        }
    }
    for c in devset::readability(devset_dir)? {
        out.push(Case {
            set: "readability",
            path: c.dir.join("source.html"),
            id: c.name,
            url: c.url,
            gold: "article".into(),
        });
    }
    Ok(out)
}

fn read_page(path: &Path) -> anyhow::Result<Vec<u8>> {
    let raw = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let coding = raw.starts_with(&[0x1f, 0x8b]).then_some("gzip");
    newsarc::codec::decode_body(coding, &raw, 1 << 30)
        .with_context(|| format!("{}: bad gzip", path.display()))
}

/// One classified page.
struct Classified {
    article: newsarc::model::Article,
    features: Option<kind::Features>,
    /// Whether the URL the page was classified with is its own (false: a readability case
    /// without a canonical link, classified under its site's home page). The trainer treats
    /// the URL features of such pages as unknown.
    own_url: bool,
}

fn classify(
    c: &Case,
    rules: &RuleSet,
    opts: &ExtractOptions,
    want_features: bool,
) -> anyhow::Result<Classified> {
    let body = read_page(&c.path)?;
    let opts = ExtractOptions {
        keep_kind_features: want_features,
        ..opts.clone()
    };
    let mut ex = extract(&ExtractInput::new(&body, &c.url), rules, &opts);
    let mut own_url = c.set != "readability";
    // Readability cases carry only the site's home page: use the page's own canonical URL,
    // as a crawler would have fetched it from there.
    if c.set == "readability"
        && let Some(canon) = ex.article.canonical_url.clone()
        && canon != c.url
    {
        ex = extract(&ExtractInput::new(&body, &canon), rules, &opts);
        own_url = true;
    }
    Ok(Classified {
        article: ex.article,
        features: ex.kind_features,
        own_url,
    })
}

/// Scores of one run, for the floors.
pub struct KindScores {
    pub article_precision: f64,
    pub article_recall: f64,
    /// Share of WCXB pages whose kind matches the gold (collection counts as listing).
    pub accuracy: f64,
    /// WCXB body and metadata scores of the same extractions.
    pub wcxb: WcxbScores,
}

/// The gold kind of a set's label (WCXB's `collection` is our `listing`).
fn gold_kind(label: &str) -> Option<PageKind> {
    match label {
        "collection" => Some(PageKind::Listing),
        l => PageKind::from_name(l),
    }
}

/// Classify every case, print the confusion matrix and article precision/recall, and write the
/// features to `features_out` when given.
pub fn run(
    devset_dir: &Path,
    rules: &RuleSet,
    opts: &ExtractOptions,
    features_out: Option<&Path>,
    wcxb_pred_out: Option<&Path>,
) -> anyhow::Result<KindScores> {
    let cases = cases(devset_dir)?;
    let results: Vec<anyhow::Result<Classified>> = cases
        .par_iter()
        .map(|c| classify(c, rules, opts, features_out.is_some()))
        .collect();
    if let Some(p) = features_out {
        write_features(p, &cases, &results)?;
    }
    let mut labels: Vec<&str> = Vec::new();
    for c in &cases {
        if !labels.contains(&c.gold.as_str()) {
            labels.push(&c.gold);
        }
    }
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    let (mut wcxb_ok, mut wcxb_n) = (0usize, 0usize);
    let mut wcxb = WcxbScores::default();
    let mut pred = match wcxb_pred_out {
        Some(p) => Some(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => None,
    };
    let mut matrix = vec![[0usize; PageKind::ALL.len() + 1]; labels.len()];
    for (c, r) in cases.iter().zip(&results) {
        let got = match r {
            Ok(k) => Some(k.article.page_kind),
            Err(e) => {
                eprintln!("newsarc eval: {e:#}");
                None
            }
        };
        let row = labels.iter().position(|l| *l == c.gold).unwrap_or(0);
        let col = got.map_or(PageKind::ALL.len(), |k| k as usize);
        matrix[row][col] += 1;
        let gold_article = c.gold == "article";
        let said_article = got.is_some_and(PageKind::is_parsed);
        match (gold_article, said_article) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fneg += 1,
            _ => {}
        }
        if c.set == "wcxb" {
            let article = r.as_ref().ok().map(|k| &k.article);
            wcxb.add(
                &devset_dir.join(format!("wcxb/ground-truth/{}.json", c.id)),
                article,
            );
            if let (Some(w), Some(a)) = (pred.as_mut(), article) {
                let line = serde_json::json!({
                    "source": format!("{}.html", c.id), "body": a.body, "title": a.title,
                    "authors": a.authors, "published": a.published.map(|d| d.to_rfc3339()),
                    "modified": a.modified.map(|d| d.to_rfc3339()),
                    "page_kind": a.page_kind.name(), "fields_from": a.fields_from,
                });
                writeln!(w, "{line}").context("cannot write WCXB predictions")?;
            }
            wcxb_n += 1;
            let same = match gold_kind(&c.gold) {
                Some(PageKind::Article) => said_article,
                g => g == got,
            };
            wcxb_ok += usize::from(same);
        }
    }
    if let Some(mut w) = pred {
        w.flush().context("cannot write WCXB predictions")?;
    }
    print_matrix(&labels, &matrix);
    wcxb.print();
    let scores = KindScores {
        article_precision: super::score::ratio(tp, tp + fp),
        article_recall: super::score::ratio(tp, tp + fneg),
        accuracy: super::score::ratio(wcxb_ok, wcxb_n),
        wcxb,
    };
    println!(
        "page kinds: article (parsed kinds) precision {:.3} recall {:.3} ({tp} true, {fp} false, {fneg} missed); WCXB kind accuracy {:.3} ({wcxb_ok}/{wcxb_n})",
        scores.article_precision, scores.article_recall, scores.accuracy
    );
    Ok(scores)
}

fn print_matrix(labels: &[&str], matrix: &[[usize; PageKind::ALL.len() + 1]]) {
    let used: Vec<usize> = (0..=PageKind::ALL.len())
        .filter(|&k| matrix.iter().any(|r| r[k] > 0))
        .collect();
    let name = |k: usize| PageKind::ALL.get(k).map_or("failed", |k| k.name());
    let short = |s: &str| s.chars().take(7).collect::<String>();
    print!("{:<14}", "gold \\ got");
    for &k in &used {
        print!(" {:>7}", short(name(k)));
    }
    println!();
    for (l, row) in labels.iter().zip(matrix) {
        print!("{l:<14}");
        for &k in &used {
            print!(" {:>7}", row[k]);
        }
        println!();
    }
}

fn write_features(
    path: &Path,
    cases: &[Case],
    results: &[anyhow::Result<Classified>],
) -> anyhow::Result<()> {
    let f =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut w = std::io::BufWriter::new(f);
    let names: Vec<String> = (0..kind::features::LEN).map(kind::features::name).collect();
    writeln!(w, "{}", serde_json::json!({ "feature_names": names }))?;
    for (c, r) in cases.iter().zip(results) {
        if let Ok(Classified {
            features: Some(x),
            own_url,
            ..
        }) = r
        {
            let line = serde_json::json!({
                "set": c.set, "id": c.id, "url": c.url, "label": c.gold, "own_url": own_url,
                "features": x.0,
            });
            writeln!(w, "{line}")?;
        }
    }
    w.flush()
        .with_context(|| format!("cannot write {}", path.display()))
}
