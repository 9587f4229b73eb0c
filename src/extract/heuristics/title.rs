//! The headline guessed from the page: `<h1>` against `<title>`, similarity of two titles
//! written differently, and site names cut from either end of a title.

use scraper::Html;

use super::chrome::in_chrome;
use crate::extract::interned::{elements_named, local_name};
use crate::extract::text::inline_text;

/// The texts of the first few `<h1>` elements outside chrome.
pub fn h1s(doc: &Html) -> Vec<String> {
    elements_named(doc, local_name!("h1"))
        .filter(|h| !in_chrome(**h))
        .map(inline_text)
        .filter(|t| t.chars().count() >= 4)
        .take(4)
        .collect()
}

fn tokens(s: &str) -> std::collections::HashSet<String> {
    s.replace(
        [
            '\u{ad}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}',
        ],
        "",
    )
    .split(|c: char| !c.is_alphanumeric())
    .filter(|w| !w.is_empty())
    .map(str::to_lowercase)
    .collect()
}

/// True when two titles are the same headline written differently (shared words, or one
/// holding the other).
pub fn similar(a: &str, b: &str) -> bool {
    let (ta, tb) = (tokens(a), tokens(b));
    if ta.is_empty() || tb.is_empty() {
        return false;
    }
    let inter = ta.intersection(&tb).count();
    let min = ta.len().min(tb.len());
    let union = ta.len() + tb.len() - inter;
    inter == min || inter * 2 >= union
}

/// The headline from the first `<h1>` outside chrome, else `<title>` without its site suffix.
pub fn title(doc: &Html, title_tag: Option<&str>, site_name: Option<&str>) -> Option<String> {
    let tag = title_tag.map(|t| strip_site_suffix(t, site_name));
    {
        let h1s = h1s(doc);
        // Prefer an h1 that the <title> contains (the headline, not a logo).
        if let Some(t) = &tag {
            let tl = t.to_lowercase();
            if let Some(h) = h1s.iter().find(|h| tl.contains(&h.to_lowercase())) {
                return Some(h.clone());
            }
        }
        // A lone <h1> unlike a longer <title> is a section or site label ("Allergies Health
        // Center" over "Babies Who Eat Peanuts Early May Avoid Allergy").
        // Only the <title>'s first segment counts ("Section - Site" titles name no headline).
        let words = |s: &str| s.split_whitespace().count();
        let head = |t: &str| {
            [" - ", " | ", " – ", " — ", " · ", " » ", " :: "]
                .iter()
                .filter_map(|x| t.find(x))
                .min()
                .map_or(t.to_string(), |i| t[..i].to_string())
        };
        if let [h] = h1s.as_slice()
            && !tag
                .as_deref()
                .is_some_and(|t| !similar(h, t) && words(&head(t)) >= 5.max(words(h) + 1))
        {
            return Some(h.clone());
        }
    }
    tag.filter(|t| !t.is_empty())
}

/// `"Headline | Site"` → `"Headline"` (also ` - `, ` – `, ` — `, ` :: `, ` · `, ` » `, and a
/// leading `"Site | Headline"`).
pub fn strip_site_suffix(t: &str, site_name: Option<&str>) -> String {
    strip_site_names(t, site_name.as_slice())
}

/// [`strip_site_suffix`] with every name the page gives itself (`og:site_name`, the JSON-LD
/// publisher, ...): the first that ends or starts the title is cut, else a short last segment.
pub fn strip_site_names(t: &str, site_names: &[&str]) -> String {
    let t = t.trim();
    if let Some(cut) = strip_named_sites(t, site_names) {
        return cut;
    }
    for sep in [" | ", " – ", " — ", " :: ", " · ", " » ", " - "] {
        if let Some(i) = t.rfind(sep) {
            let (head, tail) = (&t[..i], &t[i + sep.len()..]);
            // The suffix is the shorter side, and short (a site name).
            if tail.split_whitespace().count() <= 4 && head.chars().count() > tail.chars().count() {
                return head.trim().to_string();
            }
        }
    }
    t.to_string()
}

