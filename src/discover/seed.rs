//! Article URLs found by discovery ([`DiscoveredUrl`]) and the deduplicating set a site's
//! discovery collects them in ([`SeedSet`]).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use url::Url;

use super::feed::FeedEntry;
use super::sitemap::SitemapUrl;

/// Where a discovered URL was listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeedSource {
    /// A `<url>` of an ordinary sitemap.
    Sitemap,
    /// A `<url>` with `<news:news>` (Google News sitemap).
    NewsSitemap,
    /// An RSS/Atom/JSON feed item.
    Feed,
}

/// An article URL found in a sitemap or feed: a depth-0 seed for the crawler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoveredUrl {
    /// The article URL.
    pub url: Url,
    /// Publication date (`news:publication_date`, feed `published`).
    pub published: Option<DateTime<Utc>>,
    /// Modification date (`lastmod`, feed `updated`).
    pub modified: Option<DateTime<Utc>>,
    /// Title from the news sitemap or feed.
    pub title: Option<String>,
    /// Kind of listing it came from.
    pub source: SeedSource,
    /// The sitemap or feed that listed it.
    pub via: Url,
}

impl DiscoveredUrl {
    /// The newest of the publication and modification dates: the date `--since` filters and
    /// orders by.
    pub fn date(&self) -> Option<DateTime<Utc>> {
        self.published.max(self.modified)
    }

    /// A seed from a sitemap entry.
    pub fn from_sitemap(entry: SitemapUrl, via: &Url) -> Self {
        let (source, published, title) = match entry.news {
            Some(n) => (SeedSource::NewsSitemap, n.published, n.title),
            None => (SeedSource::Sitemap, None, None),
        };
        DiscoveredUrl {
            url: entry.loc,
            published,
            modified: entry.lastmod,
            title,
            source,
            via: via.clone(),
        }
    }

    /// A seed from a feed entry.
    pub fn from_feed(entry: FeedEntry, via: &Url) -> Self {
        DiscoveredUrl {
            url: entry.link,
            published: entry.published,
            modified: entry.updated,
            title: entry.title,
            source: SeedSource::Feed,
            via: via.clone(),
        }
    }

    /// Folds what another listing said about the same URL into this one: the earliest
    /// publication date, the latest modification date, a title if this one has none (or the
    /// news sitemap's headline).
    fn merge(&mut self, other: DiscoveredUrl) {
        self.published = match (self.published, other.published) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.modified = self.modified.max(other.modified);
        // A news sitemap's title is the editorial headline: it wins over a feed's.
        let news = other.source == SeedSource::NewsSitemap;
        if self.title.is_none() || (news && other.title.is_some()) {
            self.title = other.title;
        }
        if news {
            self.source = SeedSource::NewsSitemap;
        }
    }
}

/// What [`SeedSet::insert`] did with a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    /// A URL not seen before.
    New,
    /// Already listed elsewhere; dates and title merged.
    Merged,
    /// The set is full ([`SeedSet::capacity`]); the URL was counted and dropped.
    Full,
}

/// Discovered URLs of one site, deduplicated by URL (fragment removed), in insertion order.
#[derive(Debug, Clone, Default)]
pub struct SeedSet {
    index: HashMap<String, usize>,
    seeds: Vec<DiscoveredUrl>,
    capacity: usize,
    dropped: u64,
}

impl SeedSet {
    /// An empty set holding at most `capacity` URLs.
    pub fn new(capacity: usize) -> Self {
        SeedSet {
            capacity,
            ..SeedSet::default()
        }
    }

    /// Adds a URL or merges it with an earlier listing of the same URL.
    pub fn insert(&mut self, mut seed: DiscoveredUrl) -> Inserted {
        seed.url.set_fragment(None);
        if let Some(&i) = self.index.get(seed.url.as_str()) {
            self.seeds[i].merge(seed);
            return Inserted::Merged;
        }
        if self.seeds.len() >= self.capacity {
            self.dropped += 1;
            return Inserted::Full;
        }
        self.index.insert(seed.url.to_string(), self.seeds.len());
        self.seeds.push(seed);
        Inserted::New
    }

    /// Number of distinct URLs held.
    pub fn len(&self) -> usize {
        self.seeds.len()
    }

    /// Whether no URL was collected.
    pub fn is_empty(&self) -> bool {
        self.seeds.is_empty()
    }

    /// The cap given to [`SeedSet::new`].
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// URLs dropped because the set was full.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// The collected URLs in insertion order.
    pub fn into_vec(self) -> Vec<DiscoveredUrl> {
        self.seeds
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed(url: &str, published: Option<&str>, modified: Option<&str>) -> DiscoveredUrl {
        let d = |s: Option<&str>| s.map(|s| s.parse::<DateTime<Utc>>().unwrap());
        DiscoveredUrl {
            url: Url::parse(url).unwrap(),
            published: d(published),
            modified: d(modified),
            title: None,
            source: SeedSource::Sitemap,
            via: Url::parse("https://example.com/sitemap.xml").unwrap(),
        }
    }

    #[test]
    fn dedups_merges_and_caps() {
        let mut set = SeedSet::new(2);
        assert_eq!(
            set.insert(seed(
                "https://e.com/a#top",
                None,
                Some("2024-05-01T00:00:00Z")
            )),
            Inserted::New
        );
        let mut again = seed(
            "https://e.com/a",
            Some("2024-04-30T00:00:00Z"),
            Some("2024-05-02T00:00:00Z"),
        );
        again.title = Some("A".into());
        again.source = SeedSource::NewsSitemap;
        assert_eq!(set.insert(again), Inserted::Merged);
        assert_eq!(
            set.insert(seed("https://e.com/b", None, None)),
            Inserted::New
        );
        assert_eq!(
            set.insert(seed("https://e.com/c", None, None)),
            Inserted::Full
        );
        assert_eq!(set.dropped(), 1);
        let v = set.into_vec();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].url.as_str(), "https://e.com/a");
        assert_eq!(v[0].title.as_deref(), Some("A"));
        assert_eq!(v[0].source, SeedSource::NewsSitemap);
        assert_eq!(
            v[0].published.unwrap().to_rfc3339(),
            "2024-04-30T00:00:00+00:00"
        );
        assert_eq!(
            v[0].date().unwrap().to_rfc3339(),
            "2024-05-02T00:00:00+00:00"
        );
    }
}
