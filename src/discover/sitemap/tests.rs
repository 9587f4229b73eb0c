//! Unit tests of the parent module; its `mod tests;` line is behind #[cfg(test)], so none of this is built into the library.

use std::io::{Read, Write};

use super::*;

fn base() -> Url {
    Url::parse("https://example.com/sitemap.xml").unwrap()
}

fn parse(xml: &[u8]) -> ParsedSitemap {
    parse_sitemap(xml, &base(), &SitemapLimits::default())
}

fn urls(p: &ParsedSitemap) -> Vec<&SitemapUrl> {
    p.items
        .iter()
        .filter_map(|i| match i {
            SitemapItem::Url(u) => Some(u),
            SitemapItem::Sitemap(_) => None,
        })
        .collect()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

const NEWS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://example.com/news/2024/05/01/story?a=1&amp;b=2</loc>
    <lastmod>2024-05-01T12:00:00+02:00</lastmod>
    <news:news>
      <news:publication>
        <news:name>Example Times</news:name>
        <news:language>en</news:language>
      </news:publication>
      <news:publication_date>2024-05-01T09:30:00Z</news:publication_date>
      <news:title><![CDATA[Storm & "flood" <warning>]]></news:title>
      <news:keywords>weather, storm ,, flood</news:keywords>
    </news:news>
    <image:image><image:loc>https://img.example.com/a.jpg</image:loc></image:image>
    <image:image><image:loc>/relative.jpg</image:loc></image:image>
  </url>
  <url><loc> https://example.com/plain &#x263A; </loc></url>
</urlset>"#;

#[test]
fn news_sitemap_fields() {
    let p = parse(NEWS.as_bytes());
    assert!(p.error.is_none(), "{:?}", p.error);
    assert_eq!(p.kind, Some(SitemapKind::UrlSet));
    let u = urls(&p);
    assert_eq!(u.len(), 2);
    assert_eq!(
        u[0].loc.as_str(),
        "https://example.com/news/2024/05/01/story?a=1&b=2"
    );
    assert_eq!(
        u[0].lastmod.unwrap().to_rfc3339(),
        "2024-05-01T10:00:00+00:00"
    );
    let news = u[0].news.as_ref().unwrap();
    assert_eq!(news.publication.as_deref(), Some("Example Times"));
    assert_eq!(news.language.as_deref(), Some("en"));
    assert_eq!(
        news.published.unwrap().to_rfc3339(),
        "2024-05-01T09:30:00+00:00"
    );
    assert_eq!(news.title.as_deref(), Some(r#"Storm & "flood" <warning>"#));
    assert_eq!(news.keywords, ["weather", "storm", "flood"]);
    assert_eq!(u[0].images.len(), 1, "relative image:loc dropped");
    assert_eq!(u[0].images[0].as_str(), "https://img.example.com/a.jpg");
    assert_eq!(u[1].loc.as_str(), "https://example.com/plain%20%E2%98%BA");
    assert!(u[1].news.is_none());
    assert_eq!(p.stats.entries, 2);
    assert_eq!(p.stats.warnings.len(), 1, "{:?}", p.stats.warnings);
}

#[test]
fn sitemap_index_with_lastmod() {
    let xml = br#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://example.com/s1.xml.gz</loc><lastmod>2024-05-02</lastmod></sitemap>
      <sitemap><loc>https://example.com/s2.xml</loc></sitemap>
      <sitemap><lastmod>2024-05-02</lastmod></sitemap>
    </sitemapindex>"#;
    let p = parse(xml);
    assert!(p.error.is_none());
    assert_eq!(p.kind, Some(SitemapKind::Index));
    let refs: Vec<_> = p
        .items
        .iter()
        .map(|i| match i {
            SitemapItem::Sitemap(r) => (r.loc.to_string(), r.lastmod.map(|d| d.to_rfc3339())),
            SitemapItem::Url(_) => panic!("url in index"),
        })
        .collect();
    assert_eq!(
        refs,
        [
            (
                "https://example.com/s1.xml.gz".to_string(),
                Some("2024-05-02T00:00:00+00:00".into())
            ),
            ("https://example.com/s2.xml".to_string(), None),
        ]
    );
    assert_eq!(p.stats.rejected_locs, 1, "entry without loc is counted");
}

#[test]
fn relative_and_invalid_locs_are_rejected_and_counted() {
    let xml = br#"<urlset>
      <url><loc>/news/relative</loc></url>
      <url><loc>javascript:alert(1)</loc></url>
      <url><loc>mailto:a@b.c</loc></url>
      <url><loc>http://</loc></url>
      <url><loc></loc></url>
      <url><loc>https://example.com/ok</loc><lastmod>last tuesday</lastmod></url>
    </urlset>"#;
    let p = parse(xml);
    assert!(p.error.is_none());
    let u = urls(&p);
    assert_eq!(u.len(), 1);
    assert_eq!(u[0].loc.as_str(), "https://example.com/ok");
    assert_eq!(u[0].lastmod, None, "bad date dropped, entry kept");
    assert_eq!(p.stats.rejected_locs, 5);
    assert_eq!(p.stats.bad_dates, 1);
    assert!(
        p.stats.warnings.iter().any(|w| w.contains("relative URL")),
        "{:?}",
        p.stats.warnings
    );
}

#[test]
fn dangling_ampersand_in_loc_is_tolerated() {
    let xml = b"<urlset><url><loc>https://example.com/a?x=1&y=2</loc></url></urlset>";
    let p = parse(xml);
    assert!(p.error.is_none(), "{:?}", p.error);
    assert_eq!(urls(&p)[0].loc.as_str(), "https://example.com/a?x=1&y=2");
}

#[test]
fn broken_xml_yields_entries_before_the_damage_then_an_offset() {
    let xml = b"<urlset><url><loc>https://example.com/1</loc></url>\
                <url><loc>https://example.com/2</loc></url>\
                <url><loc>https://example.com/3</lox></url>\
                <url><loc>https://example.com/4</loc></url></urlset>";
    let p = parse(xml);
    assert_eq!(urls(&p).len(), 2);
    match p.error {
        Some(SitemapError::Malformed {
            offset,
            ref message,
            ..
        }) => {
            assert!(offset > 90 && offset < 160, "offset {offset}");
            assert!(!message.is_empty());
        }
        other => panic!("expected Malformed, got {other:?}"),
    }
    let msg = p.error.unwrap().to_string();
    assert!(
        msg.contains("https://example.com/sitemap.xml") && msg.contains("byte"),
        "{msg}"
    );
}

#[test]
fn truncated_document_is_reported() {
    let xml = b"<urlset><url><loc>https://example.com/1</loc></url><url><loc>https://exa";
    let p = parse(xml);
    assert_eq!(urls(&p).len(), 1);
    assert!(
        matches!(
            p.error,
            Some(SitemapError::Truncated { .. } | SitemapError::Malformed { .. })
        ),
        "{:?}",
        p.error
    );
}

#[test]
fn garbage_inputs_never_panic() {
    let cases: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"   ".to_vec(),
        b"<".to_vec(),
        b"<urlset".to_vec(),
        b"<urlset><url><loc>".to_vec(),
        b"<<<>>>".to_vec(),
        b"<urlset>\xff\xfe\x00garbage</urlset>".to_vec(),
        b"<urlset><url><loc>https://e.com/\xff</loc></url></urlset>".to_vec(),
        b"\x1f\x8bnot really gzip".to_vec(),
        b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]><urlset>&a;&a;</urlset>".to_vec(),
        "<urlset><url><loc>https://e.com/&#0;&#xD800;&bogus;</loc></url></urlset>".into(),
        (0..=255u8).collect(),
    ];
    for case in cases {
        let p = parse(&case);
        assert!(p.items.len() <= 1, "{case:?}");
    }
}

#[test]
fn not_a_sitemap_is_named() {
    let p = parse(b"<?xml version='1.0'?><rss version='2.0'><channel/></rss>");
    assert!(matches!(p.error, Some(SitemapError::NotASitemap { ref root, .. }) if root == "rss"));
    let p = parse(b"<!doctype html><html><body>Not found</body></html>");
    assert!(matches!(p.error, Some(SitemapError::NotASitemap { ref root, .. }) if root == "html"));
    let p = parse(b"");
    assert!(
        matches!(p.error, Some(SitemapError::NotASitemap { .. })),
        "{:?}",
        p.error
    );
}

#[test]
fn plain_text_sitemap() {
    let txt = b"https://example.com/a\r\n\n# comment\nnot a url\nhttps://example.com/b";
    let p = parse(txt);
    assert!(p.error.is_none());
    assert_eq!(p.kind, Some(SitemapKind::Text));
    let locs: Vec<_> = urls(&p).iter().map(|u| u.loc.to_string()).collect();
    assert_eq!(locs, ["https://example.com/a", "https://example.com/b"]);
    assert_eq!(p.stats.rejected_locs, 1);
}

#[test]
fn gzip_sitemap_is_detected_by_magic_bytes() {
    let p = parse(&gzip(NEWS.as_bytes()));
    assert!(p.error.is_none(), "{:?}", p.error);
    assert!(p.stats.gzip);
    assert_eq!(urls(&p).len(), 2);
    assert_eq!(p.stats.bytes, NEWS.len() as u64);
}

#[test]
fn corrupt_gzip_is_an_io_error_after_the_good_part() {
    let mut gz = gzip(NEWS.as_bytes());
    let n = gz.len();
    gz[n / 2..]
        .iter_mut()
        .for_each(|b| *b = b.wrapping_mul(7).wrapping_add(1));
    let p = parse(&gz);
    assert!(p.error.is_some(), "corruption must be reported");
}

#[test]
fn gzip_bomb_stops_at_the_byte_cap() {
    // One gzip member of 1 MiB of entries, repeated: concatenated members decode to 64 MiB.
    let mut entries = String::from("<urlset>");
    while entries.len() < 1 << 20 {
        entries.push_str("<url><loc>https://example.com/x</loc></url>");
    }
    let member = gzip(entries.as_bytes());
    let mut bomb = Vec::new();
    for _ in 0..64 {
        bomb.extend_from_slice(&member);
    }
    assert!(
        bomb.len() < 1 << 20,
        "compressed bomb stays small: {}",
        bomb.len()
    );
    let limits = SitemapLimits {
        max_bytes: 4 << 20,
        max_entries: u64::MAX,
        ..Default::default()
    };
    let p = parse_sitemap(&bomb[..], &base(), &limits);
    assert!(
        matches!(p.error, Some(SitemapError::TooLarge { limit, .. }) if limit == 4 << 20),
        "{:?}",
        p.error
    );
    assert!(p.stats.bytes <= 4 << 20);
    assert!(!p.items.is_empty());
}

#[test]
fn entry_cap_stops_with_an_error() {
    let mut xml = String::from("<urlset>");
    for i in 0..20 {
        xml.push_str(&format!("<url><loc>https://example.com/{i}</loc></url>"));
    }
    xml.push_str("</urlset>");
    let limits = SitemapLimits {
        max_entries: 10,
        ..Default::default()
    };
    let p = parse_sitemap(xml.as_bytes(), &base(), &limits);
    assert_eq!(p.items.len(), 10);
    assert!(matches!(
        p.error,
        Some(SitemapError::TooManyEntries { limit: 10, .. })
    ));
}

#[test]
fn huge_element_and_oversized_field() {
    // A 2 MiB loc: one text event above the 1 MiB event cap.
    let xml = format!(
        "<urlset><url><loc>https://example.com/{}</loc></url></urlset>",
        "a".repeat(2 << 20)
    );
    let p = parse(xml.as_bytes());
    assert!(
        matches!(p.error, Some(SitemapError::ElementTooLarge { .. })),
        "{:?}",
        p.error
    );

    // A 20 KiB loc: under the event cap, over the field cap: entry dropped with a warning.
    let xml = format!(
        "<urlset><url><loc>https://example.com/{}</loc></url><url><loc>https://example.com/ok</loc></url></urlset>",
        "a".repeat(20 << 10)
    );
    let p = parse(xml.as_bytes());
    assert!(p.error.is_none());
    assert_eq!(urls(&p).len(), 1);
    assert_eq!(p.stats.oversized_fields, 1);
}

#[test]
fn deep_nesting_is_bounded() {
    let xml = format!(
        "<urlset><url><loc>https://example.com/a</loc>{}{}</url></urlset>",
        "<x>".repeat(10_000),
        "</x>".repeat(10_000)
    );
    let p = parse(xml.as_bytes());
    assert!(p.error.is_none(), "{:?}", p.error);
    assert_eq!(urls(&p).len(), 1);
}

#[test]
fn fifty_thousand_urls() {
    let mut xml = String::from(
        r#"<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#,
    );
    for i in 0..50_000 {
        xml.push_str(&format!(
            "<url><loc>https://example.com/news/{i}</loc><lastmod>2024-05-01T10:00:00Z</lastmod></url>\n"
        ));
    }
    xml.push_str("</urlset>");
    let p = parse(xml.as_bytes());
    assert!(p.error.is_none(), "{:?}", p.error);
    assert_eq!(p.items.len(), 50_000);
    assert_eq!(p.stats.entries, 50_000);
    assert_eq!(
        urls(&p)[49_999].loc.as_str(),
        "https://example.com/news/49999"
    );
}

/// Generates a urlset of about `target` bytes on the fly, never holding it in memory.
struct Generated {
    /// Bytes handed to the reader so far, readable from outside while it is parsing.
    handed: std::sync::Arc<std::sync::atomic::AtomicU64>,
    target: u64,
    produced: u64,
    next: u64,
    chunk: Vec<u8>,
    pos: usize,
    done: bool,
}

impl Generated {
    fn new(target: u64) -> Self {
        let header = b"<?xml version=\"1.0\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
        Generated {
            handed: Default::default(),
            target,
            produced: 0,
            next: 0,
            chunk: header.to_vec(),
            pos: 0,
            done: false,
        }
    }
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.read_inner(buf)?;
        self.handed
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

impl Generated {
    fn read_inner(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.chunk.len() {
            if self.done {
                return Ok(0);
            }
            self.chunk.clear();
            self.pos = 0;
            if self.produced >= self.target {
                self.chunk.extend_from_slice(b"</urlset>\n");
                self.done = true;
            } else {
                for _ in 0..100 {
                    let i = self.next;
                    self.next += 1;
                    writeln!(
                        self.chunk,
                        "<url><loc>https://example.com/section/{i}/a-long-enough-article-slug</loc>\
                         <lastmod>2024-05-01T10:00:00Z</lastmod></url>"
                    )?;
                }
            }
        }
        let n = buf.len().min(self.chunk.len() - self.pos);
        buf[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        self.produced += n as u64;
        Ok(n)
    }
}

/// Streaming, proven without measuring the process's memory (which the tests running in
/// parallel share): at every checkpoint the parser has been handed at most a fixed read-ahead
/// beyond the entries it has already yielded, so it can never hold the 100 MB document.
/// (`cargo bench --bench sitemap` reports the memory figure.)
#[test]
fn hundred_megabyte_sitemap_streams_in_bounded_memory() {
    let target = 100 << 20;
    let source = Generated::new(target);
    let handed = source.handed.clone();
    let mut reader = SitemapReader::new(
        source,
        &base(),
        &SitemapLimits {
            max_entries: u64::MAX,
            ..Default::default()
        },
    )
    .unwrap();
    let mut count = 0u64;
    let mut last = None;
    let mut checkpoints = Vec::new();
    for item in reader.by_ref() {
        match item.unwrap() {
            SitemapItem::Url(u) => last = Some(u.loc),
            SitemapItem::Sitemap(_) => panic!("index entry"),
        }
        count += 1;
        if count == 1 || count.is_multiple_of(50_000) {
            checkpoints.push((count, handed.load(std::sync::atomic::Ordering::Relaxed)));
        }
    }
    let stats = reader.into_stats();
    assert!(stats.bytes >= target, "read {} bytes", stats.bytes);
    assert!(count > 800_000, "{count} entries");
    assert_eq!(stats.entries, count);
    let expect = format!(
        "https://example.com/section/{}/a-long-enough-article-slug",
        count - 1
    );
    assert_eq!(last.unwrap().as_str(), expect);
    let per_entry = stats.bytes as f64 / count as f64;
    const READ_AHEAD: f64 = (2 << 20) as f64;
    for (n, got) in checkpoints {
        assert!(
            (got as f64) <= n as f64 * per_entry + READ_AHEAD,
            "after {n} entries the parser had been handed {got} bytes: it reads ahead of what it yields"
        );
    }
}

/// A tiny deterministic PRNG (xorshift) for mutation tests.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn thousands_of_mutated_sitemaps_never_panic() {
    let seeds: [&[u8]; 3] = [
        NEWS.as_bytes(),
        b"<sitemapindex><sitemap><loc>https://e.com/a.xml</loc><lastmod>2024-05-01</lastmod></sitemap></sitemapindex>",
        b"https://e.com/a\nhttps://e.com/b\n",
    ];
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let limits = SitemapLimits {
        max_bytes: 1 << 16,
        max_event_bytes: 1 << 12,
        ..Default::default()
    };
    for round in 0..3000 {
        let mut doc = seeds[round % seeds.len()].to_vec();
        for _ in 0..1 + xorshift(&mut rng) % 8 {
            let pos = (xorshift(&mut rng) as usize) % doc.len().max(1);
            match xorshift(&mut rng) % 4 {
                0 => doc.truncate(pos),
                1 if !doc.is_empty() => {
                    let i = pos.min(doc.len() - 1);
                    doc[i] = xorshift(&mut rng) as u8;
                }
                2 => doc.insert(
                    pos.min(doc.len()),
                    b"<&>\"'/"[(xorshift(&mut rng) % 6) as usize],
                ),
                _ => {
                    let end = (pos + 16).min(doc.len());
                    let chunk = doc[pos.min(end)..end].to_vec();
                    doc.splice(pos.min(doc.len())..pos.min(doc.len()), chunk);
                }
            }
        }
        let p = parse_sitemap(&doc[..], &base(), &limits);
        assert_eq!(p.stats.entries, p.items.len() as u64, "round {round}");
        if round % 2 == 0 {
            let z = parse_sitemap(&gzip(&doc)[..], &base(), &limits);
            assert_eq!(z.items, p.items, "gzip changes nothing, round {round}");
        }
    }
}