/// The title without one of `site_names` at its end or start (with its separator), if one is
/// there. A dash or colon counts as a separator only with a space on the headline's side (and,
/// for a dash, on the site's side too): "EnBW-Chef tritt zurück" and "Streit um Fake-News" are
/// compound words, not "Site-Headline".
pub fn strip_named_sites(t: &str, site_names: &[&str]) -> Option<String> {
    let t = t.trim();
    const SEPS: [&str; 8] = ["|", "::", "·", "»", "–", "—", "-", ":"];
    // Whether `sep` may separate with these spaces; `after` is the space after the separator
    // (its side away from a prefix site, toward a suffix site).
    let spaced = |sep: &str, before: bool, after: bool| match sep {
        "-" | "–" | "—" => before && after,
        ":" => after,
        _ => true,
    };
    for site in site_names
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        // "Headline | Site".
        if let Some(r) = t.strip_suffix(site) {
            let trimmed = r.trim_end();
            let site_side = trimmed.len() < r.len();
            let head = SEPS.iter().find_map(|sep| {
                let h = trimmed.strip_suffix(sep)?;
                spaced(sep, h.ends_with(char::is_whitespace), site_side).then_some(h.trim())
            });
            if let Some(h) = head.filter(|h| !h.is_empty()) {
                return Some(h.to_string());
            }
        }
        // "Site | Headline": the headline is the longer side (a page whose og:site_name is
        // its own headline would otherwise keep only the real site name).
        if let Some(r) = t.strip_prefix(site) {
            let trimmed = r.trim_start();
            let site_side = trimmed.len() < r.len();
            let tail = SEPS.iter().find_map(|sep| {
                let h = trimmed.strip_prefix(sep)?;
                spaced(sep, site_side, h.starts_with(char::is_whitespace)).then_some(h.trim())
            });
            if let Some(h) =
                tail.filter(|h| !h.is_empty() && h.chars().count() > site.chars().count())
            {
                return Some(h.to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_is_stripped() {
        assert_eq!(
            strip_site_suffix("Big news - HSToday", Some("HSToday")),
            "Big news"
        );
        assert_eq!(
            strip_site_suffix("Big news today | The Paper", None),
            "Big news today"
        );
        assert_eq!(strip_site_suffix("Plain", None), "Plain");
        // The site name is longer than the headline; no spaces around the bar; a prefix.
        assert_eq!(
            strip_site_suffix(
                "Lehrberufe KFT - Siegfried Marcus Berufsschule",
                Some("Siegfried Marcus Berufsschule")
            ),
            "Lehrberufe KFT"
        );
        assert_eq!(
            strip_site_suffix(
                "NEWS WEB EASY|子どもへの体罰を禁止する法律ができる",
                Some("NEWS WEB EASY")
            ),
            "子どもへの体罰を禁止する法律ができる"
        );
        assert_eq!(
            strip_site_suffix(
                "Bürgerbeteiligung für Windpark Steinheim | EnBW",
                Some("Bürgerbeteiligung für Windpark Steinheim")
            ),
            "Bürgerbeteiligung für Windpark Steinheim"
        );
        assert_eq!(
            strip_site_names(
                "Ladensterben » ☆☆☆☆☆ - Journalistenwatch e.V.",
                &[
                    "Journalistenwatch - Newswatch",
                    "☆☆☆☆☆ - Journalistenwatch e.V."
                ]
            ),
            "Ladensterben"
        );
        // Compound words are not "Site-Headline".
        for (title, site) in [
            ("EnBW-Chef tritt zurück", "EnBW"),
            ("BMZ-Ministerin besucht Kenia", "BMZ"),
            ("Streit um Fake-News", "News"),
        ] {
            assert_eq!(strip_named_sites(title, &[site]), None, "{title}");
        }
        assert_eq!(
            strip_named_sites("Spiegel: Regierung plant Reform", &["Spiegel"]).as_deref(),
            Some("Regierung plant Reform")
        );
    }

    #[test]
    fn lone_h1_unlike_a_long_plain_title_is_a_label() {
        let doc = Html::parse_document(
            "<html><head><title>Babies Who Eat Peanuts Early May Avoid Allergy</title></head>\
             <body><h1>Allergies Health Center</h1></body></html>",
        );
        let tag = "Babies Who Eat Peanuts Early May Avoid Allergy";
        assert_eq!(title(&doc, Some(tag), None).as_deref(), Some(tag));
        // A "Section - Site" title names no headline: the <h1> stays.
        let doc = Html::parse_document("<body><h1>Chorgeschichte</h1></body>");
        assert_eq!(
            title(&doc, Some("Geschichte - St. Georgs Chorknaben Ulm"), None).as_deref(),
            Some("Chorgeschichte")
        );
    }
}
