//! `--watch` decisions: which discovered articles to fetch on this poll.
//!
//! An article is fetched when it is new, when its listing says it changed (the sitemap
//! `lastmod` or feed `updated` moved forward), and a configurable number of extra times in its
//! first days, evenly spaced, to capture corrections and updates (each capture is kept; an
//! unchanged one becomes a revisit record in the archive). Pure: `now` is passed in.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// How often a young article is fetched again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshPolicy {
    /// Extra fetches after the first one (0 = never re-fetch unless the listing changes).
    pub refetches: u32,
    /// Re-fetches happen within this time after the article was first seen.
    pub within: Duration,
    /// Never re-fetch sooner than this after the previous fetch.
    pub min_gap: Duration,
}

impl Default for RefreshPolicy {
    /// Two extra captures within two days, at least six hours apart (so at about +24 h and
    /// +48 h).
    fn default() -> Self {
        RefreshPolicy {
            refetches: 2,
            within: Duration::from_secs(2 * 86_400),
            min_gap: Duration::from_secs(6 * 3600),
        }
    }
}

impl RefreshPolicy {
    /// The gap between two captures: `within / refetches`, at least `min_gap`.
    pub fn gap(&self) -> Duration {
        let even = self
            .within
            .checked_div(self.refetches.max(1))
            .unwrap_or(self.within);
        even.max(self.min_gap)
    }
}

/// What `--watch` knows about an article it has fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArticleRecord {
    /// When discovery first listed it.
    pub first_seen: DateTime<Utc>,
    /// When it was last fetched.
    pub last_fetch: DateTime<Utc>,
    /// How many times it was fetched.
    pub fetches: u32,
    /// The newest date a listing gave for it (see
    /// [`DiscoveredUrl::date`](super::seed::DiscoveredUrl::date)).
    pub listed: Option<DateTime<Utc>>,
}

/// Why (or whether) to fetch an article now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Never fetched.
    New,
    /// The listing's date moved forward since the last fetch.
    Changed,
    /// A scheduled re-fetch of a young article.
    Refetch,
    /// Nothing to do now.
    Skip,
}

impl Decision {
    /// Whether the article should be fetched.
    pub fn fetch(self) -> bool {
        self != Decision::Skip
    }
}

/// Decides for one article listed (or remembered) at `now`; `listed` is the date the current
/// listing gives (None when it is not listed on this poll, or undated).
pub fn decide(
    record: Option<&ArticleRecord>,
    listed: Option<DateTime<Utc>>,
    policy: &RefreshPolicy,
    now: DateTime<Utc>,
) -> Decision {
    let Some(rec) = record else {
        return Decision::New;
    };
    if let Some(date) = listed {
        // Compared with the date listed before, or (undated before) with the last fetch.
        let changed = match rec.listed {
            Some(before) => date > before,
            None => date > rec.last_fetch,
        };
        if changed {
            return Decision::Changed;
        }
    }
    due_refetch(rec, policy, now)
}

/// Whether a scheduled re-fetch is due (independently of any listing).
pub fn due_refetch(rec: &ArticleRecord, policy: &RefreshPolicy, now: DateTime<Utc>) -> Decision {
    if rec.fetches > policy.refetches {
        return Decision::Skip;
    }
    let within = chrono::Duration::from_std(policy.within).unwrap_or(chrono::Duration::MAX);
    let gap = chrono::Duration::from_std(policy.gap()).unwrap_or(chrono::Duration::MAX);
    let young = now.signed_duration_since(rec.first_seen) <= within + gap;
    let rested = now.signed_duration_since(rec.last_fetch) >= gap;
    if young && rested {
        Decision::Refetch
    } else {
        Decision::Skip
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn rec(first: &str, last: &str, fetches: u32, listed: Option<&str>) -> ArticleRecord {
        ArticleRecord {
            first_seen: t(first),
            last_fetch: t(last),
            fetches,
            listed: listed.map(t),
        }
    }

    #[test]
    fn new_changed_and_unchanged() {
        let p = RefreshPolicy {
            refetches: 0,
            ..Default::default()
        };
        let now = t("2024-05-10T12:00:00Z");
        assert_eq!(decide(None, None, &p, now), Decision::New);
        let r = rec(
            "2024-05-10T08:00:00Z",
            "2024-05-10T08:00:00Z",
            1,
            Some("2024-05-10T07:00:00Z"),
        );
        assert_eq!(
            decide(Some(&r), Some(t("2024-05-10T07:00:00Z")), &p, now),
            Decision::Skip
        );
        assert_eq!(
            decide(Some(&r), None, &p, now),
            Decision::Skip,
            "dropped from the feed"
        );
        assert_eq!(
            decide(Some(&r), Some(t("2024-05-10T11:00:00Z")), &p, now),
            Decision::Changed
        );
        // An older date than what was seen is not a change.
        assert_eq!(
            decide(Some(&r), Some(t("2024-05-09T00:00:00Z")), &p, now),
            Decision::Skip
        );
    }

    #[test]
    fn young_articles_are_refetched_evenly_then_left_alone() {
        let p = RefreshPolicy::default();
        assert_eq!(p.gap(), Duration::from_secs(86_400));
        let first = "2024-05-10T00:00:00Z";
        let r1 = rec(first, first, 1, None);
        assert_eq!(
            decide(Some(&r1), None, &p, t("2024-05-10T12:00:00Z")),
            Decision::Skip
        );
        assert_eq!(
            decide(Some(&r1), None, &p, t("2024-05-11T00:00:00Z")),
            Decision::Refetch
        );
        let r2 = rec(first, "2024-05-11T00:15:00Z", 2, None);
        assert_eq!(
            decide(Some(&r2), None, &p, t("2024-05-11T12:00:00Z")),
            Decision::Skip
        );
        assert_eq!(
            decide(Some(&r2), None, &p, t("2024-05-12T00:15:00Z")),
            Decision::Refetch
        );
        let r3 = rec(first, "2024-05-12T00:15:00Z", 3, None);
        assert_eq!(
            decide(Some(&r3), None, &p, t("2024-05-14T00:00:00Z")),
            Decision::Skip,
            "budget used"
        );
        // A poll that missed the window does not re-fetch an old article.
        assert_eq!(
            decide(Some(&r1), None, &p, t("2024-05-20T00:00:00Z")),
            Decision::Skip
        );
    }

    #[test]
    fn min_gap_wins_over_even_spacing() {
        let p = RefreshPolicy {
            refetches: 10,
            within: Duration::from_secs(3600),
            min_gap: Duration::from_secs(1800),
        };
        assert_eq!(p.gap(), Duration::from_secs(1800));
        let p0 = RefreshPolicy { refetches: 0, ..p };
        let r = rec("2024-05-10T00:00:00Z", "2024-05-10T00:00:00Z", 1, None);
        assert_eq!(
            due_refetch(&r, &p0, t("2024-05-10T00:45:00Z")),
            Decision::Skip
        );
        assert!(Decision::New.fetch() && Decision::Refetch.fetch() && !Decision::Skip.fetch());
    }
}
