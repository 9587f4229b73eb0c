//! Publication dates guessed from the page when its metadata says nothing or disagrees: the
//! date shown with the headline, microdata and `<time>` in the article, the URL, labelled lines
//! ("Veröffentlicht am"), date-classed elements, the `<title>`; never a clock, a forum
//! registration date or a date in page chrome.

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset};
use ego_tree::NodeRef;
use regex::Regex;
use scraper::{ElementRef, Html, Node};

use super::chrome::{Chrome, headline, in_chrome};
use crate::extract::dates::{SlashOrder, parse_date_in, parse_loose_in, url_date};
use crate::extract::interned::{self, elements_named, local_name};
use crate::extract::literal_regex::literal_words;
use crate::extract::relative_dates;
use crate::extract::text::{inline_text, short_text, text_prefix};

/// How the page writes ambiguous slash dates, from its `<html lang>`, else its `og:locale` or
/// `content-language` meta.
pub fn slash_order(doc: &Html) -> SlashOrder {
    let root = doc.root_element();
    let lang =
        root.value()
            .attr("lang")
            .or_else(|| root.value().attr("xml:lang"))
            .filter(|l| !l.trim().is_empty())
            .or_else(|| {
                css!(r#"meta[property="og:locale"], meta[http-equiv="content-language" i]"#)
                    .and_then(|s| {
                        interned::select_named(doc, [local_name!("meta")], s)
                            .find_map(|m| m.value().attr("content"))
                    })
            });
    SlashOrder::for_language(lang)
}

/// A date value from an element: `datetime` / `content` attribute, else its text.
fn element_date(e: ElementRef<'_>, order: SlashOrder) -> Option<DateTime<FixedOffset>> {
    let v = e.value();
    for a in ["datetime", "content", "data-datetime", "data-date", "title"] {
        if let Some(d) = v.attr(a).and_then(|x| parse_date_in(x, order)) {
            return Some(d);
        }
    }
    short_text(e, 160).and_then(|t| parse_loose_in(&t, order))
}

/// The publication date guessed from the page, and a note of where it was found.
/// `order` is the page's [`slash_order`], computed once per page by the caller.
pub fn published(
    doc: &Html,
    url: &str,
    chrome: &Chrome,
    order: SlashOrder,
) -> Option<DateTime<FixedOffset>> {
    if let Some(d) = marked_date(doc, chrome, order) {
        return Some(d);
    }
    if let Some(d) = url_date(url) {
        return Some(d);
    }
    if let Some(d) = labelled_date(doc, chrome, order) {
        return Some(d);
    }
    for e in doc
        .tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .filter(|e| is_dateish(e.value()))
        .take(1000)
    {
        let Some(t) = short_text(e, 160) else {
            continue;
        };
        if chrome.hit(*e) {
            continue;
        }
        if let Some(d) = parse_loose_in(&t, order).filter(|_| !not_a_publication_date(&t)) {
            return Some(d);
        }
    }
    near_headline_date(doc, chrome, false, order)
        .or_else(|| title_tag_date(doc, order))
        .or_else(|| headline_article_time(doc, order))
}

/// How many kinds of date-marked element [`date_marks`] tells apart.
const DATE_MARKS: usize = 4;

/// The first date of the most telling kind of date-marked element outside chrome (see
/// [`date_marks`]), in one walk over the elements (in `Html::select`'s order): each kind's
/// first element that gives a date, the walk ending early once the first kind has one.
fn marked_date(doc: &Html, chrome: &Chrome, order: SlashOrder) -> Option<DateTime<FixedOffset>> {
    let mut first: [Option<DateTime<FixedOffset>>; DATE_MARKS] = [None; DATE_MARKS];
    for e in doc.tree.nodes().filter_map(ElementRef::wrap) {
        let open = (0..DATE_MARKS)
            .filter(|k| first[*k].is_none())
            .fold(0u8, |m, k| m | 1 << k);
        let marks = date_marks(e) & open;
        if marks == 0 || chrome.hit(*e) {
            continue;
        }
        let Some(d) = element_date(e, order) else {
            continue;
        };
        for (k, slot) in first.iter_mut().enumerate() {
            if marks & 1 << k != 0 {
                *slot = Some(d);
            }
        }
        if first[0].is_some() {
            break;
        }
    }
    first.into_iter().flatten().next()
}

/// The kinds of date-marked element `e` is, as bits, most telling first; each is the selector
/// in its comment, written out (attribute values compared as the selector engine does:
/// case-sensitively, classes as whole tokens).
fn date_marks(e: ElementRef<'_>) -> u8 {
    let el = e.value();
    let name = &el.name.local;
    let has = |n: &markup5ever::LocalName| interned::get(el, n).is_some();
    let [class, itemprop, property] = interned::get_all(
        el,
        &[
            local_name!("class"),
            local_name!("itemprop"),
            local_name!("property"),
        ],
    );
    let property = property.unwrap_or("");
    let is_time = *name == local_name!("time");
    let has_class = |c: &str| class.is_some_and(|v| interned::has_token(v, c));
    let ancestor = |f: &dyn Fn(&scraper::node::Element) -> bool| {
        e.ancestors()
            .any(|a| matches!(a.value(), Node::Element(x) if f(x)))
    };
    let mut marks = 0u8;
    // [itemprop=datePublished], [itemprop=dateCreated], [property~='schema:datePublished'],
    // [property~='schema:dateCreated'], [property~='dc:date'], [property~='dcterms:created']
    if matches!(itemprop, Some("datePublished" | "dateCreated"))
        || property.split_ascii_whitespace().any(|p| {
            matches!(
                p,
                "schema:datePublished" | "schema:dateCreated" | "dc:date" | "dcterms:created"
            )
        })
    {
        marks |= 1;
    }
    // time[pubdate], time.published, time.entry-date, .published time, .entry-date,
    // abbr.published, .published[title]
    if (is_time
        && (el.attr("pubdate").is_some()
            || has_class("published")
            || has_class("entry-date")
            || ancestor(&|x| interned::has_class(x, "published"))))
        || has_class("entry-date")
        || (*name == local_name!("abbr") && has_class("published"))
        || (has_class("published") && has(&local_name!("title")))
    {
        marks |= 1 << 1;
    }
    if is_time && has(&local_name!("datetime")) {
        // article time[datetime], main time[datetime], [role=main] time[datetime]
        if ancestor(&|x| {
            x.name.local == local_name!("article")
                || x.name.local == local_name!("main")
                || interned::get(x, &local_name!("role")) == Some("main")
        }) {
            marks |= 1 << 2;
        }
        // time[datetime]
        marks |= 1 << 3;
    }
    marks
}

/// An element whose class or id speaks of dates: `[class*=date], [class*=Date],
/// [class*=datum], [id*=date], [class*=publish], [class*=time], [class*=meta],
/// [class*=byline], [class*=dateline]`.
fn is_dateish(e: &scraper::node::Element) -> bool {
    const WORDS: [&str; 7] = ["date", "Date", "datum", "publish", "time", "meta", "byline"];
    interned::class(e).is_some_and(|c| WORDS.iter().any(|w| c.contains(w)))
        || interned::id(e).is_some_and(|i| i.contains("date"))
}

/// A date that is a whole segment of the `<title>` ("08.11.2021 | Fachtag", "News | 2.11.2021").
fn title_tag_date(doc: &Html, order: SlashOrder) -> Option<DateTime<FixedOffset>> {
    let t = elements_named(doc, local_name!("title"))
        .next()
        .map(inline_text)?;
    t.split(['|', '–', '—', '·'])
        .map(str::trim)
        .filter(|seg| seg.len() <= 24 && seg.starts_with(|c: char| c.is_ascii_digit()))
        .find_map(|seg| parse_loose_in(seg, order))
}

/// The date the page shows its readers with the headline (a dateline, a `<time>` under the
/// `<h1>`): the first dated short element from the headline's container on, inside its
/// `<article>` / `<main>`, outside chrome. `None` when the page has no headline outside chrome.
pub fn shown_date(doc: &Html, chrome: &Chrome, order: SlashOrder) -> Option<DateTime<FixedOffset>> {
    near_headline_date(doc, chrome, true, order)
}

/// The first short element from the headline's container on (or a paragraph starting with a
/// date) whose text holds a date, outside chrome. A `<time>` whose `datetime` names the same
/// day as its text gives the attribute's full timestamp. With `need_headline` (the shown date)
/// there must be an `<h1>` and the scan stays inside its `<article>` / `<main>`; without, it is
/// the last resort of [`published`] and runs to the end of the page.
fn near_headline_date(
    doc: &Html,
    chrome: &Chrome,
    need_headline: bool,
    order: SlashOrder,
) -> Option<DateTime<FixedOffset>> {
    let h1 = headline(elements_named(doc, local_name!("h1")).filter(|h| !chrome.hit(**h)));
    if need_headline && h1.is_none() {
        return None;
    }
    // Start at the headline's container: a dateline may sit just before the <h1>. A wrapper
    // that holds nothing but the headline does not count as its container.
    let is_page = |n: NodeRef<'_, Node>| matches!(n.value(), Node::Element(x) if matches!(x.name(), "body" | "html"));
    // The shown date belongs to the headline's article, not to whatever follows it.
    let scope = h1
        .filter(|_| need_headline)
        .and_then(|h| {
            h.ancestors().find(
                |a| matches!(a.value(), Node::Element(x) if matches!(x.name(), "article" | "main")),
            )
        })
        .unwrap_or(*doc.root_element());
    let start = h1
        .and_then(|h| h.parent())
        .map(|p| {
            let alone = p.children().filter(|c| c.value().is_element()).count() == 1;
            match p.parent() {
                Some(gp)
                    if alone && gp.value().is_element() && !is_page(gp) && p.id() != scope.id() =>
                {
                    gp
                }
                _ => p,
            }
        })
        .map(|p| p.id());
    let mut after = h1.is_none();
    for n in scope.descendants() {
        if Some(n.id()) == start {
            after = true;
        }
        if !after {
            continue;
        }
        let Some(e) = ElementRef::wrap(n) else {
            continue;
        };
        if !matches!(
            e.value().name(),
            "p" | "span"
                | "div"
                | "li"
                | "time"
                | "small"
                | "td"
                | "dd"
                | "em"
                | "strong"
                | "b"
                | "font"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
        ) {
            continue;
        }
        let candidate = match short_text(e, 80) {
            Some(t) => parse_loose_in(&t, order)
                .filter(|_| !not_a_publication_date(&t))
                .map(|shown| {
                    // The element's own `<time>` (or the one inside it) gives time and offset.
                    let time = if e.value().name() == "time" {
                        Some(e)
                    } else {
                        css!("time[datetime]").and_then(|s| e.select(s).next())
                    };
                    time.and_then(|t| t.value().attr("datetime"))
                        .and_then(|x| parse_date_in(x, order))
                        .filter(|d| d.date_naive() == shown.date_naive())
                        .unwrap_or(shown)
                }),
            None => {
                let head = text_prefix(e, 25);
                parse_loose_in(&head, order)
                    .filter(|_| head.starts_with(|c: char| c.is_ascii_digit()))
            }
        };
        if let Some(d) = candidate
            && !chrome.hit(n)
        {
            return Some(d);
        }
    }
    None
}

/// The age the page shows with its headline ("3 hours ago", "vor 2 Tagen"; see
/// [`relative_dates::age`]): the first short element from the `<h1>` on, inside the headline's
/// `<article>` / `<main>`, outside chrome (at most 300 elements on). `None` without a headline.
pub fn shown_age(doc: &Html, chrome: &Chrome) -> Option<chrono::Duration> {
    let h1 = headline(elements_named(doc, local_name!("h1")).filter(|h| !chrome.hit(**h)))?;
    let scope = h1
        .ancestors()
        .find(|a| matches!(a.value(), Node::Element(x) if matches!(x.name(), "article" | "main")))
        .unwrap_or(*doc.root_element());
    scope
        .descendants()
        .skip_while(|n| n.id() != h1.id())
        .filter_map(ElementRef::wrap)
        .take(300)
        .filter(|e| {
            matches!(
                e.value().name(),
                "time" | "span" | "p" | "div" | "li" | "small" | "em" | "abbr"
            )
        })
        .find_map(|e| {
            let age = short_text(e, 48).and_then(|t| relative_dates::age(&t))?;
            (!chrome.hit(*e)).then_some(age)
        })
}

/// Words that introduce a publication date ("Datum:", "Veröffentlicht am", "Notizia del").
const DATE_LABELS: &[&str] = &[
    "datum",
    "erscheinungsdatum",
    "erstellungsdatum",
    "publikationsdatum",
    "sendedatum",
    "veröffentlichungsdatum",
    "date:",
    "published",
    "posted",
    "veröffentlich",
    "erschienen",
    "publié",
    "publicado",
    "pubblicato",
    "gepubliceerd",
    "erstellt",
    "stand:",
    "created",
    "last edited",
    "mitteilung vom",
    "meldung vom",
    "artikel vom",
    "beitrag vom",
    "notizia del",
    "comunicato del",
    "communiqué du",
];

/// A date after a label ("Datum:", "Published", "Veröffentlicht am", "Publié le", ...) in the
/// page text outside chrome: the label's text node and the text after it.
fn labelled_date(doc: &Html, chrome: &Chrome, order: SlashOrder) -> Option<DateTime<FixedOffset>> {
    let texts: Vec<NodeRef<'_, Node>> = doc
        .root_element()
        .descendants()
        .filter(|n| n.value().is_text())
        .filter(|n| !n.parent().is_some_and(is_code))
        .collect();
    for (i, n) in texts.iter().enumerate() {
        let Node::Text(t) = n.value() else { continue };
        if t.len() > 300 {
            continue;
        }
        let Some(pos) = find_label(t, &DATE_LABEL_RE) else {
            continue;
        };
        if chrome.hit(*n) {
            continue;
        }
        let mut window: String = t[pos..].to_lowercase();
        for next in texts.iter().skip(i + 1).take(4) {
            if window.len() > 80 {
                break;
            }
            if let Node::Text(x) = next.value() {
                window.push(' ');
                window.push_str(x);
            }
        }
        let window: String = window.chars().take(100).collect();
        if let Some(d) = parse_loose_in(&window, order) {
            return Some(d);
        }
    }
    None
}

/// Labels of dates that are never the article's: a clock in the page chrome ("Aktuelle Zeit:",
/// "It is currently"), a member's registration in a forum profile ("Registriert:").
const OTHER_DATE_LABELS: &[&str] = &[
    "aktuelle zeit",
    "current time",
    "it is currently",
    "today is",
    "heute ist",
    "nous sommes le",
    "hoy es",
    "registriert:",
    "registered:",
    "joined:",
    "mitglied seit",
    "member since",
    "inscrit le",
];

/// [`DATE_LABELS`] as one case-insensitive automaton (this runs on every short text node).
static DATE_LABEL_RE: LazyLock<Regex> = LazyLock::new(|| literal_words(DATE_LABELS));

/// The position of the first label that `labels` finds in `text`, in any case. A one-word
/// label must start a word ("datum" in "Datum:" but not in "Geburtsdatum", "date:" not in
/// "Update:"); a phrase may end a compound ("mitteilung vom" in "Pressemitteilung vom").
fn find_label(text: &str, labels: &Regex) -> Option<usize> {
    labels
        .find_iter(text)
        .find(|m| {
            m.as_str().contains(' ')
                || !text[..m.start()]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
        })
        .map(|m| m.start())
}

/// True when a short text dates something other than the article (see [`OTHER_DATE_LABELS`]).
fn not_a_publication_date(text: &str) -> bool {
    let low = text.to_lowercase();
    OTHER_DATE_LABELS.iter().any(|l| low.contains(l))
}

/// A date after a label in a short text such as the page description
/// ("ORSO MARSICANO (Notizia del 14 Gennaio 2020)").
pub fn labelled_text_date(text: &str, order: SlashOrder) -> Option<DateTime<FixedOffset>> {
    if not_a_publication_date(text) {
        return None;
    }
    let pos = find_label(text, &DATE_LABEL_RE)?;
    let window: String = text[pos..].to_lowercase().chars().take(100).collect();
    parse_loose_in(&window, order)
}

/// A `<time datetime>` anywhere in the `<article>` that holds the headline (or in the page's
/// only `<article>`, when its title is not an `<h1>`), even in its sidebar: the article's own
/// date block, for pages where nothing else dates the article.
fn headline_article_time(doc: &Html, order: SlashOrder) -> Option<DateTime<FixedOffset>> {
    let of_headline = || {
        let h1 = doc.select(css!("article h1")?).find(|h| !in_chrome(**h))?;
        h1.ancestors()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().name() == "article")
    };
    let only = || {
        let mut articles = elements_named(doc, local_name!("article"));
        let first = articles.next().filter(|a| !in_chrome(**a))?;
        articles.next().is_none().then_some(first)
    };
    let article = of_headline().or_else(only)?;
    article.select(css!("time[datetime]")?).find_map(|t| {
        t.value()
            .attr("datetime")
            .and_then(|x| parse_date_in(x, order))
    })
}

