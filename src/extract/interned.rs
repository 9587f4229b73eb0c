//! Lookups by interned name: an element's attributes, a document's elements of one tag.
//! `scraper`'s `Element::attr(&str)` interns the name (a perfect-hash lookup) and
//! binary-searches the attributes comparing strings on every call, and `Html::select` runs the
//! selector engine on every element; the extractor asks every element of a page for its
//! `class`, `id`, `role`, `style`, ..., so these compare pre-interned names instead (one integer
//! comparison per attribute or element). Class tests compare the way the selector engine does
//! in a standards-mode page: whole ASCII-whitespace-separated tokens, case-sensitively.

use markup5ever::{LocalName, ns};
use scraper::node::Element;
use scraper::{ElementRef, Html, Selector};

pub use markup5ever::local_name;

/// The value of `e`'s attribute `name` (no namespace): what `e.attr(name)` returns.
pub fn get<'a>(e: &'a Element, name: &LocalName) -> Option<&'a str> {
    // The parser keeps the first of duplicate attributes: names are unique, order is free.
    e.attrs
        .iter()
        .find(|(q, _)| q.local == *name && q.ns == ns!())
        .map(|(_, v)| &**v)
}

/// The values of several attributes of `e` in one pass over its attributes: what
/// `names.map(|n| get(e, &n))` gives.
pub fn get_all<'a, const N: usize>(e: &'a Element, names: &[LocalName; N]) -> [Option<&'a str>; N] {
    let mut out = [None; N];
    for (q, v) in &e.attrs {
        if q.ns != ns!() {
            continue;
        }
        if let Some(k) = names.iter().position(|n| *n == q.local) {
            out[k] = Some(&**v);
        }
    }
    out
}

/// `class`.
pub fn class(e: &Element) -> Option<&str> {
    get(e, &local_name!("class"))
}

/// `id`.
pub fn id(e: &Element) -> Option<&str> {
    get(e, &local_name!("id"))
}

/// True when `e`'s `class` holds the token `c` (what the selector `.c` matches).
pub fn has_class(e: &Element, c: &str) -> bool {
    class(e).is_some_and(|v| has_token(v, c))
}

/// True when the class value `value` holds the token `c`: a whole ASCII-whitespace-separated
/// token, case-sensitive (how the selector engine reads `class` in a standards-mode page).
pub fn has_token(value: &str, c: &str) -> bool {
    value.split_ascii_whitespace().any(|t| t == c)
}

/// The elements named `name` in `doc`, in the order `Html::select` visits them (the selector
/// `name`, without the selector engine).
pub fn elements_named(doc: &Html, name: LocalName) -> impl Iterator<Item = ElementRef<'_>> {
    doc.tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .filter(move |e| e.value().name.local == name)
}

/// `doc.select(sel)` for a selector whose subject is always an element named one of `names`:
/// the same elements in the same order, the selector engine run on those elements only.
pub fn select_named<'a, const N: usize>(
    doc: &'a Html,
    names: [LocalName; N],
    sel: &'a Selector,
) -> impl Iterator<Item = ElementRef<'a>> {
    doc.tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .filter(move |e| names.contains(&e.value().name.local) && sel.matches(e))
}

/// For tests of written-out checks: asserts that `bits(e)` has bit `k` exactly when
/// `selectors[k]` matches `e`, for every element of `doc`; returns how many elements matched
/// any of them (for the caller to assert that the page exercised the checks).
#[cfg(test)]
pub(crate) fn assert_selector_bits(
    doc: &Html,
    selectors: &[&str],
    bits: impl Fn(ElementRef<'_>) -> u8,
) -> usize {
    let selectors: Vec<Selector> = selectors
        .iter()
        .map(|s| Selector::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}")))
        .collect();
    let mut hits = 0;
    for e in doc.tree.nodes().filter_map(ElementRef::wrap) {
        let expected = selectors
            .iter()
            .enumerate()
            .fold(0u8, |m, (k, s)| m | (u8::from(s.matches(&e)) << k));
        assert_eq!(bits(e), expected, "{}", e.html());
        hits += usize::from(expected != 0);
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Node};

    #[test]
    fn the_same_values_as_element_attr() {
        let doc = Html::parse_document(
            "<div class='a b' id=x data-k=1 aria-hidden=true CLASS=dup><svg xlink:href=#s \
             class=c></svg><p>t</p></div>",
        );
        let names = ["class", "id", "aria-hidden", "data-k", "href", "style"];
        let mut seen = 0;
        for n in doc.tree.nodes() {
            let Node::Element(e) = n.value() else {
                continue;
            };
            for name in names {
                assert_eq!(get(e, &LocalName::from(name)), e.attr(name), "{name}");
                seen += 1;
            }
            assert_eq!(class(e), e.attr("class"));
            let all = get_all(e, &names.map(LocalName::from));
            assert_eq!(all, names.map(|n| e.attr(n)));
            assert_eq!(id(e), e.attr("id"));
        }
        assert!(seen >= 5 * names.len());
    }

    #[test]
    fn the_same_elements_and_classes_as_the_selector_engine() {
        let doc = Html::parse_document(
            "<h1 class='x  y'>a</h1><div><h1 class=X>b</h1><svg><h1>c</h1></svg></div>\
             <table><h1>fostered</h1><tr><td>d</td></tr></table>",
        );
        let sel = scraper::Selector::parse("h1").unwrap();
        let by_engine: Vec<_> = doc.select(&sel).map(|e| e.id()).collect();
        let by_name: Vec<_> = elements_named(&doc, local_name!("h1"))
            .map(|e| e.id())
            .collect();
        assert_eq!(by_name, by_engine);
        assert_eq!(by_name.len(), 4);
        let classed = scraper::Selector::parse("h1.X, div h1").unwrap();
        let by_engine: Vec<_> = doc.select(&classed).map(|e| e.id()).collect();
        let ours: Vec<_> = select_named(&doc, [local_name!("h1")], &classed)
            .map(|e| e.id())
            .collect();
        assert_eq!(ours, by_engine);
        assert_eq!(ours.len(), 2);
        for c in ["x", "y", "X", "x  y", ""] {
            let engine: Vec<bool> = doc
                .select(&sel)
                .map(|e| {
                    e.value()
                        .has_class(c, scraper::CaseSensitivity::CaseSensitive)
                })
                .collect();
            let ours: Vec<bool> = doc.select(&sel).map(|e| has_class(e.value(), c)).collect();
            assert_eq!(ours, engine, "{c:?}");
        }
    }
}
