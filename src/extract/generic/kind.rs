//! Is the page an article at all? Error pages (a "not found" title with little text) and list
//! pages (section fronts, tag pages: mostly links, no paragraph run) get an empty body.

use std::sync::LazyLock;

use regex::Regex;

use crate::extract::literal_regex::literal;

use crate::model::PageKind;

use super::prep::Prep;

static ERROR_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    literal(concat!(
        r"(?i)((?-u:\b)404(?-u:\b)|(?-u:\b)410(?-u:\b)|not found|page (does not|doesn't) exist|no longer available|",
        r"nicht gefunden|existiert nicht|introuvable|n'existe pas|no encontrada|no existe|",
        r"não encontrada|non trovata|nenhum resultado|nebyla nalezena|nenalezeno|",
        r"找不到|页面不存在|ページが見つかりません|見つかりませんでした)"
    ))
});

/// True when `title` reads like an error page's ("404", "Page not found", "Seite nicht
/// gefunden", ...).
pub(crate) fn is_error_title(title: &str) -> bool {
    ERROR_TITLE.is_match(title)
}

/// Classify the page from its title, the extracted text and the page's link statistics.
pub(super) fn classify(p: &Prep<'_>, title: Option<&str>, body_chars: usize) -> PageKind {
    let b = p.body as usize;
    let page_text = p.text_len.get(b).copied().unwrap_or(0) as usize;
    if page_text == 0 {
        return PageKind::Other;
    }
    if body_chars < 700 && title.is_some_and(|t| ERROR_TITLE.is_match(t)) {
        return PageKind::Error;
    }
    let links = p.link_len.get(b).copied().unwrap_or(0) as usize;
    let paras = p.paras.get(b).copied().unwrap_or(0);
    if body_chars == 0 {
        return if links * 2 > page_text {
            PageKind::Listing
        } else {
            PageKind::Other
        };
    }
    // Mostly links, little running text: a section front or a tag page.
    if body_chars < 400 && links > 4 * body_chars.max(50) && paras < 4 {
        return PageKind::Listing;
    }
    PageKind::Article
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_titles() {
        assert!(ERROR_TITLE.is_match("404 - Page not found"));
        assert!(ERROR_TITLE.is_match("Seite nicht gefunden"));
        assert!(!ERROR_TITLE.is_match("The 4040 club"));
    }
}
