//! The byline guessed from the page: labelled lines ("By", "Von", "Autor:", "Text:"), then
//! author-ish elements (`rel=author`, `.byline`, `.author`), outside chrome, author boxes and
//! share bars.

use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node};

use super::chrome::Chrome;
use crate::extract::interned::local_name;
use crate::extract::text::short_text;

/// Byline text from author-ish elements outside chrome: a labelled line wins; else the first
/// of the author-ish element kinds ([`authorish_kinds`]) whose first five texts hold a name.
///
/// One walk over the elements (in `Html::select`'s order) reads both: the labelled line ends
/// it early; the author-ish texts are gathered on the way, each kind's first five.
pub fn byline(doc: &Html, chrome: &Chrome) -> Vec<String> {
    let mut authorish: [Vec<String>; AUTHORISH] = Default::default();
    let mut label_tries = 0usize;
    for node in doc.tree.nodes() {
        let Some(e) = ElementRef::wrap(node) else {
            continue;
        };
        if label_tries < 20_000 && is_label_tag(e.value().name()) {
            label_tries += 1;
            if let Some(names) = labelled_byline(e, chrome) {
                return names;
            }
        }
        let kinds = authorish_kinds(e);
        if kinds == 0
            || authorish
                .iter()
                .enumerate()
                .all(|(k, v)| kinds & 1 << k == 0 || v.len() >= 5)
        {
            continue;
        }
        if chrome.byline_hit(*e) {
            continue;
        }
        let text = match e.value().attr("content") {
            Some(c) => Some(c.to_string()),
            None => short_text(e, 120),
        };
        let Some(text) = text.filter(|t| !t.is_empty() && t.chars().count() <= 100) else {
            continue;
        };
        for (k, found) in authorish.iter_mut().enumerate() {
            if kinds & 1 << k != 0 && found.len() < 5 {
                found.push(text.clone());
            }
        }
    }
    authorish
        .iter()
        .map(|found| crate::extract::authors::clean_authors(found))
        .find(|names| !names.is_empty())
        .unwrap_or_default()
}

/// How many kinds of author-ish element [`authorish_kinds`] tells apart.
const AUTHORISH: usize = 6;

/// The author-ish element kinds `e` is, as bits, in the order they are tried; each is the
/// selector in its comment, written out (class and id compared as the selector engine does:
/// case-sensitively; `rel` ASCII case-insensitively):
fn authorish_kinds(e: ElementRef<'_>) -> u8 {
    use crate::extract::interned::{self as attrs, local_name};
    let el = e.value();
    // `<body>` / `<html>` classes describe the page ("author-hidden"), not an author.
    if matches!(el.name(), "body" | "html") {
        return 0;
    }
    let [class, id, itemprop, rel] = attrs::get_all(
        el,
        &[
            local_name!("class"),
            local_name!("id"),
            local_name!("itemprop"),
            local_name!("rel"),
        ],
    );
    let (class, id) = (class.unwrap_or(""), id.unwrap_or(""));
    let has_class = |c: &str| attrs::has_token(class, c);
    // The classes of `<body>` / `<html>` describe the page ("author-hidden", "single-author"),
    // not an element inside it.
    let ancestor = |f: &dyn Fn(&str) -> bool| {
        e.ancestors().any(|a| match a.value() {
            Node::Element(x) => {
                !matches!(x.name(), "body" | "html") && f(attrs::class(x).unwrap_or(""))
            }
            _ => false,
        })
    };
    let mut kinds = 0u8;
    // [itemprop=author] [itemprop=name]
    if itemprop == Some("name")
        && e.ancestors().any(|a| {
            matches!(a.value(), Node::Element(x)
                if attrs::get(x, &local_name!("itemprop")) == Some("author"))
        })
    {
        kinds |= 1;
    }
    // [itemprop=author]
    if itemprop == Some("author") {
        kinds |= 1 << 1;
    }
    // a[rel=author], [rel=author] (`rel` ignores ASCII case on HTML elements only)
    let html = el.name.ns == markup5ever::ns!(html);
    if rel.is_some_and(|r| r == "author" || (html && r.eq_ignore_ascii_case("author"))) {
        kinds |= 1 << 2;
    }
    // .byline, .by-line, .article-byline, .author-name, .authorName, .author_name
    let named = [
        "byline",
        "by-line",
        "article-byline",
        "author-name",
        "authorName",
        "author_name",
    ];
    if named.iter().any(|c| has_class(c)) {
        kinds |= 1 << 3;
    }
    // [class*=byline], [class*=author] a, .author, [class*=Author], [class*=author] (the `a`'s
    // ancestor below `<body>`)
    if ["byline", "author", "Author"]
        .iter()
        .any(|w| class.contains(w))
        || (el.name() == "a" && ancestor(&|c| c.contains("author")))
    {
        kinds |= 1 << 4;
    }
    // .vcard .fn, .post-author .fn, [id*=author]
    if id.contains("author")
        || (has_class("fn")
            && ancestor(&|c| attrs::has_token(c, "vcard") || attrs::has_token(c, "post-author")))
    {
        kinds |= 1 << 5;
    }
    kinds
}

