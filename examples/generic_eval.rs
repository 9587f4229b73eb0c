//! Score the generic extractor (no site rules) on the development set.
//!
//! `cargo run --release --example generic_eval -- /work/shared/devset [--pred pred.jsonl] [--worst N]`
//!
//! * trafilatura/: snippet scoring like `score_trafilatura.py` (whitespace collapsed; this
//!   example does not apply NFKC, the Python scorer does).
//! * readability/: bag-of-words F1 between our body and the text of `expected.html`.
//!
//! Prints both scores and the worst pages. With `--pred`, writes the trafilatura predictions as
//! JSON lines for the Python scorer.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use newsarc::extract::generic::{GenericContext, extract_body};
use rayon::prelude::*;
use scraper::{Html, Selector};

/// Decode page bytes the way `extract` does (BOM, `<meta charset>`, detection; a declaration
/// that cannot read bytes which are clean UTF-8 loses to UTF-8).
fn decode(bytes: &[u8]) -> String {
    newsarc::extract::charset::decode(bytes, None)
        .text
        .into_owned()
}

fn find_article_body(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Object(m) => {
            if let Some(serde_json::Value::String(s)) = m.get("articleBody") {
                return Some(s.clone());
            }
            m.values().find_map(find_article_body)
        }
        serde_json::Value::Array(a) => a.iter().find_map(find_article_body),
        _ => None,
    }
}

/// A quick local metadata lookup: og:title or `<title>`, JSON-LD articleBody.
fn context(doc: &Html) -> GenericContext {
    let mut ctx = GenericContext::default();
    if let Ok(sel) = Selector::parse(r#"meta[property="og:title"]"#) {
        ctx.title = doc
            .select(&sel)
            .next()
            .and_then(|e| e.attr("content"))
            .map(str::to_string);
    }
    if ctx.title.is_none()
        && let Ok(sel) = Selector::parse("title")
    {
        ctx.title = doc
            .select(&sel)
            .next()
            .map(|e| e.text().collect::<String>());
    }
    if let Ok(sel) = Selector::parse(r#"script[type="application/ld+json"]"#) {
        for s in doc.select(&sel) {
            let raw: String = s.text().collect();
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(raw.trim())
                && let Some(b) = find_article_body(&v)
            {
                ctx.json_ld_body = Some(b);
                break;
            }
        }
    }
    ctx
}

fn run_page(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_default();
    let html = decode(&bytes);
    let doc = Html::parse_document(&html);
    let ctx = context(&doc);
    extract_body(&doc, &ctx).text
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af | 0xf900..=0xfaff)
}

fn tokens(s: &str) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, m: &mut HashMap<String, usize>| {
        if !cur.is_empty() {
            *m.entry(std::mem::take(cur)).or_insert(0) += 1;
        }
    };
    for c in s.chars() {
        if is_cjk(c) {
            flush(&mut cur, &mut m);
            cur.push(c);
            flush(&mut cur, &mut m);
        } else if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else {
            flush(&mut cur, &mut m);
        }
    }
    flush(&mut cur, &mut m);
    m
}

fn bow_f1(pred: &str, gold: &str) -> (f64, f64, f64) {
    let p = tokens(pred);
    let g = tokens(gold);
    let np: usize = p.values().sum();
    let ng: usize = g.values().sum();
    if np == 0 && ng == 0 {
        return (1.0, 1.0, 1.0);
    }
    let common: usize = p
        .iter()
        .map(|(k, v)| (*v).min(g.get(k).copied().unwrap_or(0)))
        .sum();
    if common == 0 {
        return (0.0, 0.0, 0.0);
    }
    let pr = common as f64 / np as f64;
    let rc = common as f64 / ng as f64;
    (2.0 * pr * rc / (pr + rc), pr, rc)
}

