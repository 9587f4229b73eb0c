use std::io::Write;

use super::*;

fn base() -> Url {
    Url::parse("https://example.com/feeds/news.xml").unwrap()
}

fn parse(body: &str) -> Result<ParsedFeed, FeedError> {
    parse_feed(body.as_bytes(), &base(), &FeedLimits::default())
}

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Example News</title>
  <link>https://example.com/</link>
  <lastBuildDate>not a date at all</lastBuildDate>
  <item>
    <title>First story</title>
    <link>https://example.com/2024/05/01/first</link>
    <pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate>
  </item>
  <item>
    <title>Relative link, wrong weekday</title>
    <link>/2024/05/02/second</link>
    <pubDate>Mon, 02 May 2024 08:00:00 +0200</pubDate>
  </item>
  <item>
    <title>Broken date</title>
    <link>https://example.com/third</link>
    <pubDate>32 Foo 2024 99:99</pubDate>
  </item>
  <item>
    <title>Only a guid</title>
    <guid isPermaLink="true">https://example.com/fourth</guid>
    <dc:date>2024-05-03T00:00:00Z</dc:date>
  </item>
  <item><title>No link at all</title><guid isPermaLink="false">abc-123</guid></item>
</channel>
</rss>"#;

#[test]
fn rss2_entries_links_and_dates() {
    let f = parse(RSS).unwrap();
    assert_eq!(f.format, FeedFormat::Rss);
    assert_eq!(f.title.as_deref(), Some("Example News"));
    let links: Vec<_> = f.entries.iter().map(|e| e.link.as_str()).collect();
    assert_eq!(
        links,
        [
            "https://example.com/2024/05/01/first",
            "https://example.com/2024/05/02/second",
            "https://example.com/third",
            "https://example.com/fourth",
        ]
    );
    assert_eq!(
        f.entries[0].published.unwrap().to_rfc3339(),
        "2024-05-01T10:00:00+00:00"
    );
    assert_eq!(
        f.entries[1].published.unwrap().to_rfc3339(),
        "2024-05-02T06:00:00+00:00"
    );
    assert_eq!(f.entries[2].published, None, "invalid date tolerated");
    assert_eq!(f.entries[2].title.as_deref(), Some("Broken date"));
    assert_eq!(
        f.entries[3].published.unwrap().to_rfc3339(),
        "2024-05-03T00:00:00+00:00"
    );
    assert_eq!(f.skipped, 1);
    assert_eq!(
        f.bad_dates, 2,
        "channel date and item date: {:?}",
        f.warnings
    );
    assert!(
        f.warnings.iter().any(|w| w.contains("32 Foo 2024")),
        "{:?}",
        f.warnings
    );
    assert!(f.warnings.iter().any(|w| w.contains("no usable link")));
}

#[test]
fn atom_alternate_links_and_updated() {
    let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom News</title>
  <id>urn:uuid:feed</id>
  <updated>2024-05-02T10:00:00Z</updated>
  <entry>
    <title>A</title>
    <id>tag:example.com,2024:a</id>
    <link rel="edit" href="https://example.com/edit/a"/>
    <link rel="alternate" type="text/html" href="https://example.com/a"/>
    <published>2024-05-01T09:00:00+02:00</published>
    <updated>2024-05-02T09:00:00+02:00</updated>
  </entry>
  <entry>
    <title>B</title>
    <id>tag:example.com,2024:b</id>
    <link href="b.html"/>
    <updated>garbage</updated>
  </entry>
  <entry><title>C</title><id>urn:uuid:c</id></entry>
</feed>"#;
    let f = parse(atom).unwrap();
    assert_eq!(f.format, FeedFormat::Atom);
    assert_eq!(f.entries.len(), 2);
    assert_eq!(f.entries[0].link.as_str(), "https://example.com/a");
    assert_eq!(
        f.entries[0].published.unwrap().to_rfc3339(),
        "2024-05-01T07:00:00+00:00"
    );
    assert_eq!(
        f.entries[0].updated.unwrap().to_rfc3339(),
        "2024-05-02T07:00:00+00:00"
    );
    assert_eq!(
        f.entries[1].link.as_str(),
        "https://example.com/feeds/b.html"
    );
    assert_eq!(f.entries[1].updated, None);
    assert_eq!(f.bad_dates, 1);
    assert_eq!(f.skipped, 1, "urn id is not a link");
}