/// The elements a labelled byline is looked for in.
fn is_label_tag(name: &str) -> bool {
    matches!(
        name,
        "p" | "span"
            | "div"
            | "em"
            | "i"
            | "b"
            | "strong"
            | "small"
            | "li"
            | "h4"
            | "h5"
            | "h6"
            | "td"
            | "address"
            | "dd"
    )
}

/// The user who started a forum thread: the first user name the page shows for a post
/// (schema.org `author` / `creator` markup, the user-name classes of the common forum
/// engines), outside chrome. Forum users are known by handles ("DaleJack", "b.scherer"),
/// which a byline would not take for names.
///
/// A page that renders its posts with a script may show them only in a `<noscript>` crawler
/// view (Discourse, Flarum), which the parser keeps as raw text: that view is parsed and
/// searched when the page itself names nobody.
pub fn thread_starter(doc: &Html, chrome: &Chrome) -> Option<String> {
    first_poster(doc, chrome).or_else(|| {
        let view = noscript_view(doc)?;
        first_poster(&view, &Chrome::new(&view))
    })
}

/// The largest `<noscript>` whose raw text is markup, parsed on its own.
fn noscript_view(doc: &Html) -> Option<Html> {
    let raw = crate::extract::interned::elements_named(doc, local_name!("noscript"))
        .filter_map(|n| match n.first_child()?.value() {
            Node::Text(t) if t.contains('<') => Some(&**t),
            _ => None,
        })
        .max_by_key(|t| t.len())?;
    Some(Html::parse_fragment(raw))
}

/// [`thread_starter`] over the page's own elements.
fn first_poster(doc: &Html, chrome: &Chrome) -> Option<String> {
    let s = css!(
        "[itemprop=author] [itemprop=name], [itemprop=author][itemprop=name], .username, \
         .bigusername, .creator a, .author-name, a.author, .postauthor, .poster h4 a, \
         .PostUser-name, .u-author, .message-name, [data-username]"
    )?;
    doc.select(s).take(5000).find_map(|e| {
        if chrome.byline_hit(*e) {
            return None;
        }
        let t = e
            .value()
            .attr("data-username")
            .map(str::to_string)
            .or_else(|| short_text(e, 60))?;
        let t = t.trim_start_matches('@').trim();
        let plausible = (2..=40).contains(&t.chars().count())
            && t.split_whitespace().count() <= 4
            && t.chars().any(char::is_alphabetic);
        if !plausible {
            return None;
        }
        crate::extract::authors::clean_authors_with(&[t], crate::extract::authors::Trust::Declared)
            .into_iter()
            .next()
    })
}

/// Byline labels, lower-case ("By", "Von", "Par", "Autor:", "Text:", "Eingestellt von", ...).
const LABELS: &[&str] = &[
    "by ",
    "by:",
    "von:",
    "par:",
    "von ",
    "par ",
    "por ",
    "door ",
    "autor:",
    "autorin:",
    "autoren ",
    "autor ",
    "author:",
    "text:",
    "text von ",
    "texto:",
    "eingestellt von ",
    "gespeichert von ",
    "geschrieben von ",
    "verfasst von ",
    "redaktion:",
    "written by ",
    "article by ",
    "words by ",
    "posted by ",
    "posté par ",
    "publié par ",
];

/// Separators before a byline label ("– Redaktion: Jane Doe" after a dateline).
const LEAD: &[char] = &['-', '–', '—', '|', '·', '•', ' '];

/// True unless `e`'s text cannot start with a label: its first characters (whitespace and the
/// leading separators left out, lower-cased) start no label with its spaces left out. Reads a
/// few characters without allocating; most elements stop here.
fn may_start_with_label(e: ElementRef<'_>) -> bool {
    let mut head = ['\0'; 20];
    let Some(n) = crate::extract::text::lower_head(e, 90, LEAD, &mut head) else {
        return false;
    };
    let head = &head[..n];
    LABELS.iter().any(|l| {
        let mut h = head.iter();
        l.chars()
            .filter(|c| !c.is_whitespace())
            .all(|c| h.next() == Some(&c))
    })
}

