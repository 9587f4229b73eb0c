//! The visible headline: the text of the page's `<h1>` without the parts that are not the
//! headline itself. Many sites print a kicker (roofline, topline, "Dachzeile") or a section
//! label inside the `<h1>` before the headline, or a subtitle after it:
//! `<h1><span class="roofline">Ernährung sichern</span> Schulze: …</h1>`. A leading or
//! trailing element of the `<h1>` whose text the metadata title does not contain is such a
//! part, as long as what remains is still the metadata title's headline.

use scraper::{ElementRef, Html, Node};

use super::heuristics::{in_chrome, similar};
use super::interned::{elements_named, local_name};
use super::meta::squash;
use super::text::inline_text;

/// The texts of the first few `<h1>` elements outside chrome, each without the kicker and
/// subtitle parts that `meta_title` (the JSON-LD / OpenGraph title) leaves out.
pub fn headlines(doc: &Html, meta_title: &str) -> Vec<String> {
    elements_named(doc, local_name!("h1"))
        .filter(|h| !in_chrome(**h))
        .map(|h| without_kicker(h, meta_title))
        .filter(|t| t.chars().count() >= 4)
        .take(4)
        .collect()
}

/// Lower case, soft hyphens and zero-width characters removed, whitespace squashed: for
/// containment tests.
fn fold(s: &str) -> String {
    let visible: String = s
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}'
            )
        })
        .collect();
    squash(&visible.to_lowercase())
}

/// True when `part` occurs in `title` as whole words ("Live" is not in "Oliver").
fn contains_words(title: &str, part: &str) -> bool {
    let edge = |c: Option<char>| !c.is_some_and(char::is_alphanumeric);
    !part.is_empty()
        && title.match_indices(part).any(|(i, m)| {
            edge(title[..i].chars().next_back()) && edge(title[i + m.len()..].chars().next())
        })
}

/// One child of the headline: its text, and whether it is an element (a text node never is a
/// kicker: it is the headline's own text).
struct Part {
    element: bool,
    text: String,
}

fn parts(h1: ElementRef<'_>) -> Vec<Part> {
    // Descend through single wrappers (`<a>`, `<span itemprop=headline>`).
    let mut root = h1;
    loop {
        let mut kids = root.children().filter(|c| match c.value() {
            Node::Text(t) => !t.trim().is_empty(),
            Node::Element(_) => true,
            _ => false,
        });
        match (kids.next(), kids.next()) {
            (Some(only), None) => match ElementRef::wrap(only) {
                Some(e) => root = e,
                None => break,
            },
            _ => break,
        }
    }
    root.children()
        .filter_map(|c| match c.value() {
            Node::Text(t) => Some(Part {
                element: false,
                text: squash(t),
            }),
            Node::Element(_) => ElementRef::wrap(c).map(|e| Part {
                element: true,
                text: inline_text(e),
            }),
            _ => None,
        })
        .filter(|p| !p.text.is_empty())
        .collect()
}

fn without_kicker(h1: ElementRef<'_>, meta_title: &str) -> String {
    let whole = inline_text(h1);
    let wanted = fold(meta_title);
    if wanted.is_empty() || fold(&whole) == wanted {
        return whole;
    }
    let parts = parts(h1);
    let absent = |p: &Part| p.element && !contains_words(&wanted, &fold(&p.text));
    // A kicker joined by its own colon ("<b>Editor's Letter:</b> …") reads as the headline's
    // first words.
    let kicker =
        |p: &Part| absent(p) && !(p.text.ends_with(':') && p.text.chars().any(char::is_alphabetic));
    let (mut lo, mut hi) = (0, parts.len());
    while hi - lo > 1 && kicker(&parts[lo]) {
        lo += 1;
    }
    while hi - lo > 1 && absent(&parts[hi - 1]) {
        hi -= 1;
    }
    if (lo, hi) == (0, parts.len()) {
        return whole;
    }
    let kept: Vec<&str> = parts[lo..hi].iter().map(|p| p.text.as_str()).collect();
    let kept = squash(&kept.join(" "));
    let kept = kept
        .trim_matches(|c: char| matches!(c, ':' | '-' | '|' | '–' | '—' | '·') || c.is_whitespace())
        .to_string();
    if similar(&kept, meta_title) {
        kept
    } else {
        whole
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(html: &str, meta: &str) -> String {
        headlines(&Html::parse_document(html), meta)
            .into_iter()
            .next()
            .unwrap_or_default()
    }

    #[test]
    fn roofline_and_subtitle_are_dropped() {
        let h = r#"<h1><span class="roofline">Ernährung sichern</span> Schulze: Deutsch&shy;land hilft</h1>"#;
        assert_eq!(
            first(h, "Schulze: Deutschland hilft - BMZ"),
            "Schulze: Deutsch\u{ad}land hilft"
        );
        let h = r#"<h1><span class="t">Dezuka Suisan: Fish Cakes</span><small>Welcome to the North</small></h1>"#;
        assert_eq!(
            first(h, "Dezuka Suisan: Fish Cakes"),
            "Dezuka Suisan: Fish Cakes"
        );
        // Kicker, hidden separator, headline.
        let h = r#"<h1><span>Corona-Pandemie</span><span class="visually-hidden"> - </span><span>„Es kommt darauf an“</span></h1>"#;
        assert_eq!(first(h, "„Es kommt darauf an“"), "„Es kommt darauf an“");
    }

    #[test]
    fn zero_width_characters_do_not_hide_a_kicker() {
        let h = "<h1><span>Ernährung</span> Schulze: Deutsch\u{200b}land hilft heute</h1>";
        assert_eq!(
            first(h, "Schulze: Deutschland hilft heute"),
            "Schulze: Deutsch\u{200b}land hilft heute"
        );
    }

    #[test]
    fn a_kicker_inside_a_longer_word_is_still_a_kicker() {
        let h = r#"<h1><span class="kicker">Live</span> Oliver wins the final</h1>"#;
        assert_eq!(first(h, "Oliver wins the final"), "Oliver wins the final");
    }

    #[test]
    fn parts_the_metadata_title_holds_stay() {
        let h = r#"<h1><span>Covid-19:</span> Lässt sich die Ausbreitung kontrollieren?</h1>"#;
        assert_eq!(
            first(h, "Covid-19: Lässt sich die Ausbreitung kontrollieren?"),
            "Covid-19: Lässt sich die Ausbreitung kontrollieren?"
        );
        // A colon-joined kicker is the headline's first words; an <em> kicker is not.
        let h = r#"<h1><b>Editor&rsquo;s Letter:</b><i> bye <b>OC</b> Baby</i></h1>"#;
        assert_eq!(first(h, "bye OC Baby"), "Editor’s Letter: bye OC Baby");
        let h = r#"<h1><em>Holocaust-Gedenktag </em>Erinnerung an die Opfer</h1>"#;
        assert_eq!(
            first(h, "Erinnerung an die Opfer"),
            "Erinnerung an die Opfer"
        );
        // An unrelated metadata title (a section name) strips nothing.
        let h = r#"<h1><span>Impfen</span> Boostern ist noch möglich</h1>"#;
        assert_eq!(
            first(h, "Medienmitteilungen"),
            "Impfen Boostern ist noch möglich"
        );
    }
}
