//! Per-element signals: tag categories, hidden elements, and the class/id vocabularies that mark
//! boilerplate (navigation, share bars, comments, ads, ...) or content (CMS body classes).

use std::sync::LazyLock;

use regex::{Regex, RegexSet};

use crate::extract::interned::{self, local_name};
use crate::extract::literal_regex::{literal, literal_set};
use scraper::node::Element;

/// Elements whose whole subtree is never text (scripts, forms controls, media, metadata).
pub(super) fn is_hard_drop_tag(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "video"
            | "audio"
            | "picture"
            | "map"
            | "button"
            | "input"
            | "select"
            | "textarea"
            | "option"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "dialog"
            | "figcaption"
            | "rt"
            | "rp"
    )
}

/// Elements that are boilerplate by their tag, unless they hold most of the page's text.
pub(super) fn is_soft_drop_tag(tag: &str) -> bool {
    matches!(tag, "nav" | "footer" | "aside" | "menu")
}

/// Block-level elements: they start and end a paragraph.
pub(super) fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "center"
            | "dd"
            | "details"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "li"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "ul"
            | "caption"
            | "legend"
            | "listing"
            | "plaintext"
            | "xmp"
    )
}

/// `h1` .. `h6`.
pub(super) fn is_heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Hidden by attribute: `hidden`, `aria-hidden=true`, inline `display:none` /
/// `visibility:hidden`.
pub(super) fn is_hidden(e: &Element) -> bool {
    if interned::get(e, &local_name!("hidden")).is_some() {
        return true;
    }
    if interned::get(e, &local_name!("aria-hidden"))
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    if let Some(style) = interned::get(e, &local_name!("style")) {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    false
}

/// ARIA roles that mark page furniture.
pub(super) fn is_boilerplate_role(e: &Element) -> bool {
    interned::get(e, &local_name!("role")).is_some_and(|r| {
        matches!(
            r.trim().to_ascii_lowercase().as_str(),
            "navigation"
                | "banner"
                | "contentinfo"
                | "complementary"
                | "dialog"
                | "alertdialog"
                | "menu"
                | "menubar"
                | "search"
                | "toolbar"
                | "tablist"
        )
    })
}

/// `class` and `id` joined and lower-cased (empty when neither is present).
pub(super) fn class_id(e: &Element) -> String {
    let mut s = String::new();
    if let Some(c) = interned::class(e) {
        // WordPress-style taxonomy classes ("tag-ads", "category-menu") describe the post.
        for t in c.split_whitespace() {
            let l = t.to_ascii_lowercase();
            if ["tag-", "category-", "postid-", "format-"]
                .iter()
                .any(|p| l.starts_with(p))
            {
                continue;
            }
            s.push(' ');
            s.push_str(t);
        }
    }
    if let Some(i) = interned::id(e) {
        // Long slug ids ("sharing-with-a-single-developer") are generated from headings.
        if i.matches(['-', '_']).count() < 3 {
            s.push(' ');
            s.push_str(i);
        }
    }
    s.to_lowercase()
}

/// Class/id words of page furniture that is never article text. Substrings for distinctive
/// words, whole tokens (between separators) for short ones.
static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    literal(concat!(
        r"share|sharing|social|sociable|shariff|addthis|addtoany|sharedaddy|",
        r"comment|disqus|respond|replies|",
        r"cookie|consent|gdpr|cmp-|newsletter|subscri|signup|sign-up|paywall|",
        r"breadcrumb|sidebar|side-bar|footer|masthead|navbar|navigation|nav-|-nav|topbar|",
        r"related|recommend|most-?read|mostread|most-?popular|trending|more-stories|more-link|",
        r"read-?also|see-?also|also-?read|further-?read|",
        r"advert|sponsor|adslot|ad-slot|ad-container|ad-wrapper|adsbygoogle|dfp-|outbrain|taboola|plista|",
        r"author-?bio|authorbio|about-?the-?author|author-?box|",
        r"pagination|pager|popup|modal|overlay|banner|skip-?link|screen-?reader|sr-only|visually-?hidden|",
        r"rss|login|search|wp-caption-text|caption|credit|copyright|",
        r"(^|[\s_-])(ad|ads|nav|menu|tags?|meta|bio|promo|tools|toolbar|",
        r"byline|rating|vote|newsticker|ticker|latest|popular|",
        r"cta|donate|donation|lightbox|slider|carousel|gallery|legends|video|player|jump|",
        r"contact|topics?|keywords|categor(y|ies)|postmeta|postmetadata|entry-meta|post-meta|",
        r"article-meta|author|autor|date|time|kicker)([\s_-]|$)"
    ))
});

