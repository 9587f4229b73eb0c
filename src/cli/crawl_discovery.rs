//! The discovery side of `newsarc crawl`: `--since` and `--watch`/`--interval` validated into
//! library values, and the discovery lines of the summary.

use chrono::Utc;
use newsarc::config::CrawlConfig;
use newsarc::crawl::discovery::SiteReport;
use newsarc::discover::{DateWindow, Since, parse_span};

use super::crawl::Args;

/// `--since` and `--watch` settings, validated.
#[derive(Debug, Clone, Copy)]
pub struct DiscoveryArgs {
    /// `--since`, as given (relative spans are re-evaluated on every `--watch` poll).
    pub since: Option<Since>,
    /// The window at start-up.
    pub window: Option<DateWindow>,
    /// `--watch`: the poll interval.
    pub watch: Option<std::time::Duration>,
}

/// Validates `--since`, `--watch` and `--interval` (the `[watch].interval` of the config file
/// applies unless `--interval` is given explicitly).
pub fn parse(
    args: &Args,
    cfg: &CrawlConfig,
    interval_given: bool,
) -> Result<DiscoveryArgs, String> {
    let since = match &args.since {
        Some(s) => Some(s.parse::<Since>().map_err(|e| format!("--since: {e}"))?),
        None => None,
    };
    let window = match since {
        Some(s) => {
            Some(DateWindow::new(s, Utc::now(), false).map_err(|e| format!("--since: {e}"))?)
        }
        None => None,
    };
    let watch = if args.watch {
        let file = cfg.watch.interval.filter(|_| !interval_given);
        let interval = match file {
            Some(i) => i,
            None => parse_span(&args.interval).map_err(|e| format!("--interval: {e}"))?,
        };
        Some(interval)
    } else {
        None
    };
    Ok(DiscoveryArgs {
        since,
        window,
        watch,
    })
}

/// One line per site: what discovery found.
pub fn print_reports(reports: &[SiteReport]) {
    for r in reports {
        let s = &r.stats;
        // A site with seeds on several origins gets one plan (and line) per origin.
        let several = reports.iter().filter(|o| o.site == r.site).count() > 1;
        let name = if several {
            format!("{} ({})", r.name, r.home)
        } else {
            r.name.clone()
        };
        let mut line = format!(
            "discovery {name}: {} sitemaps, {} feeds, {} article URLs found, {} queued",
            s.sitemaps, s.feeds, r.found, r.queued
        );
        if s.outside_window > 0 {
            line.push_str(&format!(", {} outside --since", s.outside_window));
        }
        let problems = s.failed + s.parse_errors;
        if problems > 0 || s.rejected_entries > 0 {
            line.push_str(&format!(
                ", {problems} fetch/parse problems, {} bad entries (see warnings)",
                s.rejected_entries
            ));
        }
        eprintln!("newsarc: {line}");
    }
}
