//! Attribute lookups by interned name. `scraper`'s `Element::attr(&str)` interns the name
//! (a perfect-hash lookup) and binary-searches the attributes comparing strings on every call;
//! the extractor asks every element of a page for its `class`, `id`, `role`, `style`, ... , so
//! these compare pre-interned names instead (one integer comparison per attribute).

use markup5ever::{LocalName, ns};
use scraper::node::Element;

pub use markup5ever::local_name;

/// The value of `e`'s attribute `name` (no namespace): what `e.attr(name)` returns.
pub fn get<'a>(e: &'a Element, name: &LocalName) -> Option<&'a str> {
    // The parser keeps the first of duplicate attributes: names are unique, order is free.
    e.attrs
        .iter()
        .find(|(q, _)| q.local == *name && q.ns == ns!())
        .map(|(_, v)| &**v)
}

/// `class`.
pub fn class(e: &Element) -> Option<&str> {
    get(e, &local_name!("class"))
}

/// `id`.
pub fn id(e: &Element) -> Option<&str> {
    get(e, &local_name!("id"))
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
            assert_eq!(id(e), e.attr("id"));
        }
        assert!(seen >= 5 * names.len());
    }
}