/// Class/id words that mark the article text itself (readability's positive list).
static POSITIVE: LazyLock<Regex> = LazyLock::new(|| {
    literal(
        r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|artikel|beitrag|inhalt|texte|contenu|conteudo|contenido|corpo|testo",
    )
});

/// Class/id words that lower a container's score (readability's negative list).
static NEGATIVE: LazyLock<Regex> = LazyLock::new(|| {
    literal(
        r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|foot|footer|footnote|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|tool|nav|menu",
    )
});

/// Class/id of well-known CMS article-body containers.
static STRONG_CONTENT: LazyLock<Regex> = LazyLock::new(|| {
    literal(concat!(
        r"(entry|post|article|story|blog|news|single|main|page|body|td-post|item|node)[-_]{0,2}(content|body|text|entry|inner|copy)|",
        r"articlebody|article__body|articletext|storybody|story__body|postbody|post__body|",
        r"rich-?text|field-name-body|field--name-body|entry__content|c-article-body|",
        r"article-detail|articledetail|article_detail|artikel-?text|artikelinhalt|textblock|text-block"
    ))
});

/// Comment sections: boilerplate even when they hold many paragraphs.
static COMMENTS: LazyLock<Regex> =
    LazyLock::new(|| literal(r"comment|disqus|respond|replies|reactions"));

/// What an element's `class`/`id` (and `itemprop`) say about it, computed once per element.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct ClassSig {
    /// Page furniture vocabulary (share, sidebar, related, ad, ...).
    pub boiler: bool,
    /// A comment section.
    pub comments: bool,
    /// A gallery / slideshow / carousel: furniture even when it holds many captions.
    pub media: bool,
    /// A well-known article-body container.
    pub strong: bool,
    /// readability's class weight: +25 positive, -25 negative.
    pub weight: f32,
}

/// The class vocabularies in one scan.
static CLASS_SET: LazyLock<RegexSet> = LazyLock::new(|| {
    literal_set([
        BOILERPLATE.as_str(),
        COMMENTS.as_str(),
        STRONG_CONTENT.as_str(),
        POSITIVE.as_str(),
        NEGATIVE.as_str(),
        r"gallery|slideshow|slider|carousel|legends",
    ])
});

/// True when `e`'s `itemprop` names the article body.
pub(super) fn itemprop_body(e: &Element) -> bool {
    interned::get(e, &local_name!("itemprop"))
        .is_some_and(|v| v.to_ascii_lowercase().contains("articlebody"))
}

/// Classify `e` by its class and id alone: the same for every element with the same two
/// attributes (callers may keep one answer per pair).
pub(super) fn class_id_sig(e: &Element) -> ClassSig {
    let mut sig = ClassSig::default();
    let ci = class_id(e);
    if ci.trim().is_empty() {
        return sig;
    }
    let m = CLASS_SET.matches(&ci);
    sig.boiler = m.matched(0);
    sig.comments = m.matched(1);
    sig.strong |= m.matched(2);
    if m.matched(3) {
        sig.weight += 25.0;
    }
    if m.matched(4) {
        sig.weight -= 25.0;
    }
    sig.media = m.matched(5);
    sig
}

/// Short blocks that are furniture whatever their markup: ad labels, share prompts, teasers.
static BOILERPLATE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    literal(concat!(
        r"(?i)^\W*(advertisement|advertising|anzeige|werbung|publicité|publicidad|pubblicità|reklama|",
        r"sponsored|gesponsert|read more|read also|also read|read next|weiterlesen|mehr lesen|mehr zum thema|",
        r"lesen sie auch|lesen sie mehr|auch interessant|das könnte sie auch interessieren|",
        r"lire aussi|lire la suite|à lire aussi|leia mais|leia também|lea también|leer más|leggi anche|",
        r"continue reading|share( this)?( article| story| post| on)?|teilen|partager|compartilhar|compartir|",
        r"tweet|follow us|folgen sie uns|related( articles| posts| stories| content)?|see also|more from|",
        r"\d* ?comments?|kommentare?|commentaires?|subscribe|abonnieren|newsletter|sign up|log ?in|",
        r"print|drucken|e-?mail|whatsapp|facebook|twitter|linkedin|pinterest|",
        r"tags?|schlagw(ö|o)rter|getty images|alle angaben ohne gewähr|erschienen in|",
        r"related coverage|zum weiterlesen|vorschau auf den nächsten artikel|",
        r"(weitere|mehr zu|mehr über|mehr aus|entdecke( weitere)?|neueste|ähnliche|related|latest|more from|recent|popular|beliebte) ?[^.!?]{0,30}|",
        r"back to top|nach oben|zurück|previous|next|",
        r"广告|広告|関連記事|相关文章|相關文章)\W*$"
    ))
});

