//! Which links the crawl follows: normalisation, site scope, allow/deny, depth and traps.

use url::Url;

use crate::config::CrawlConfig;
use crate::frontier::traps::{calendar_pattern, static_trap};
use crate::frontier::{NewUrl, TrapReason, normalize, origin_key};

/// A link refused, and why (for counting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Not http(s) or not a URL.
    BadUrl,
    /// Another site.
    OffSite,
    /// Allow/deny lists.
    Filtered,
    /// Deeper than the site's `max_depth`.
    TooDeep,
    /// A crawler trap.
    Trap(TrapReason),
}

/// A link accepted, with its trap-pattern budget (checked by the frontier).
pub type Scoped = (NewUrl, Option<(String, u64)>);

/// The frontier priority (lower is fetched first) of a link at `depth` found on a page that
/// was (`from_listing`) or was not classified a listing.
///
/// The frontier serves an origin's URLs by `(prio, id)`. Links are ordered by depth first
/// (breadth-first, as insertion order already was), and within one depth the links found on
/// listing pages (home, section, tag, archive pages) come before those found on any other page
/// (article footers, related links): `1 + 2 * depth`, plus one when not from a listing. Seeds
/// (depth 0) get 1, redirect targets 0 (ahead of everything).
pub fn link_prio(depth: u32, from_listing: bool) -> i64 {
    1 + 2 * i64::from(depth) + i64::from(!from_listing)
}

/// Scope one link found on a page of site `site` at depth `depth`; `from_listing` says
/// whether that page was classified a listing (see [`link_prio`]).
pub fn scope_link(
    cfg: &CrawlConfig,
    base: &Url,
    link: &str,
    site: usize,
    depth: u32,
    from_listing: bool,
    current_year: i32,
) -> Result<Scoped, Refused> {
    let url = normalize(link, Some(base)).map_err(|_| Refused::BadUrl)?;
    let Some(parent) = cfg.sites.get(site) else {
        return Err(Refused::OffSite);
    };
    let target_site = match cfg.site_of(&url) {
        Some(s) => s,
        None if !parent.same_site => site,
        None => return Err(Refused::OffSite),
    };
    // Links between two configured sites are fine: each follows its own rules.
    let s = &cfg.sites[target_site];
    let depth = depth + 1;
    if depth > s.max_depth {
        return Err(Refused::TooDeep);
    }
    if !s.permits(url.as_str()) {
        return Err(Refused::Filtered);
    }
    let prio = link_prio(depth, from_listing);
    accept(cfg, url, target_site, depth, 0, prio, current_year)
}

/// Scope a redirect target: same depth, one more hop, only deny lists and traps apply (a seed
/// may redirect to another host, e.g. `http://x` → `https://www.x`).
pub fn scope_redirect(
    cfg: &CrawlConfig,
    base: &Url,
    location: &str,
    site: usize,
    depth: u32,
    hops: u32,
    current_year: i32,
) -> Result<Scoped, Refused> {
    let url = normalize(location, Some(base)).map_err(|_| Refused::BadUrl)?;
    let s = cfg.site_of(&url).unwrap_or(site);
    if let Some(site_cfg) = cfg.sites.get(s)
        && site_cfg.deny.iter().any(|r| r.is_match(url.as_str()))
    {
        return Err(Refused::Filtered);
    }
    accept(cfg, url, s, depth, hops + 1, 0, current_year)
}

/// A seed or discovered URL: depth 0, no scope check beyond normalisation.
pub fn seed(url: &Url, site: usize, discovered: Option<String>) -> NewUrl {
    NewUrl {
        url: url.to_string(),
        origin: origin_key(url),
        depth: 0,
        hops: 0,
        prio: link_prio(0, true),
        site: site as u32,
        discovered,
    }
}

fn accept(
    cfg: &CrawlConfig,
    url: Url,
    site: usize,
    depth: u32,
    hops: u32,
    prio: i64,
    current_year: i32,
) -> Result<Scoped, Refused> {
    if let Some(t) = static_trap(&url, &cfg.traps, current_year) {
        return Err(Refused::Trap(t));
    }
    let pattern = calendar_pattern(&url).map(|p| (p, cfg.traps.max_per_pattern));
    Ok((
        NewUrl {
            origin: origin_key(&url),
            url: url.to_string(),
            depth,
            hops,
            prio,
            site: site as u32,
            discovered: None,
        },
        pattern,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Overrides, build};

    fn cfg() -> CrawlConfig {
        build(
            None,
            Overrides {
                seeds: vec![
                    "http://news.example/".into(),
                    "http://127.0.0.1:8080/".into(),
                ],
                deny: vec!["/private/".into()],
                max_depth: Some(2),
                ..Default::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn scoping_rules() {
        let c = cfg();
        let base = Url::parse("http://news.example/a/").unwrap();
        let ok = scope_link(&c, &base, "b?utm_source=x#f", 0, 0, true, 2026).unwrap();
        assert_eq!(ok.0.url, "http://news.example/a/b");
        assert_eq!(ok.0.depth, 1);
        assert_eq!(ok.0.origin, "http://news.example:80");
        assert_eq!(
            scope_link(&c, &base, "http://other.example/", 0, 0, true, 2026).unwrap_err(),
            Refused::OffSite
        );
        assert_eq!(
            scope_link(&c, &base, "/private/x", 0, 0, true, 2026).unwrap_err(),
            Refused::Filtered
        );
        assert_eq!(
            scope_link(&c, &base, "/x", 0, 2, true, 2026).unwrap_err(),
            Refused::TooDeep
        );
        assert_eq!(
            scope_link(&c, &base, "mailto:x@y", 0, 0, true, 2026).unwrap_err(),
            Refused::BadUrl
        );
        assert!(matches!(
            scope_link(&c, &base, "/calendar/2090/01", 0, 0, true, 2026).unwrap_err(),
            Refused::Trap(_)
        ));
        let cal = scope_link(&c, &base, "/calendar/2025/01", 0, 0, true, 2026).unwrap();
        assert!(cal.1.is_some());
        // Same host, other port: another origin of the same site key.
        let b2 = Url::parse("http://127.0.0.1:8080/").unwrap();
        let o = scope_link(&c, &b2, "http://127.0.0.1:9090/z", 1, 0, true, 2026).unwrap();
        assert_eq!(o.0.origin, "http://127.0.0.1:9090");
    }

    #[test]
    fn listing_links_come_first_within_a_depth() {
        let c = cfg();
        let base = Url::parse("http://news.example/").unwrap();
        let prio = |from_listing, depth| {
            scope_link(&c, &base, "/x", 0, depth, from_listing, 2026)
                .unwrap()
                .0
                .prio
        };
        // Depth 1: listing links before article links; both after the seeds (1).
        assert_eq!((prio(true, 0), prio(false, 0)), (3, 4));
        // A deeper listing link still waits for the shallower article links.
        assert!(prio(true, 1) > prio(false, 0));
        let seed = seed(&base, 0, None);
        assert!(seed.prio < prio(true, 0));
    }

    #[test]
    fn redirects_keep_depth_and_count_hops() {
        let c = cfg();
        let base = Url::parse("http://news.example/old").unwrap();
        let r = scope_redirect(&c, &base, "https://elsewhere.example/new", 0, 2, 3, 2026).unwrap();
        assert_eq!((r.0.depth, r.0.hops, r.0.prio), (2, 4, 0));
        assert_eq!(
            scope_redirect(&c, &base, "/private/p", 0, 0, 0, 2026).unwrap_err(),
            Refused::Filtered
        );
    }
}
