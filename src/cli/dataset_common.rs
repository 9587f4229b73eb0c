//! Helpers shared by `reparse` and `export`: date flags and the record progress bar.

use chrono::{DateTime, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use newsarc::discover::Since;

/// Parse a `--since` / `--until` value (`7d`, `2024-05-01`, RFC 3339) into an instant.
pub fn parse_instant(flag: &str, value: &str, now: DateTime<Utc>) -> anyhow::Result<DateTime<Utc>> {
    match value.parse::<Since>() {
        Ok(Since::At(t)) => Ok(t),
        Ok(Since::Ago(span)) => chrono::Duration::from_std(span)
            .ok()
            .and_then(|d| now.checked_sub_signed(d))
            .ok_or_else(|| anyhow::anyhow!("{flag} {value:?}: span too long")),
        Err(e) => Err(anyhow::anyhow!("{flag}: {e}")),
    }
}

/// A spinner counting `what` on stderr; hidden when `quiet` or stderr is not a terminal.
pub fn count_bar(what: &'static str, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {pos} {msg} ({per_sec}, {elapsed})")
    {
        bar.set_style(style);
    }
    bar.set_message(what);
    bar
}