#[test]
fn json_feed() {
    let json = r#"{
      "version": "https://jsonfeed.org/version/1.1",
      "title": "JSON News",
      "items": [
        {"id": "1", "url": "https://example.com/j1", "title": "J1",
         "date_published": "2024-05-01T10:00:00Z", "date_modified": "2024-05-01T12:00:00Z"},
        {"id": "2", "url": "/j2", "date_published": "the other day"},
        {"id": "3", "content_text": "no url"}
      ]
    }"#;
    let f = parse(json).unwrap();
    assert_eq!(f.format, FeedFormat::JsonFeed);
    assert_eq!(f.entries.len(), 2);
    assert_eq!(f.entries[0].link.as_str(), "https://example.com/j1");
    assert_eq!(
        f.entries[0].updated.unwrap().to_rfc3339(),
        "2024-05-01T12:00:00+00:00"
    );
    assert_eq!(f.entries[1].link.as_str(), "https://example.com/j2");
    assert_eq!(f.entries[1].published, None);
    assert_eq!(f.skipped, 1);
}

#[test]
fn rss1_rdf() {
    let rdf = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://example.com/"><title>RDF</title><link>https://example.com/</link></channel>
  <item rdf:about="https://example.com/r1"><title>R1</title><link>https://example.com/r1</link>
    <dc:date>2024-05-01T10:00:00Z</dc:date></item>
</rdf:RDF>"#;
    let f = parse(rdf).unwrap();
    assert_eq!(f.format, FeedFormat::Rdf);
    assert_eq!(f.entries.len(), 1);
    assert_eq!(f.entries[0].link.as_str(), "https://example.com/r1");
}

#[test]
fn gzip_feed() {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(RSS.as_bytes()).unwrap();
    let gz = enc.finish().unwrap();
    let f = parse_feed(&gz[..], &base(), &FeedLimits::default()).unwrap();
    assert_eq!(f.entries.len(), 4);
}

#[test]
fn broken_and_hostile_feeds_are_errors_not_panics() {
    for bad in [
        "",
        "<rss><channel><item><title>x</item></channel>",
        "<html><body>Not found</body></html>",
        "{\"version\": 1, \"items\": 5}",
        "{not json",
        "\u{0}\u{1}\u{2}",
    ] {
        match parse(bad) {
            Err(e) => assert!(
                e.to_string().contains("https://example.com/feeds/news.xml"),
                "{e}"
            ),
            Ok(f) => assert!(f.entries.is_empty(), "{bad:?} gave entries"),
        }
    }
}

#[test]
fn truncated_feed_keeps_complete_items() {
    let cut = &RSS[..RSS.find("<title>Broken date").unwrap()];
    let f = parse(cut).unwrap();
    assert_eq!(f.entries.len(), 2);
    assert_eq!(
        f.entries[1].link.as_str(),
        "https://example.com/2024/05/02/second"
    );
    assert!(
        f.warnings[0].contains("broken feed") && f.warnings[0].contains("byte"),
        "{:?}",
        f.warnings
    );
}

#[test]
fn size_and_entry_caps() {
    let limits = FeedLimits {
        max_bytes: 100,
        ..Default::default()
    };
    let err = parse_feed(RSS.as_bytes(), &base(), &limits).unwrap_err();
    assert!(
        matches!(err, FeedError::TooLarge { limit: 100, .. }),
        "{err}"
    );
    let limits = FeedLimits {
        max_entries: 2,
        ..Default::default()
    };
    let f = parse_feed(RSS.as_bytes(), &base(), &limits).unwrap();
    assert_eq!(f.entries.len(), 2);
    assert_eq!(f.skipped, 3);
}

#[test]
fn mutated_feeds_never_panic() {
    let mut rng = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    for round in 0..1500 {
        let mut doc = RSS.as_bytes().to_vec();
        for _ in 0..1 + next() % 6 {
            let pos = (next() as usize) % doc.len().max(1);
            match next() % 3 {
                0 => doc.truncate(pos),
                1 if !doc.is_empty() => {
                    let i = pos.min(doc.len() - 1);
                    doc[i] = next() as u8;
                }
                _ => doc.insert(pos.min(doc.len()), b"<&>\"/"[(next() % 5) as usize]),
            }
        }
        if let Ok(f) = parse_feed(&doc[..], &base(), &FeedLimits::default()) {
            assert!(f.entries.len() <= 5, "round {round}");
        }
    }
}