/// The names of a labelled byline in `e`: a short element whose text starts with a byline
/// label, outside chrome, names after the label (or after the label's element).
fn labelled_byline(e: ElementRef<'_>, chrome: &Chrome) -> Option<Vec<String>> {
    if !may_start_with_label(e) {
        return None;
    }
    let t = short_text(e, 90)?;
    // "– Redaktion: Jane Doe" after a dateline: leading separators are not text.
    let t = t.trim_start_matches(LEAD);
    // The longest label is 16 bytes: lower-case no more than its length.
    let low: String = t.chars().take(20).flat_map(char::to_lowercase).collect();
    // A bare label ("By", "Von:") takes the name from the text after its element.
    let label = LABELS
        .iter()
        .find(|l| low.starts_with(*l) || l.strip_suffix(' ') == Some(low.as_str()))?;
    if chrome.byline_hit(*e) {
        return None;
    }
    // The label is ASCII-case-insensitive; cut the same number of bytes from the original.
    let rest = t
        .get(label.len()..)
        .unwrap_or("")
        .trim_start_matches([':', ' ']);
    // "<strong>Text:</strong> Jane Doe": the name follows the label's element.
    let following;
    let rest = if rest.trim().is_empty() {
        following = following_text(*e, 80);
        following.trim_start_matches([':', ' '])
    } else {
        rest
    };
    // ASCII lower-casing keeps byte offsets valid in `rest`.
    let rest_low = rest.to_ascii_lowercase();
    let cut = [
        " am ",
        " on ",
        " le ",
        " el ",
        " il ",
        " | ",
        " · ",
        " • ",
        " ● ",
        " ⋅ ",
        " » ",
        " - ",
        " – ",
        ", den ",
        " updated",
        " last updated",
        " published",
    ]
    .iter()
    .filter_map(|c| rest_low.find(c))
    .chain(number_start(rest))
    .chain(credit_cut(rest))
    .min()
    .unwrap_or(rest.len());
    // "By Rabbids<br>March 19, 2024": the date's month is not part of the name.
    let cut = without_month(rest, cut);
    // "von rund 2000 Besuchern" is not a byline: a name starts upper-case. After "By", a
    // lower-case start may be a user name ("by jdoe"), one word; more is a sentence ("By
    // working with our firm's attorneys, ...").
    let sentence = || {
        rest[..cut]
            .split_whitespace()
            .nth(1)
            .is_some_and(|w| w.starts_with(char::is_lowercase))
    };
    if rest.starts_with(char::is_lowercase) && (low.starts_with("von ") || sentence()) {
        return None;
    }
    let names = crate::extract::authors::clean_authors(&[&rest[..cut]]);
    (!names.is_empty()).then_some(names)
}

/// Where the first number starts in `rest` (a date after the name): a digit that starts a
/// word, not one inside a user name ("invest4").
fn number_start(rest: &str) -> Option<usize> {
    rest.char_indices()
        .scan(None, |prev: &mut Option<char>, (i, c)| {
            let starts = c.is_ascii_digit() && !prev.is_some_and(char::is_alphanumeric);
            *prev = Some(c);
            Some((i, starts))
        })
        .find_map(|(i, starts)| starts.then_some(i))
}

/// `cut`, moved before a month name that ends `rest[..cut]` when a number follows it (the
/// name ran into a date: "Rabbids March" of "Rabbids March 19, 2024").
fn without_month(rest: &str, cut: usize) -> usize {
    let head = rest[..cut].trim_end_matches([' ', ',']);
    let dated = rest[cut..].starts_with(|c: char| c.is_ascii_digit());
    match head.rsplit_once(' ') {
        Some((name, last)) if dated && crate::extract::dates::is_month_name(last) => name.len(),
        _ => cut,
    }
}

/// Where the next credit of a credits line starts ("Text von Jane Doe Illustration von ...",
/// "Text: Jane Doe Fotos: ..."): the byline ends there.
fn credit_cut(rest: &str) -> Option<usize> {
    // ASCII lower-casing keeps byte offsets valid in `rest`.
    let low = rest.to_ascii_lowercase();
    [
        " illustration",
        " foto",
        " photo",
        " bild:",
        " bilder:",
        " grafik",
        " images:",
    ]
    .iter()
    .filter_map(|c| low.find(c))
    .min()
}

