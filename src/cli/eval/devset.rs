//! Reading the development set: the trafilatura half (`evaldata-dev.json` + pages) and the
//! readability half (`<case>/source.html`, `expected.html`, `expected-metadata.json`).

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::Value;

use super::score::TrafGold;

/// One trafilatura page.
#[derive(Debug, Clone)]
pub struct TrafCase {
    /// The page file (under `trafilatura/pages/`).
    pub file: String,
    /// The page URL (the evaldata key when it is a URL).
    pub url: String,
    /// The gold.
    pub gold: TrafGold,
}

/// One readability case.
#[derive(Debug, Clone)]
pub struct ReadCase {
    /// Case folder name.
    pub name: String,
    /// Base URL (the site's home page for named sites).
    pub url: String,
    /// Its folder.
    pub dir: PathBuf,
}

fn strs(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn opt_str(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => Some(
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        _ => None,
    }
}

/// Load the trafilatura half.
pub fn trafilatura(devset: &Path) -> anyhow::Result<Vec<TrafCase>> {
    let p = devset.join("trafilatura/evaldata-dev.json");
    let text = std::fs::read_to_string(&p)
        .with_context(|| format!("cannot read {} (pass --devset DIR)", p.display()))?;
    let v: Value =
        serde_json::from_str(&text).with_context(|| format!("{}: invalid JSON", p.display()))?;
    let obj = v
        .as_object()
        .with_context(|| format!("{}: not a JSON object", p.display()))?;
    let mut out = Vec::new();
    for (key, g) in obj {
        let Some(file) = g.get("file").and_then(Value::as_str) else {
            continue;
        };
        let url = if key.starts_with("http://") || key.starts_with("https://") {
            key.clone()
        } else {
            format!("http://devset.invalid/{file}")
        };
        out.push(TrafCase {
            file: file.to_string(),
            url,
            gold: TrafGold {
                with: strs(g.get("with")),
                without: strs(g.get("without")),
                title: opt_str(g.get("title")),
                date: opt_str(g.get("date")),
                author: opt_str(g.get("author")),
            },
        });
    }
    out.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(out)
}

/// The home page of a readability case named after a site (`nytimes-1` → nytimes.com).
pub fn case_url(name: &str) -> String {
    let site = name
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end_matches('-');
    let host = match site {
        "nytimes" => "www.nytimes.com",
        "guardian" => "www.theguardian.com",
        "bbc" => "www.bbc.com",
        "cnn" => "www.cnn.com",
        "wapo" => "www.washingtonpost.com",
        "lemonde" => "www.lemonde.fr",
        "telegraph" => "www.telegraph.co.uk",
        "seattletimes" => "www.seattletimes.com",
        "breitbart" => "www.breitbart.com",
        "buzzfeed" => "www.buzzfeed.com",
        "citylab" => "www.citylab.com",
        "engadget" => "www.engadget.com",
        "heise" => "www.heise.de",
        "herald-sun" => "www.heraldsun.com.au",
        "liberation" => "www.liberation.fr",
        "salon" => "www.salon.com",
        "theverge" => "www.theverge.com",
        "yahoo" => "www.yahoo.com",
        "folha" => "www1.folha.uol.com.br",
        "la-nacion" => "www.lanacion.com.ar",
        "ars" => "arstechnica.com",
        "medium" => "medium.com",
        "cnet" => "www.cnet.com",
        "tmz" => "www.tmz.com",
        "aktualne" => "zpravy.aktualne.cz",
        "msn" => "www.msn.com",
        "quanta" => "www.quantamagazine.org",
        "lwn" => "lwn.net",
        "wikipedia" => "en.wikipedia.org",
        _ => return "http://fakehost/test/page.html".to_string(),
    };
    format!("https://{host}/")
}

/// Load the readability half (cases with a `source.html`).
pub fn readability(devset: &Path) -> anyhow::Result<Vec<ReadCase>> {
    let dir = devset.join("readability");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let p = e
            .with_context(|| format!("cannot list {}", dir.display()))?
            .path();
        if p.join("source.html").exists() {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push(ReadCase {
                url: case_url(&name),
                name,
                dir: p,
            });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}
