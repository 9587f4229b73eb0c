//! The byline guessed from the page: labelled lines ("By", "Von", "Autor:", "Text:"), then
//! author-ish elements (`rel=author`, `.byline`, `.author`), outside chrome, author boxes and
//! share bars.

use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node};

use super::chrome::Chrome;
use crate::extract::text::short_text;

/// Byline text from author-ish elements outside chrome.
pub fn byline(doc: &Html, chrome: &Chrome) -> Vec<String> {
    let tries = [
        css!("[itemprop=author] [itemprop=name]"),
        css!("[itemprop=author]"),
        css!("a[rel=author], [rel=author]"),
        css!(".byline, .by-line, .article-byline, .author-name, .authorName, .author_name"),
        css!("[class*=byline], [class*=author] a, .author, [class*=Author], [class*=author]"),
        css!(".vcard .fn, .post-author .fn, [id*=author]"),
    ];
    let labelled = labelled_byline(doc, chrome);
    if !labelled.is_empty() {
        return labelled;
    }
    for s in tries.into_iter().flatten() {
        let found: Vec<String> = doc
            .select(s)
            .filter(|e| !chrome.byline_hit(**e))
            .filter_map(|e| match e.value().attr("content") {
                Some(c) => Some(c.to_string()),
                None => short_text(e, 120),
            })
            .filter(|t| !t.is_empty() && t.chars().count() <= 100)
            .take(5)
            .collect();
        let names = crate::extract::authors::clean_authors(&found);
        if !names.is_empty() {
            return names;
        }
    }
    Vec::new()
}

/// The user who started a forum thread: the first user name the page shows for a post
/// (schema.org `author` / `creator` markup, the user-name classes of the common forum
/// engines), outside chrome. Forum users are known by handles ("DaleJack", "b.scherer"),
/// which a byline would not take for names.
pub fn thread_starter(doc: &Html, chrome: &Chrome) -> Option<String> {
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

/// A short element whose text starts with a byline label ("By", "Von", "Par", "Autor:",
/// "Text:", "Eingestellt von", ...), outside chrome: the names after the label.
fn labelled_byline(doc: &Html, chrome: &Chrome) -> Vec<String> {
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
        "posted by ",
        "posté par ",
        "publié par ",
    ];
    let Some(s) = css!("p, span, div, em, i, b, strong, small, li, h4, h5, h6, td, address, dd")
    else {
        return Vec::new();
    };
    for e in doc.select(s).take(20_000) {
        let Some(t) = short_text(e, 90) else { continue };
        // "– Redaktion: Jane Doe" after a dateline: leading separators are not text.
        let t = t.trim_start_matches(['-', '–', '—', '|', '·', '•', ' ']);
        // A text whose first letter starts no label stops here, unallocated (most do).
        let first = t.chars().next().map(|c| c.to_ascii_lowercase());
        if !LABELS.iter().any(|l| l.chars().next() == first) {
            continue;
        }
        // The longest label is 16 bytes: lower-case no more than its length.
        let low: String = t.chars().take(20).flat_map(char::to_lowercase).collect();
        // A bare label ("By", "Von:") takes the name from the text after its element.
        let Some(label) = LABELS
            .iter()
            .find(|l| low.starts_with(*l) || l.strip_suffix(' ') == Some(low.as_str()))
        else {
            continue;
        };
        if chrome.byline_hit(*e) {
            continue;
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
        .chain(rest.find(|c: char| c.is_ascii_digit()))
        .chain(credit_cut(rest))
        .min()
        .unwrap_or(rest.len());
        // "By Rabbids<br>March 19, 2024": the date's month is not part of the name.
        let cut = without_month(rest, cut);
        // "von rund 2000 Besuchern" is not a byline: a name starts upper-case.
        if !rest.starts_with(|c: char| !c.is_lowercase()) && low.starts_with("von ") {
            continue;
        }
        let names = crate::extract::authors::clean_authors(&[&rest[..cut]]);
        if !names.is_empty() {
            return names;
        }
    }
    Vec::new()
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