/// The inline text right after `node` (its following siblings, up to the next block), at most
/// about `max` bytes.
fn following_text(node: NodeRef<'_, Node>, max: usize) -> String {
    let mut out = String::new();
    for sib in node.next_siblings() {
        match sib.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(el) => {
                if matches!(
                    el.name(),
                    "br" | "p"
                        | "div"
                        | "li"
                        | "ul"
                        | "ol"
                        | "table"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "section"
                ) {
                    if out.trim().is_empty() && el.name() == "br" {
                        continue;
                    }
                    break;
                }
                match ElementRef::wrap(sib).and_then(|e| short_text(e, max)) {
                    Some(t) => out.push_str(&t),
                    None => break,
                }
            }
            _ => {}
        }
        out.push(' ');
        if out.len() > max {
            break;
        }
    }
    crate::extract::meta::squash(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_label_prefilter_passes_every_label_the_full_check_takes() {
        let cases = [
            ("<p>By <a>Jane Doe</a></p>", true),
            ("<p>– <b>Redaktion</b>: Jane Doe</p>", true),
            ("<p>\u{a0}POSTÉ\n PAR Jean</p>", true),
            ("<p><span>B</span><span>y</span> Jane</p>", true),
            ("<p>Von:</p>", true),
            ("<p><script>by()</script>Text: Jane</p>", true),
            ("<p>Bypass the road</p>", true),
            ("<p>Brexit news</p>", false),
            ("<p><script>by()</script>News</p>", false),
            ("<p>The author: Jane</p>", false),
            ("<p></p>", false),
        ];
        let sel = scraper::Selector::parse("p").unwrap();
        for (html, passes) in cases {
            let doc = Html::parse_fragment(html);
            let p = doc.select(&sel).next().unwrap();
            assert_eq!(may_start_with_label(p), passes, "{html}");
        }
        // Whatever the prefilter lets through, the labelled-byline check decides.
        let doc = Html::parse_document("<article><h1>T</h1><p>Bypass the road</p></article>");
        assert!(byline(&doc, &Chrome::new(&doc)).is_empty());
    }

    #[test]
    fn author_kinds_are_the_selectors_they_replace() {
        let doc = Html::parse_document(
            r#"<div itemprop=author><span itemprop=name>A</span></div>
            <a rel=AUTHOR>B</a><p class="x byline">C</p><p class=authorName>D</p>
            <div class=post-Author><a>E</a></div><div class=vcard><b class=fn>F</b></div>
            <p id=the-author>G</p><p class=by>H</p><p class=Byline>I</p>
            <svg><a rel=AUTHOR>J</a><a rel=author>K</a></svg>"#,
        );
        let tries = [
            "[itemprop=author] [itemprop=name]",
            "[itemprop=author]",
            "a[rel=author], [rel=author]",
            ".byline, .by-line, .article-byline, .author-name, .authorName, .author_name",
            "[class*=byline], [class*=author] a, .author, [class*=Author], [class*=author]",
            ".vcard .fn, .post-author .fn, [id*=author]",
        ];
        let hits = crate::extract::interned::assert_selector_bits(&doc, &tries, authorish_kinds);
        assert!(hits >= 8, "{hits}");
    }

    /// Regression (WCXB 0339): `<body class="author-hidden">` made every link on the page an
    /// author link ("Click here for dates, pricing, & availability!").
    #[test]
    fn body_classes_make_no_author_links() {
        let doc = Html::parse_document(
            "<html><body class='single author-hidden'><article><h1>Courses</h1>             <p>Learn Photoshop.</p><a href='/book'>Click here for dates, pricing</a>             </article></body></html>",
        );
        assert!(byline(&doc, &Chrome::new(&doc)).is_empty());
        let doc = Html::parse_document(
            "<html><body><article><h1>Courses</h1><div class=post-author><a href='/u'>             Jane Doe</a></div></article></body></html>",
        );
        assert_eq!(byline(&doc, &Chrome::new(&doc)), ["Jane Doe"]);
    }

    #[test]
    fn a_month_after_the_name_is_the_date_not_the_name() {
        let doc = Html::parse_document(
            "<article><h1>New case</h1><p>By Rabbids<br>March 19, 2024 in Cases</p>\
             <p>I bought the new case last week and here is what I found out.</p></article>",
        );
        assert_eq!(byline(&doc, &Chrome::new(&doc)), ["Rabbids"]);
        let doc = Html::parse_document(
            "<article><h1>Best hubs</h1><p>By Eric Hergenreder Updated December 19, 2025</p>\
             <p>Smart home hubs tie your devices together, and here is how we tested them.</p></article>",
        );
        assert_eq!(byline(&doc, &Chrome::new(&doc)), ["Eric Hergenreder"]);
        let rest = "Jane Doe May 5";
        assert_eq!(&rest[..without_month(rest, 13)], "Jane Doe");
        // A surname that is a month name stays when no number follows.
        let rest = "Theresa May | Politics";
        assert_eq!(without_month(rest, 11), 11);
    }

    #[test]
    fn a_thread_is_credited_to_its_first_poster() {
        let doc = Html::parse_document(
            r#"<nav><a class=username href=/me>visitor42</a></nav><main><h1>Car rental?</h1>
            <article class=message data-author="pelex"><a class=username href=/m/1>pelex</a>
            <p>Which one is right?</p></article>
            <article class=message><a class=username href=/m/2>CDB</a><p>Car rental.</p></article>
            </main>"#,
        );
        assert_eq!(
            thread_starter(&doc, &Chrome::new(&doc)).as_deref(),
            Some("pelex")
        );
        let none = Html::parse_document("<main><h1>Car rental?</h1><p>No users.</p></main>");
        assert_eq!(thread_starter(&none, &Chrome::new(&none)), None);
        // Discourse and Flarum show their posts only in a <noscript> crawler view.
        let discourse = Html::parse_document(
            r#"<div id=app></div><noscript><div itemtype="http://schema.org/DiscussionForumPosting">
            <span class=creator itemprop=author><a href=/u/PaulWBryant><span itemprop=name>
            PaulWBryant</span></a></span><p>My take on valuation.</p></div>
            <div><span class=creator itemprop=author><a href=/u/ryshab><span itemprop=name>
            ryshab</span></a></span></div></noscript><noscript>x</noscript>"#,
        );
        assert_eq!(
            thread_starter(&discourse, &Chrome::new(&discourse)).as_deref(),
            Some("PaulWBryant")
        );
    }

    #[test]
    fn credits_line_byline_stops_at_next_credit() {
        let doc = Html::parse_document(
            "<article><h1>Kunst und Essen</h1><p><em>Text von Jane Doe &nbsp; &nbsp;Illustration von Max Muster</em></p>\
             <p>Als ich das vorletzte Mal in Leipzig war, widerfuhr mir etwas.</p></article>",
        );
        assert_eq!(
            byline(&doc, &Chrome::new(&doc)),
            vec!["Jane Doe".to_string()]
        );
        assert_eq!(credit_cut("Jane Doe Fotos: X"), Some(8));
        assert_eq!(credit_cut("Jane Doe"), None);
    }

    #[test]
    fn bare_and_dashed_byline_labels() {
        // sonnenernergie.de: the label alone in <b>, the name after line breaks.
        let doc = Html::parse_document(
            "<article><h1>Windrebell</h1><p>Text des Artikels.</p>\
             <a href='#'><b>Von:</b><br><br> Götz Warnke</a></article>",
        );
        assert_eq!(
            byline(&doc, &Chrome::new(&doc)),
            vec!["Götz Warnke".to_string()]
        );
        // ejwue.de: "- Redaktion: Name (role)" after the date.
        let doc = Html::parse_document(
            "<article><h1>Lieferketten</h1><div class=news-single-timedata>05.02.2020 \
             <span>- Redaktion: Eberhard Fuhr (Pressesprecher des EJW)</span></div></article>",
        );
        assert_eq!(
            byline(&doc, &Chrome::new(&doc)),
            vec!["Eberhard Fuhr".to_string()]
        );
        // A sentence that starts with "By" is not a byline; a user name after it is.
        let doc = Html::parse_document(
            "<article><h1>LLC</h1><p><strong>By working with our law firm, you save              time.</strong></p><p>Text.</p></article>",
        );
        assert!(byline(&doc, &Chrome::new(&doc)).is_empty());
        let doc = Html::parse_document(
            "<article><h1>Hosts</h1><p>by jdoe123 » Sat Feb 24, 2024 12:41 pm</p>\
             <p>Text.</p></article>",
        );
        assert_eq!(byline(&doc, &Chrome::new(&doc)), ["jdoe123"]);
        // abc13.com: "By" and the name in neighbouring elements with no space between.
        let doc = Html::parse_document(
            "<article><h1>Lewd act</h1><div><span>By</span><span><a href='/a'>Alex Bozarjian</a></span>\
             </div><p>Text.</p></article>",
        );
        assert_eq!(
            byline(&doc, &Chrome::new(&doc)),
            vec!["Alex Bozarjian".to_string()]
        );
    }
}