struct TrafPage {
    file: String,
    tp: usize,
    fp: usize,
    fn_: usize,
    body: String,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = PathBuf::from(
        args.get(1)
            .cloned()
            .unwrap_or_else(|| "/work/shared/devset".into()),
    );
    if root.is_file() {
        // One page: print what the extractor returns.
        let bytes = std::fs::read(&root).unwrap_or_default();
        let doc = Html::parse_document(&decode(&bytes));
        let ctx = context(&doc);
        if let Some(needle) = args.get(2) {
            // Debug: the ancestors of the first text node containing `needle`.
            for t in doc.root_element().descendants() {
                if let Some(txt) = t.value().as_text()
                    && txt.contains(needle.as_str())
                    && !t.ancestors().any(|a| {
                        a.value()
                            .as_element()
                            .is_some_and(|e| e.name() == "head" || e.name() == "script")
                    })
                {
                    for a in t.ancestors() {
                        if let Some(e) = a.value().as_element() {
                            println!(
                                "{} class={:?} id={:?}",
                                e.name(),
                                e.attr("class"),
                                e.attr("id")
                            );
                        }
                    }
                    break;
                }
            }
        }
        if std::env::var("DBG").is_ok() {
            for l in newsarc::extract::generic::debug_dropped(&doc) {
                println!("DROP {l}");
            }
        }
        let out = extract_body(&doc, &ctx);
        println!(
            "kind={:?} title={:?} jsonld={}",
            out.page_kind,
            ctx.title,
            ctx.json_ld_body.is_some()
        );
        println!("{}", out.text);
        return;
    }
    let mut pred_out: Option<PathBuf> = None;
    let mut worst = 10usize;
    let mut i = 2;
    while i < args.len() {
        match args[i].as_str() {
            "--pred" => {
                pred_out = args.get(i + 1).map(PathBuf::from);
                i += 1;
            }
            "--worst" => {
                worst = args.get(i + 1).and_then(|s| s.parse().ok()).unwrap_or(10);
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }

    // trafilatura set
    let t0 = Instant::now();
    let eval: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root.join("trafilatura/evaldata-dev.json")).unwrap_or_default(),
    )
    .unwrap_or(serde_json::Value::Null);
    let entries: Vec<(String, Vec<String>, Vec<String>)> = eval
        .as_object()
        .map(|m| {
            m.values()
                .map(|v| {
                    let strs = |k: &str| -> Vec<String> {
                        v[k].as_array()
                            .map(|a| {
                                a.iter()
                                    .filter_map(|s| s.as_str().map(str::to_string))
                                    .collect()
                            })
                            .unwrap_or_default()
                    };
                    (
                        v["file"].as_str().unwrap_or("").to_string(),
                        strs("with"),
                        strs("without"),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let pages: Vec<TrafPage> = entries
        .par_iter()
        .map(|(file, with, without)| {
            let body = run_page(&root.join("trafilatura/pages").join(file));
            let nb = norm(&body);
            let tp = with.iter().filter(|s| nb.contains(&norm(s))).count();
            let fp = without.iter().filter(|s| nb.contains(&norm(s))).count();
            TrafPage {
                file: file.clone(),
                tp,
                fp,
                fn_: with.len() - tp,
                body,
            }
        })
        .collect();
    let (tp, fp, fn_) = pages
        .iter()
        .fold((0, 0, 0), |a, p| (a.0 + p.tp, a.1 + p.fp, a.2 + p.fn_));
    let prec = tp as f64 / (tp + fp).max(1) as f64;
    let rec = tp as f64 / (tp + fn_).max(1) as f64;
    let f1 = if prec + rec > 0.0 {
        2.0 * prec * rec / (prec + rec)
    } else {
        0.0
    };
    let t_traf = t0.elapsed();
    if let Some(out) = &pred_out
        && let Ok(mut f) = std::fs::File::create(out)
    {
        for p in &pages {
            let line = serde_json::json!({"source": p.file, "body": p.body});
            let _ = writeln!(f, "{line}");
        }
    }
    let mut bad: Vec<&TrafPage> = pages.iter().filter(|p| p.fp + p.fn_ > 0).collect();
    bad.sort_by_key(|p| std::cmp::Reverse(p.fp + p.fn_));
    println!("trafilatura worst pages (fn = missed 'with', fp = found 'without'):");
    for p in bad.iter().take(worst) {
        println!(
            "  fn={} fp={} chars={} {}",
            p.fn_,
            p.fp,
            p.body.chars().count(),
            p.file
        );
    }

    // readability set
    let t1 = Instant::now();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root.join("readability"))
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    cases.retain(|c| c.join("source.html").exists());
    cases.sort();
    let mut scores: Vec<(String, f64, f64, f64)> = cases
        .par_iter()
        .map(|c| {
            let body = run_page(&c.join("source.html"));
            let exp = std::fs::read(c.join("expected.html")).unwrap_or_default();
            let exp_doc = Html::parse_document(&String::from_utf8_lossy(&exp));
            let gold: String = exp_doc.root_element().text().collect::<Vec<_>>().join(" ");
            let (f, p, r) = bow_f1(&body, &gold);
            let name = c
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            (name, f, p, r)
        })
        .collect();
    let n = scores.len().max(1) as f64;
    let mean_f = scores.iter().map(|s| s.1).sum::<f64>() / n;
    let mean_p = scores.iter().map(|s| s.2).sum::<f64>() / n;
    let mean_r = scores.iter().map(|s| s.3).sum::<f64>() / n;
    let t_read = t1.elapsed();
    scores.sort_by(|a, b| a.1.total_cmp(&b.1));
    println!("readability worst pages:");
    for s in scores.iter().take(worst) {
        println!("  f1={:.3} p={:.3} r={:.3} {}", s.1, s.2, s.3, s.0);
    }
    println!(
        "trafilatura: body_f1={f1:.3} precision={prec:.3} recall={rec:.3} tp={tp} fp={fp} fn={fn_} pages={} ({:.1}s)",
        pages.len(),
        t_traf.as_secs_f64()
    );
    println!(
        "readability: bow_f1={mean_f:.3} precision={mean_p:.3} recall={mean_r:.3} pages={} ({:.1}s)",
        scores.len(),
        t_read.as_secs_f64()
    );
}