fn is_code(n: NodeRef<'_, Node>) -> bool {
    matches!(n.value(), Node::Element(e) if matches!(e.name(), "script" | "style" | "noscript" | "template"))
}

/// The modification date from `[itemprop=dateModified]`.
pub fn modified(doc: &Html, order: SlashOrder) -> Option<DateTime<FixedOffset>> {
    doc.tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .filter(|e| interned::get(e.value(), &local_name!("itemprop")) == Some("dateModified"))
        .find_map(|e| element_date(e, order))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_marks_are_the_selectors_they_replace() {
        let doc = Html::parse_document(
            r#"<p itemprop=datePublished>1</p><p property="og:x dc:date">2</p>
            <time pubdate>3</time><div class=published><time>4</time></div>
            <span class="x entry-date">5</span><abbr class=published>6</abbr>
            <p class=published title=t>7</p><main><time datetime=2020-01-01>8</time></main>
            <div role=main><time datetime=x>9</time></div><time datetime=y>10</time>
            <p property=DC:DATE>11</p><p class=Published title=t>12</p>"#,
        );
        let tries = [
            "[itemprop=datePublished], [itemprop=dateCreated], [property~='schema:datePublished'], \
             [property~='schema:dateCreated'], [property~='dc:date'], [property~='dcterms:created']",
            "time[pubdate], time.published, time.entry-date, .published time, .entry-date, \
             abbr.published, .published[title]",
            "article time[datetime], main time[datetime], [role=main] time[datetime]",
            "time[datetime]",
        ];
        let hits = interned::assert_selector_bits(&doc, &tries, date_marks);
        assert!(hits >= 10, "{hits}");
        let dateish = "[class*=date], [class*=Date], [class*=datum], [id*=date], \
                       [class*=publish], [class*=time], [class*=meta], [class*=byline], \
                       [class*=dateline]";
        let doc = Html::parse_document(
            "<p class=pubDate>a</p><p id=update>b</p><p class=metadata>c</p><p class=DATE>d</p>\
             <p id=Date>e</p><p class=x>f</p>",
        );
        let hits =
            interned::assert_selector_bits(&doc, &[dateish], |e| u8::from(is_dateish(e.value())));
        assert_eq!(hits, 3);
    }

    #[test]
    fn header_widget_date_is_ignored() {
        let doc = Html::parse_document(
            r#"<div class="td-header-top-menu"><div class="td_data_time">Friday, May 3, 2024</div></div>
            <article><p class="post-date">June 22, 2023</p></article>
            <div class="related"><time datetime="2024-05-01">x</time></div>"#,
        );
        let d = published(
            &doc,
            "https://x.com/a",
            &Chrome::new(&doc),
            slash_order(&doc),
        )
        .unwrap();
        assert_eq!(d.to_rfc3339(), "2023-06-22T00:00:00+00:00");
    }

    #[test]
    fn press_release_dateline() {
        let doc = Html::parse_document(
            "<main><h1>Neue Hilfe</h1><div class=intro><p>Pressemitteilung vom 25. Januar 2022 | Berlin\
             <strong>–</strong> Die Ministerin besucht heute das Programm.</p></div></main>",
        );
        let d = published(
            &doc,
            "https://x.de/a",
            &Chrome::new(&doc),
            slash_order(&doc),
        )
        .unwrap();
        assert_eq!(d.to_rfc3339(), "2022-01-25T00:00:00+00:00");
    }

    #[test]
    fn shown_date_needs_a_headline_and_skips_clocks() {
        let doc = Html::parse_document(
            "<body><div class=time>Aktuelle Zeit: 14.10.2020, 12:18</div>\
             <p class=author>r23 » 21.01.2009, 05:42</p></body>",
        );
        assert_eq!(
            shown_date(&doc, &Chrome::new(&doc), slash_order(&doc)),
            None
        );
        // The last-resort scan skips the forum clock and takes the post's date.
        let d = published(&doc, "", &Chrome::new(&doc), slash_order(&doc)).unwrap();
        assert_eq!(d.date_naive().to_string(), "2009-01-21");
    }

    #[test]
    fn shown_time_keeps_its_datetime_attribute() {
        let doc = Html::parse_document(
            r#"<article><h1>Titel</h1><div class=meta><time datetime="2019-10-19T03:00:00.000Z">19.10.2019, 05:00 Uhr</time></div></article>"#,
        );
        assert_eq!(
            shown_date(&doc, &Chrome::new(&doc), slash_order(&doc))
                .map(|d| d.to_rfc3339())
                .as_deref(),
            Some("2019-10-19T03:00:00+00:00")
        );
    }

    #[test]
    fn dateline_before_a_wrapped_headline() {
        // acpjournals.org: the date sits before the wrapper that holds only the <h1>.
        let doc = Html::parse_document(
            "<article><div class=citation><div class=top><span>Original Research</span>\
             <span>7 April 2020</span></div><div class=title-wrap><h1>A study</h1></div></div>\
             <p>Body text.</p></article>",
        );
        assert_eq!(
            shown_date(&doc, &Chrome::new(&doc), slash_order(&doc))
                .map(|d| d.date_naive().to_string())
                .as_deref(),
            Some("2020-04-07")
        );
    }

    #[test]
    fn date_badge_in_separate_elements() {
        let doc = Html::parse_document(
            r#"<div class="post"><div class="datum"><span class="monat">Feb</span> <span class="tag">18</span><span class="jahr">2009</span></div>
            <h2>Post</h2><p>Text</p></div>"#,
        );
        let d = published(&doc, "", &Chrome::new(&doc), slash_order(&doc)).unwrap();
        assert_eq!(d.date_naive().to_string(), "2009-02-18");
    }

    #[test]
    fn time_in_the_articles_own_sidebar_is_a_last_resort() {
        let doc = Html::parse_document(
            r#"<article class="post"><div class="header"><h1>Best of</h1></div>
            <div class="sidebar"><p class="time"><time datetime="2022-01-28">28. Januar 2022</time></p></div>
            <p>Text.</p></article><aside><time datetime="2023-05-05">5.5.2023</time></aside>"#,
        );
        let d = published(&doc, "", &Chrome::new(&doc), slash_order(&doc)).unwrap();
        assert_eq!(d.date_naive().to_string(), "2022-01-28");
        // A blog post titled by an <h2> (the <h1> is the site's name): the page's only
        // <article> dates it; with two articles, neither does.
        let post = r#"<header><h1>Cory D</h1></header><main><article><aside>
            <time datetime="2021-06-06">June 6, 2021</time></aside><h2>A brief intro to git</h2>
            <p>Text.</p></article></main>"#;
        let doc = Html::parse_document(post);
        let d = published(&doc, "", &Chrome::new(&doc), slash_order(&doc));
        assert_eq!(
            d.map(|d| d.date_naive().to_string()).as_deref(),
            Some("2021-06-06")
        );
        let doc = Html::parse_document(&format!("{post}<article><p>More.</p></article>"));
        assert_eq!(
            published(&doc, "", &Chrome::new(&doc), slash_order(&doc)),
            None
        );
    }

    #[test]
    fn labelled_date_in_a_description() {
        let d = labelled_text_date(
            "ORSO MARSICANO: 2019 UN ANNO DA RECORD (Notizia del 14 Gennaio 2020)",
            SlashOrder::DayFirst,
        );
        assert_eq!(
            d.map(|d| d.date_naive().to_string()).as_deref(),
            Some("2020-01-14")
        );
        assert_eq!(
            labelled_text_date("Published in 1998, this book", SlashOrder::MonthFirst),
            None
        );
        assert_eq!(
            labelled_text_date("A story from 14 January 2020", SlashOrder::MonthFirst),
            None
        );
        // Labels start a word: a birth date or a re-creation is no publication.
        for text in [
            "Geburtsdatum: 3. Mai 1950",
            "recreated on 4 July 1990",
            "Update: 4.7.1999",
        ] {
            assert_eq!(
                labelled_text_date(text, SlashOrder::DayFirst),
                None,
                "{text}"
            );
        }
    }

    #[test]
    fn shown_date_stays_inside_the_headline_article() {
        let doc = Html::parse_document(
            "<body><article><h1>Titel</h1><p>Kein Datum hier.</p></article>\
             <section><p>12.03.2021</p></section></body>",
        );
        assert_eq!(
            shown_date(&doc, &Chrome::new(&doc), slash_order(&doc)),
            None
        );
        // The last resort still scans the whole page.
        assert!(published(&doc, "", &Chrome::new(&doc), slash_order(&doc)).is_some());
    }
}
