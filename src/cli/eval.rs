//! `newsarc eval`: score extraction on the development set and enforce floors.
//!
//! Trafilatura half: scored exactly as `devset/score_trafilatura.py` (body snippets micro-F1,
//! title / date / author accuracy). Readability half: bag-of-words F1 of the body against the
//! text of `expected.html` (averaged over pages), title equality after whitespace folding, and
//! byline containment, publication day (`publishedTime`, UTC or local day). With `--kinds`,
//! WCXB body and metadata scores and the page-kind confusion matrix (`kinds.rs`, `wcxb.rs`).
//! Pages are extracted on all cores.

mod devset;
mod kinds;
mod score;
mod wcxb;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use newsarc::extract::{ExtractInput, ExtractOptions, extract, text};
use newsarc::model::Article;
use newsarc::selectors::RuleSet;
use rayon::prelude::*;
use serde::Deserialize;

use super::Exit;
use score::{TrafCounts, bow_f1, fold, norm, score_traf};

/// Score extraction against the development set and enforce quality floors.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsarc eval --devset ../shared/devset
  newsarc eval --devset ../shared/devset --no-site-rules --floors eval-floors-generic.toml
  newsarc eval --kinds --wcxb-pred-out wcxb.jsonl        # WCXB scores and page kinds too")]
pub struct Args {
    /// The devset folder (holds `trafilatura/` and `readability/`).
    #[arg(long, default_value = "../shared/devset")]
    pub devset: PathBuf,
    /// Folder of site selector configs.
    #[arg(long, default_value = "selectors")]
    pub selectors: PathBuf,
    /// Ignore site selector configs.
    #[arg(long)]
    pub no_site_rules: bool,
    /// A TOML file of minimum scores; exit 1 when any score is below its floor.
    #[arg(long)]
    pub floors: Option<PathBuf>,
    /// Also write the trafilatura-half predictions as JSON lines (for score_trafilatura.py).
    #[arg(long)]
    pub pred_out: Option<PathBuf>,
    /// Also extract every WCXB page (`DEVSET/wcxb/`): body F1 per page type, title, date and
    /// author as `score_wcxb.py` scores them, and the page kind of those pages and of the
    /// articles, with a confusion matrix and article precision/recall.
    #[arg(long)]
    pub kinds: bool,
    /// Write the WCXB predictions as JSON lines (implies `--kinds`), for `score_wcxb.py`.
    #[arg(long)]
    pub wcxb_pred_out: Option<PathBuf>,
    /// Write the page-kind features of those pages as JSON lines (implies `--kinds`), the
    /// input of `scripts/train_kind.py`.
    #[arg(long)]
    pub kind_features_out: Option<PathBuf>,
    /// Print each metadata miss (field, page, expected, got) to stderr.
    #[arg(long)]
    pub misses: bool,
}

/// One readability page: body F1, then title, byline and date matches (None: no gold).
struct ReadScore {
    body: f64,
    title: Option<bool>,
    byline: Option<bool>,
    date: Option<bool>,
}

/// Minimum scores (`eval-floors.toml`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Floors {
    #[serde(default)]
    trafilatura: TrafFloors,
    #[serde(default)]
    readability: ReadFloors,
    #[serde(default)]
    kinds: KindFloors,
    #[serde(default)]
    wcxb: WcxbFloors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct WcxbFloors {
    body_f1: Option<f64>,
    article_body_f1: Option<f64>,
    title: Option<f64>,
    date: Option<f64>,
    author: Option<f64>,
    /// Body F1 per WCXB page type (`[wcxb.types]`: `listing = 0.74`).
    #[serde(default)]
    types: std::collections::BTreeMap<String, f64>,
}

/// The WCXB page types a `[wcxb.types]` floor may name.
const WCXB_TYPES: [&str; 7] = [
    "article",
    "collection",
    "documentation",
    "forum",
    "listing",
    "product",
    "service",
];

