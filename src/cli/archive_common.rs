//! Helpers shared by the archive commands (`ls`, `get`, `verify`, `index`, `import`):
//! the byte progress bar and the `--at` timestamp parser.

use std::path::Path;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar over `total` bytes on stderr (hidden when stderr is not a terminal).
pub fn byte_bar(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template(
        "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar
}

/// Total size of the files (missing files count 0; they fail later with a clear error).
pub fn total_size(files: &[impl AsRef<Path>]) -> u64 {
    files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum()
}

/// Parse `--at`: 4 to 14 digits (`2024`, `20240503`, `20240503100000`), an RFC 3339
/// timestamp or a `YYYY-MM-DD` date; missing parts are the start of the period.
pub fn parse_at(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.len() >= 4 && s.len() <= 14 && s.bytes().all(|b| b.is_ascii_digit()) {
        let mut full = s.to_string();
        let pad = "00000101000000";
        full.push_str(&pad[s.len()..]);
        return NaiveDateTime::parse_from_str(&full, "%Y%m%d%H%M%S")
            .ok()
            .map(|d| d.and_utc());
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
}

/// A 14-digit CDXJ timestamp as a date.
pub fn parse_ts14(ts: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(ts, "%Y%m%d%H%M%S")
        .ok()
        .map(|d| d.and_utc())
}

/// `path: payload digests: 3 not chunked, 2 as transferred (wget/warcprox/warcio)`: which
/// convention a file's writer used for chunked bodies (for `--verbose`).
pub fn payload_digest_line(
    path: &std::path::Path,
    counts: &std::collections::BTreeMap<newsarc::archive::PayloadConvention, u64>,
) -> String {
    let parts: Vec<String> = counts.iter().map(|(c, n)| format!("{n} {c}")).collect();
    let parts = if parts.is_empty() {
        "none checked".to_string()
    } else {
        parts.join(", ")
    };
    format!("{}: payload digests: {parts}", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_formats() {
        let d = parse_at("20240503").unwrap();
        assert_eq!(d.to_rfc3339(), "2024-05-03T00:00:00+00:00");
        assert_eq!(
            parse_at("2024").unwrap().to_rfc3339(),
            "2024-01-01T00:00:00+00:00"
        );
        assert_eq!(parse_at("2024-05-03T10:00:00Z"), parse_at("20240503100000"));
        assert_eq!(parse_at("2024-05-03"), parse_at("20240503"));
        assert!(parse_at("yesterday").is_none());
        assert!(parse_ts14("20240503100000").is_some());
    }
}
