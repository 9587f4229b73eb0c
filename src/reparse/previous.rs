//! The newest conversion already stored for each response, found through the CDXJ index
//! (only the small conversion records are read, by seeking), so re-running is cheap.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::archive::cdxj::Index;
use crate::archive::{ArchiveError, Source, read_record_from};
use crate::model::Article;

/// The newest parse of one response record.
#[derive(Debug, Clone)]
pub struct PreviousParse {
    /// `Newsarc-Extractor` of the conversion (`newsarc/0.1.0`).
    pub extractor: String,
    /// `Newsarc-Selectors` of the conversion (`name@hash`), if any.
    pub selectors: Option<String>,
    /// When it was parsed.
    pub date: Option<DateTime<Utc>>,
    /// The file holding the conversion record.
    pub source: Source,
    /// Its offset.
    pub offset: u64,
    /// Its length.
    pub length: u64,
}

impl PreviousParse {
    /// Read the stored article back (for comparing fields).
    pub fn article(&self) -> Result<Article, String> {
        let rec = read_record_from(self.source.as_ref(), self.offset, self.length)
            .map_err(|e| e.to_string())?;
        serde_json::from_slice(&rec.block).map_err(|e| e.to_string())
    }
}

/// Response record id → its newest conversion, over every archive in `files`.
pub fn previous_parses(files: &[Source]) -> Result<HashMap<String, PreviousParse>, ArchiveError> {
    let index = Index::load_sources(files)?;
    let mut out: HashMap<String, PreviousParse> = HashMap::new();
    for e in index
        .entries()
        .iter()
        .filter(|e| e.record_type == "conversion")
    {
        let Some(source) = index.source(e) else {
            continue;
        };
        let Ok(rec) = read_record_from(source.as_ref(), e.offset, e.length) else {
            continue;
        };
        let Some(refers) = rec.headers.get("WARC-Refers-To") else {
            continue;
        };
        let parse = PreviousParse {
            extractor: rec
                .headers
                .get("Newsarc-Extractor")
                .unwrap_or_default()
                .to_string(),
            selectors: rec.headers.get("Newsarc-Selectors").map(str::to_string),
            date: rec.date(),
            source: source.clone(),
            offset: e.offset,
            length: e.length,
        };
        match out.get(refers) {
            Some(p) if p.date > parse.date => {}
            _ => {
                out.insert(refers.to_string(), parse);
            }
        }
    }
    Ok(out)
}
