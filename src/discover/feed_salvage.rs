//! Salvaging entries from an RSS or Atom feed too broken for feed-rs: a quick-xml pass that
//! keeps every complete `<item>`/`<entry>` before the damage.
//!
//! Real feeds break in boring ways: a CMS cuts the output, a stray `&` or an unclosed tag in a
//! description. The items before the damage are still good article links.

use quick_xml::events::Event;
use url::Url;

use super::dates::parse_date;
use super::feed::FeedEntry;

/// Entries read before the XML broke, and the byte offset where it broke (`None` if the
/// document ended cleanly but feed-rs still refused it).
#[derive(Debug, Default)]
pub(crate) struct Salvaged {
    pub(crate) entries: Vec<FeedEntry>,
    pub(crate) broken_at: Option<u64>,
    pub(crate) bad_dates: u64,
    pub(crate) is_atom: bool,
}

#[derive(Default)]
struct Item {
    link: Option<String>,
    guid: Option<String>,
    title: Option<String>,
    published: Option<String>,
    updated: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Link,
    Guid,
    Title,
    Published,
    Updated,
}

/// Deepest nesting considered (deeper elements are ignored).
const MAX_DEPTH: usize = 64;

/// Reads `body` as far as it parses, collecting up to `max_entries` items with a usable link.
pub(crate) fn salvage(body: &[u8], base: &Url, max_entries: usize) -> Salvaged {
    let mut reader = quick_xml::Reader::from_reader(body);
    reader.config_mut().allow_dangling_amp = true;
    let mut out = Salvaged::default();
    let mut buf = Vec::new();
    let mut depth = 0usize;
    let mut item: Option<(usize, Item)> = None;
    let mut field: Option<(usize, Field)> = None;
    let mut text = String::new();
    loop {
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(_) => {
                out.broken_at = Some(reader.error_position());
                break;
            }
        };
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) if depth < MAX_DEPTH => {
                let name = e.local_name();
                let local: &str = name.as_ref();
                if local == "feed" && depth == 0 {
                    out.is_atom = true;
                }
                if matches!(local, "item" | "entry") && item.is_none() {
                    item = Some((depth, Item::default()));
                } else if let Some((_, it)) = item.as_mut().filter(|_| field.is_none()) {
                    let f = match local {
                        "link" => {
                            // Atom: <link rel="alternate" href="..."/>; RSS: <link>text</link>.
                            let attr = |n: &str| {
                                e.try_get_attribute(n).ok().flatten().and_then(|a| {
                                    a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                        .ok()
                                        .map(|v| v.into_owned())
                                })
                            };
                            if let Some(href) = attr("href") {
                                let rel = attr("rel");
                                if matches!(rel.as_deref(), None | Some("alternate"))
                                    && it.link.is_none()
                                {
                                    it.link = Some(href);
                                }
                                None
                            } else {
                                Some(Field::Link)
                            }
                        }
                        "guid" | "id" => Some(Field::Guid),
                        "title" => Some(Field::Title),
                        "pubDate" | "published" | "date" | "issued" => Some(Field::Published),
                        "updated" | "modified" => Some(Field::Updated),
                        _ => None,
                    };
                    if let Some(f) = f.filter(|_| !empty) {
                        field = Some((depth, f));
                        text.clear();
                    }
                }
                if !empty {
                    depth += 1;
                }
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if let Some((d, f)) = field
                    && d == depth
                {
                    field = None;
                    if let Some((_, it)) = item.as_mut() {
                        let v = Some(text.trim().to_string()).filter(|v| !v.is_empty());
                        match f {
                            Field::Link => it.link = it.link.take().or(v),
                            Field::Guid => it.guid = v,
                            Field::Title => it.title = v,
                            Field::Published => it.published = v,
                            Field::Updated => it.updated = v,
                        }
                    }
                }
                if let Some((d, _)) = &item
                    && *d == depth
                    && let Some((_, it)) = item.take()
                    && out.entries.len() < max_entries
                    && let Some(entry) = finish(it, base, &mut out.bad_dates)
                {
                    out.entries.push(entry);
                }
            }
            Event::Text(t) if field.is_some() && text.len() < 8192 => text.push_str(&t),
            Event::CData(t) if field.is_some() && text.len() < 8192 => text.push_str(&t),
            Event::GeneralRef(r) if field.is_some() => match &*r {
                "amp" => text.push('&'),
                "lt" => text.push('<'),
                "gt" => text.push('>'),
                "quot" => text.push('"'),
                "apos" => text.push('\''),
                _ => {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        text.push(c);
                    }
                }
            },
            Event::Eof => {
                // Elements still open: the document was cut off here.
                if depth > 0 {
                    out.broken_at = Some(reader.buffer_position());
                }
                break;
            }
            _ => {}
        }
    }
    out
}

fn finish(it: Item, base: &Url, bad_dates: &mut u64) -> Option<FeedEntry> {
    let link = it
        .link
        .as_deref()
        .and_then(|l| base.join(l.trim()).ok())
        .or_else(|| {
            it.guid
                .as_deref()
                .filter(|g| g.starts_with("http"))
                .and_then(|g| Url::parse(g).ok())
        })
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())?;
    let mut date = |raw: Option<String>| {
        let raw = raw?;
        let d = parse_date(&raw);
        if d.is_none() {
            *bad_dates += 1;
        }
        d
    };
    let published = date(it.published);
    let updated = date(it.updated);
    Some(FeedEntry {
        link,
        title: it.title,
        published,
        updated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://example.com/feed").unwrap()
    }

    #[test]
    fn keeps_items_before_the_damage() {
        let rss = b"<rss><channel><item><title>A &amp; B</title><link>/a</link>\
            <pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate></item>\
            <item><title>B</title><guid>https://example.com/b</guid><pubDate>nope</pubDate></item>\
            <item><title>C</title><link>/c</link><description>x</descr";
        let s = salvage(rss, &base(), 100);
        let links: Vec<_> = s.entries.iter().map(|e| e.link.as_str()).collect();
        assert_eq!(links, ["https://example.com/a", "https://example.com/b"]);
        assert_eq!(s.entries[0].title.as_deref(), Some("A & B"));
        assert!(s.entries[0].published.is_some());
        assert_eq!(s.bad_dates, 1);
        assert!(s.broken_at.is_some() || s.entries.len() == 2);
    }

    #[test]
    fn atom_entries_and_caps() {
        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom">
            <entry><title>X</title><link rel="edit" href="/edit"/><link href="/x"/><updated>2024-05-01T00:00:00Z</updated></entry>
            <entry><title>Y</title><link rel="alternate" href="https://example.com/y"/></entry>
            <entry><title>Z</title><link href="/z"/></ent"#;
        let s = salvage(atom, &base(), 1);
        assert!(s.is_atom);
        assert_eq!(s.entries.len(), 1);
        assert_eq!(s.entries[0].link.as_str(), "https://example.com/x");
        assert!(s.entries[0].updated.is_some());
        let s = salvage(atom, &base(), 10);
        assert_eq!(s.entries.len(), 2);
        assert!(s.broken_at.is_some());
    }

    #[test]
    fn garbage_gives_nothing() {
        for g in [
            &b""[..],
            b"<<<",
            b"\xff\xfe",
            b"<item><link>javascript:x</link></item>",
        ] {
            assert!(salvage(g, &base(), 10).entries.is_empty());
        }
    }
}