impl Floors {
    /// The floors file's mistakes that serde cannot see: an unknown WCXB page type.
    fn check(&self) -> Result<(), String> {
        match self
            .wcxb
            .types
            .keys()
            .find(|t| !WCXB_TYPES.contains(&t.as_str()))
        {
            Some(t) => Err(format!(
                "[wcxb.types]: unknown page type {t:?} (one of {})",
                WCXB_TYPES.join(", ")
            )),
            None => Ok(()),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct KindFloors {
    article_precision: Option<f64>,
    article_recall: Option<f64>,
    accuracy: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrafFloors {
    body_f1: Option<f64>,
    title: Option<f64>,
    date: Option<f64>,
    author: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadFloors {
    body_f1: Option<f64>,
    title: Option<f64>,
    byline: Option<f64>,
    date: Option<f64>,
}

fn run_one(
    path: &Path,
    url: &str,
    rules: &RuleSet,
    opts: &ExtractOptions,
) -> anyhow::Result<Article> {
    let body = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(extract(&ExtractInput::new(&body, url), rules, opts).article)
}

/// Run the evaluation.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let floors: Option<Floors> = match &args.floors {
        Some(p) => {
            let t = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read floors file {}", p.display()))?;
            match toml::from_str::<Floors>(&t)
                .map_err(|e| e.to_string())
                .and_then(|f| {
                    f.check()?;
                    Ok(f)
                }) {
                Ok(f) => Some(f),
                Err(e) => {
                    eprintln!("newsarc eval: {}: {e}", p.display());
                    return Ok(Exit::Usage);
                }
            }
        }
        None => None,
    };
    let rules = if args.no_site_rules {
        RuleSet::empty()
    } else {
        match super::selectors::load_or_report(&args.selectors, false)? {
            Ok(r) => r,
            Err(code) => return Ok(code),
        }
    };
    let opts = ExtractOptions {
        no_site_rules: args.no_site_rules,
        ..Default::default()
    };
    let start = Instant::now();

    // Trafilatura half.
    let cases = devset::trafilatura(&args.devset)?;
    let pages = args.devset.join("trafilatura/pages");
    let results: Vec<(usize, anyhow::Result<Article>)> = cases
        .par_iter()
        .enumerate()
        .map(|(i, c)| (i, run_one(&pages.join(&c.file), &c.url, &rules, &opts)))
        .collect();
    let mut traf = TrafCounts::default();
    let mut failed = 0usize;
    let mut pred = match &args.pred_out {
        Some(p) => Some(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => None,
    };
    for (i, r) in &results {
        let c = &cases[*i];
        let a = match r {
            Ok(a) => a,
            Err(e) => {
                eprintln!("newsarc eval: {e:#}");
                failed += 1;
                traf.add(&score_traf(&c.gold, "", None, &[], None));
                continue;
            }
        };
        let published = a.published.map(|d| d.to_rfc3339());
        let s = score_traf(
            &c.gold,
            &a.body,
            a.title.as_deref(),
            &a.authors,
            published.as_deref(),
        );
        if args.misses {
            let show = |f: &str, ok: (usize, usize), want: &Option<String>, got: String| {
                if ok.1 == 1 && ok.0 == 0 {
                    eprintln!(
                        "miss {f:<6} {} | want {:?} | got {:?}",
                        c.file,
                        want.as_deref().unwrap_or(""),
                        got
                    );
                }
            };
            show(
                "title",
                s.title,
                &c.gold.title,
                a.title.clone().unwrap_or_default(),
            );
            show(
                "date",
                s.date,
                &c.gold.date,
                published.clone().unwrap_or_default(),
            );
            show("author", s.author, &c.gold.author, a.authors.join("; "));
        }
        traf.add(&s);
        if let Some(w) = pred.as_mut() {
            let line = serde_json::json!({
                "source": c.file, "body": a.body, "title": a.title, "authors": a.authors, "published": published,
            });
            writeln!(w, "{line}").context("cannot write predictions")?;
        }
    }
    if let Some(mut w) = pred {
        w.flush().context("cannot write predictions")?;
    }

    // Readability half.
    let rcases = devset::readability(&args.devset)?;
    let rres: Vec<ReadScore> = rcases
        .par_iter()
        .map(|c| {
            // The gold first: a page that cannot be read misses exactly the metrics it has.
            let meta: serde_json::Value = std::fs::read(c.dir.join("expected-metadata.json"))
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok())
                .unwrap_or_default();
            let gold = |k: &str| {
                meta.get(k)
                    .and_then(|t| t.as_str())
                    .filter(|t| !t.trim().is_empty())
            };
            let (want_title, want_byline) = (gold("title"), gold("byline"));
            let want_date = gold("publishedTime").and_then(newsarc::extract::dates::parse_date);
            let a = match run_one(&c.dir.join("source.html"), &c.url, &rules, &opts) {
                Ok(a) => a,
                Err(_) => {
                    return ReadScore {
                        body: 0.0,
                        title: want_title.map(|_| false),
                        byline: want_byline.map(|_| false),
                        date: want_date.map(|_| false),
                    };
                }
            };
            let exp_html = std::fs::read(c.dir.join("expected.html")).unwrap_or_default();
            let doc = scraper::Html::parse_document(&String::from_utf8_lossy(&exp_html));
            let gold_text = text::block_text(doc.root_element());
            let title = want_title.map(|t| norm(t) == norm(a.title.as_deref().unwrap_or("")));
            let byline = want_byline.map(|b| {
                let got = fold(&a.authors.join(", "));
                let want = fold(b);
                !got.is_empty()
                    && (want.contains(&got)
                        || got.contains(&want)
                        || a.authors.iter().any(|x| want.contains(&fold(x))))
            });
            // Readability stores UTC: the same calendar day locally or in UTC counts.
            let date = want_date.map(|want| {
                a.published.is_some_and(|got| {
                    got.date_naive() == want.date_naive()
                        || got.naive_utc().date() == want.naive_utc().date()
                })
            });
            if args.misses {
                if date == Some(false) {
                    eprintln!(
                        "miss rdate  {} | want {:?} | got {:?}",
                        c.name,
                        meta["publishedTime"],
                        a.published.map(|d| d.to_rfc3339())
                    );
                }
                if title == Some(false) {
                    eprintln!(
                        "miss rtitle {} | want {:?} | got {:?}",
                        c.name, meta["title"], a.title
                    );
                }
                if byline == Some(false) {
                    eprintln!(
                        "miss byline {} | want {:?} | got {:?}",
                        c.name, meta["byline"], a.authors
                    );
                }
            }
            ReadScore {
                body: bow_f1(&a.body, &gold_text),
                title,
                byline,
                date,
            }
        })
        .collect();
    let n = rres.len();
    let rbody = rres.iter().map(|r| r.body).sum::<f64>() / n.max(1) as f64;
    let acc = |f: &dyn Fn(&ReadScore) -> Option<bool>| {
        let v: Vec<bool> = rres.iter().filter_map(f).collect();
        (v.iter().filter(|b| **b).count(), v.len())
    };
    let rtitle = acc(&|r| r.title);
    let rbyline = acc(&|r| r.byline);
    let rdate = acc(&|r| r.date);
    let ratio = |(k, n): (usize, usize)| score::ratio(k, n);
    let elapsed = start.elapsed();
    let kind_scores =
        if args.kinds || args.kind_features_out.is_some() || args.wcxb_pred_out.is_some() {
            Some(kinds::run(
                &args.devset,
                &rules,
                &opts,
                args.kind_features_out.as_deref(),
                args.wcxb_pred_out.as_deref(),
            )?)
        } else {
            None
        };

    let (f1, p, r) = traf.body();
    let tt = score::ratio(traf.title.0, traf.title.1);
    let td = score::ratio(traf.date.0, traf.date.1);
    let ta = score::ratio(traf.author.0, traf.author.1);
    let fl = floors.unwrap_or_default();
    let mut below = Vec::new();
    let mut row = |half: &str, metric: &str, v: f64, floor: Option<f64>, note: &str| {
        let status = match floor {
            Some(f) if v < f => {
                below.push(format!("{half}.{metric} {v:.3} < floor {f:.3}"));
                "BELOW"
            }
            Some(_) => "ok",
            None => "",
        };
        let floor = floor.map(|f| format!("{f:.3}")).unwrap_or_default();
        println!("{half:<12} {metric:<9} {v:>6.3} {floor:>6} {status:<6} {note}");
    };
    println!(
        "{:<12} {:<9} {:>6} {:>6} {:<6} note",
        "half", "metric", "score", "floor", ""
    );
    let rules_note = if args.no_site_rules {
        "no site rules"
    } else {
        "with site rules"
    };
    row(
        "trafilatura",
        "body_f1",
        f1,
        fl.trafilatura.body_f1,
        &format!(
            "precision {p:.3} recall {r:.3}; {} pages, {rules_note}",
            cases.len()
        ),
    );
    row(
        "trafilatura",
        "title",
        tt,
        fl.trafilatura.title,
        &format!("{}/{}", traf.title.0, traf.title.1),
    );
    row(
        "trafilatura",
        "date",
        td,
        fl.trafilatura.date,
        &format!("{}/{}", traf.date.0, traf.date.1),
    );
    row(
        "trafilatura",
        "author",
        ta,
        fl.trafilatura.author,
        &format!("{}/{}", traf.author.0, traf.author.1),
    );
    row(
        "readability",
        "body_f1",
        rbody,
        fl.readability.body_f1,
        &format!("bag-of-words, mean of {n} pages"),
    );
    for (metric, counts, floor) in [
        ("title", rtitle, fl.readability.title),
        ("byline", rbyline, fl.readability.byline),
        ("date", rdate, fl.readability.date),
    ] {
        row(
            "readability",
            metric,
            ratio(counts),
            floor,
            &format!("{}/{}", counts.0, counts.1),
        );
    }
    if let Some(k) = &kind_scores {
        row(
            "kinds",
            "art_prec",
            k.article_precision,
            fl.kinds.article_precision,
            "WCXB + article halves",
        );
        row(
            "kinds",
            "art_recall",
            k.article_recall,
            fl.kinds.article_recall,
            "WCXB + article halves",
        );
        row(
            "kinds",
            "accuracy",
            k.accuracy,
            fl.kinds.accuracy,
            "WCXB, seven kinds",
        );
        let w = &k.wcxb;
        let (f, p, r) = w.body(None);
        let (t, d, a) = w.meta();
        let note = format!("precision {p:.3} recall {r:.3}, mean of pages");
        row("wcxb", "body_f1", f, fl.wcxb.body_f1, &note);
        let (af, ap, ar) = w.body(Some("article"));
        let note = format!("articles: precision {ap:.3} recall {ar:.3}");
        row("wcxb", "art_body", af, fl.wcxb.article_body_f1, &note);
        for (t, floor) in &fl.wcxb.types {
            let (f, p, r) = w.body(Some(t));
            let note = format!("{t}: precision {p:.3} recall {r:.3}");
            row("wcxb", t, f, Some(*floor), &note);
        }
        for (m, v, floor, c) in [
            ("title", t, fl.wcxb.title, w.title),
            ("date", d, fl.wcxb.date, w.date),
            ("author", a, fl.wcxb.author, w.author),
        ] {
            row("wcxb", m, v, floor, &format!("{}/{}", c.0, c.1));
        }
    }
    println!(
        "{} pages in {:.2}s ({:.0} pages/s on {} threads), {failed} unreadable",
        cases.len() + n,
        elapsed.as_secs_f64(),
        (cases.len() + n) as f64 / elapsed.as_secs_f64(),
        rayon::current_num_threads()
    );
    if !below.is_empty() {
        for b in &below {
            eprintln!("newsarc eval: {b}");
        }
        return Ok(Exit::Partial);
    }
    Ok(if failed == 0 {
        Exit::Success
    } else {
        Exit::Partial
    })
}

#[cfg(test)]
mod tests {
    use super::Floors;

    #[test]
    fn per_type_floors_name_a_wcxb_page_type() {
        let ok: Floors =
            toml::from_str("[wcxb.types]\nlisting = 0.74\nforum = 0.7\n").unwrap_or_default();
        assert_eq!(ok.wcxb.types.len(), 2);
        assert!(ok.check().is_ok());
        let bad: Floors = toml::from_str("[wcxb.types]\nblog = 0.5\n").unwrap_or_default();
        let err = bad.check().err().unwrap_or_default();
        assert!(err.contains("\"blog\"") && err.contains("listing"), "{err}");
        // The shipped floors file parses and passes its own check.
        let shipped = include_str!("../../eval-floors.toml");
        let f: Result<Floors, _> = toml::from_str(shipped);
        assert!(f.is_ok_and(|f| f.check().is_ok() && !f.wcxb.types.is_empty()));
    }
}