/// Image credits and source lines ("Photo: ...", "Foto: ...").
static CREDIT_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    literal(
        r"(?i)^\W*(photos?|fotos?|bild|bilder|image|credits?|crédits? photos?|crédits?|crédito|illustration|grafik|bildquelle|fotoquelle)\s*(:|©)",
    )
});

/// Calls to action and notices that end or interrupt an article (subscribe, follow us, get the
/// app, advertising disclosures, rights notices).
static CALL_TO_ACTION: LazyLock<Regex> = LazyLock::new(|| {
    literal(concat!(
        r"(?i)(subscribe|subscriber|subscription|newsletter|sign up|signup|follow (us|the|@)|",
        r"download (the|our)|app store|google play|telegram|whatsapp|",
        r"abonnier|abonnement|anmelden|folgen sie|jetzt lesen|",
        r"^\W*(anzeige|werbung|advertisement|sponsored|promotion)(\W|$)|",
        r"all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos|",
        r"urheberrechtlich geschützt|prawem autorskim|copyright|©|",
        r"s'abonner|abonnez|inscrivez|suscríbete|suscribete|assine|iscriviti|",
        r"(share|teilen|partager) (this|on|auf|sur)|",
        r"nicht eingeloggt|not logged in|log in to|einloggen|",
        r"comments? .*(leave|post|write)|(leave|post|write) a comment|kommentar (schreiben|verfassen)|",
        r"^\W*(quelle|source|fuente|fonte|źródło|zdroj|weitere informationen|more information|kontakt|contact|",
        r"mehr zum thema|mehr zu|zum weiterlesen|das könnte dich|das könnte sie|you may also like|",
        r"related|see also|read more|lesen sie auch|lire aussi|leia também|lea también|kategorie|category|",
        r"tags?|schlagw(ö|o)rter|stichw(ö|o)rter|themen|topics)\s*:)"
    ))
});

/// Meta lines anywhere in a short block ("News date : 04/21/2022 Category : Press Releases").
static META_LINE: LazyLock<Regex> = LazyLock::new(|| {
    literal(concat!(
        r"(?i)(^\W*(veröffentlicht|veröffentlichung|published|posted|updated|aktualisiert|publié|publicado|pubblicato|opublikowano)(\W|$))|",
        r"((category|categories|kategorie|kategorien|catégorie|categoría|categoria|tags|schlagwörter|stichwörter|filed under|posted in|veröffentlicht in)\s*:)"
    ))
});

/// Only a date or time ("23.10.2018", "19:49", "2023-11-08 10:12").
static DATE_ONLY: LazyLock<Regex> =
    LazyLock::new(|| literal(r"^[\d\s./:,\-–|]+(uhr|h|am|pm|utc|cet|cest)?[\d\s./:,\-–|]*$"));

/// Headings that open the furniture after an article (about the author, related, comments).
static TAIL_SECTION: LazyLock<Regex> = LazyLock::new(|| {
    literal(concat!(
        r"(?i)^\W*(über (den autor|die autorin|uns)|about the author|zum autor|zur autorin|",
        r"related|related (articles|posts|stories|coverage|content|topics)|",
        r"weitere (artikel|beiträge|themen|tipps|tourentipps|infos|nachrichten|news|meldungen)|",
        r"mehr (zum thema|zu diesem thema|aus (der|dem)|artikel|von|news).{0,30}|",
        r"das (könnte|dürfte) (dich|sie) (auch )?interessieren|auch interessant|",
        r"(you|we think you) (may|might) also like|more (from|stories|on) .{0,30}|",
        r"read (more|next|also)|lesen sie (auch|mehr)|",
        r"kommentare?|comments?|\d+ (comments?|kommentare?|antworten|replies)|leave a (reply|comment)|",
        r"schreibe?n? sie einen kommentar|schreibe einen kommentar|keine kommentare|no comments|",
        r"diskussion|quellen|quellenangaben|sources|newsletter|",
        r"autor|autorin|autoren|autor:innen|autor\*innen|author|authors|about us|über uns|",
        r"lire aussi|à lire aussi|sur le même sujet|dans la même rubrique|",
        r"leia também|notícias relacionadas|noticias relacionadas|te puede interesar|",
        r"artículos relacionados|articoli correlati|potrebbe interessarti|",
        r"zobacz (też|także)|czytaj (też|także)|čtěte také|související články|",
        r"相关阅读|相關閱讀|相关新闻|関連記事|関連ニュース)\W*$"
    ))
});

