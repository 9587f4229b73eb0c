//! Everything `extract` produces for a list of pages, one JSON line per page: the Article, the
//! links for the crawler and the page-kind features. For proving that a speed change leaves the
//! output byte-identical: dump before and after, then `cmp` the two files.
//!
//! `cargo run --release --example extraction_dump -- pages.tsv > out.jsonl` (one `PATH<TAB>URL`
//! per line; `.gz` pages are read through gzip; one thread, in input order).

use std::io::{BufRead, Read, Write};

use newsarc::extract::{ExtractInput, ExtractOptions, extract};
use newsarc::selectors::RuleSet;

fn read_page(path: &str) -> std::io::Result<Vec<u8>> {
    let raw = std::fs::read(path)?;
    if !path.ends_with(".gz") {
        return Ok(raw);
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut out)?;
    Ok(out)
}

fn rules() -> RuleSet {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("selectors");
    let mut files = Vec::new();
    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "toml")
            && let Ok(t) = std::fs::read_to_string(&p)
        {
            files.push((e.file_name().to_string_lossy().into_owned(), t));
        }
    }
    RuleSet::load(&files).unwrap_or_else(|e| panic!("{e}"))
}

fn main() {
    let list = std::env::args()
        .nth(1)
        .unwrap_or_else(|| panic!("usage: extraction_dump PAGES.tsv"));
    let file = std::fs::File::open(&list).unwrap_or_else(|e| panic!("{list}: {e}"));
    let rules = rules();
    let opts = ExtractOptions {
        keep_kind_features: true,
        ..ExtractOptions::default()
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in std::io::BufReader::new(file).lines().map_while(Result::ok) {
        let Some((path, url)) = line.split_once('\t') else {
            continue;
        };
        let body = read_page(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let ex = extract(&ExtractInput::new(&body, url), &rules, &opts);
        let row = serde_json::json!({
            "path": path,
            "article": ex.article,
            "links": ex.links,
            "kind_features": ex.kind_features.map(|f| format!("{f:?}")),
        });
        writeln!(out, "{row}").unwrap_or_else(|e| panic!("stdout: {e}"));
    }
}