/// An author bio ("Jane Doe is a reporter at ...", "Max Muster ist Redakteur bei ...").
static AUTHOR_BIO: LazyLock<Regex> = LazyLock::new(|| {
    literal(concat!(
        r"(?i)^(\p{Lu}[\p{L}.'-]+ ){1,3}(is|ist|est|es|è|was|war) ",
        r"(a |an |the |ein |eine |der |die |un |une |el |la |seit \d{4} |since \d{4} )?",
        r"(senior |freelance |freie[rn]? |staff |contributing |)?",
        r"(head|founder|co-founder|editor|redakteur|autor|journalist|reporter|correspondent|",
        r"korrespondent|writer|author|contributor|columnist|kolumnist|ceo|chief|professor|",
        r"photographer|fotograf|journaliste|rédact|periodista|redactor|giornalista)"
    ))
});

/// A short author bio, typically the last block of an article page.
pub(super) fn is_author_bio(text: &str, chars: usize) -> bool {
    chars < 400 && AUTHOR_BIO.is_match(text)
}

/// A short heading that opens the furniture after an article.
pub(super) fn is_tail_section(text: &str, chars: usize) -> bool {
    chars <= 60 && TAIL_SECTION.is_match(text)
}

/// Cookie / consent notices.
static COOKIE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    literal(
        r"(?i)(cookie|datenschutzerklärung|privacy policy|consent|einwilligung|zustimm|accept|akzeptier)",
    )
});

/// A short block whose text is an ad label, share prompt, teaser link and the like.
pub(super) fn is_boilerplate_text(text: &str, chars: usize) -> bool {
    if chars <= 60 && BOILERPLATE_TEXT.is_match(text) {
        return true;
    }
    if chars <= 150 && CREDIT_TEXT.is_match(text) {
        return true;
    }
    if chars <= 40 && DATE_ONLY.is_match(&text.to_lowercase()) {
        return true;
    }
    if chars <= 200 && CALL_TO_ACTION.is_match(text) {
        return true;
    }
    if chars <= 100 && META_LINE.is_match(text) {
        return true;
    }
    if chars < 400 {
        let lower = text.to_lowercase();
        if lower.contains("cookie") && COOKIE_TEXT.find_iter(&lower).count() >= 2 {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regexes_compile_and_match() {
        assert!(BOILERPLATE.is_match("share-buttons"));
        assert!(BOILERPLATE.is_match("post ad"));
        assert!(!BOILERPLATE.is_match("header-shadow-x"));
        assert!(!BOILERPLATE.is_match("entry-content"));
        assert!(CLASS_SET.len() == 6);
        assert!(STRONG_CONTENT.is_match("entry-content"));
        assert!(is_boilerplate_text("Advertisement", 13));
        assert!(!is_boilerplate_text(
            "Adverts are everywhere in this city.",
            36
        ));
        assert!(is_boilerplate_text(
            "We use cookies to improve your experience. Accept",
            49
        ));
        assert!(POSITIVE.is_match("article-body"));
        assert!(is_tail_section("Über den Autor", 13));
        assert!(is_tail_section("3 Comments", 9));
        assert!(is_author_bio(
            "Inga Buller ist Head of Social & Community bei CHIP.",
            45
        ));
        assert!(!is_author_bio("The council met on Tuesday.", 24));
        assert!(!is_tail_section("Comments on the budget were harsh", 28));
        assert!(is_boilerplate_text("23.10.2018", 10));
        assert!(is_boilerplate_text("Quelle: dpa", 10));
        assert!(is_boilerplate_text(
            "Follow The Gleaner on Twitter and Instagram @JamaicaGleaner",
            52
        ));
        assert!(!is_boilerplate_text(
            "The council met on 23.10.2018 to discuss the tram.",
            42
        ));
        assert!(NEGATIVE.is_match("sidebar"));
    }
}
