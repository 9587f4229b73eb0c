//! Rules on top of the model: the kinds the training pages do not label (live blogs,
//! galleries, videos, error pages and login walls, pages without text) from signals that
//! say so plainly.

use super::dom_stats::DomStats;
use crate::extract::generic::is_error_title;
use crate::extract::resolve::Fields;
use crate::extract::signals::PageSignals;
use crate::model::PageKind;

/// Refine the model's `(kind, confidence)`.
pub(super) fn refine(
    (kind, confidence): (PageKind, f32),
    sig: &PageSignals<'_>,
    fields: &Fields,
    dom: &DomStats,
    words: usize,
) -> (PageKind, f32) {
    if dom.text == 0 && fields.body.text.value.is_empty() {
        return (PageKind::Other, 1.0);
    }
    let title = fields
        .title
        .value
        .as_deref()
        .or(sig.meta.title_tag.as_deref());
    let error_title = title.is_some_and(is_error_title);
    if fields.body.page_kind == Some(PageKind::Error) || (error_title && words < 150) {
        // Fixed confidences for rule verdicts: the model's probability is of another kind.
        return (PageKind::Error, 0.9);
    }
    let og = sig
        .meta
        .first(&["og:type"])
        .unwrap_or("")
        .to_ascii_lowercase();
    if matches!(kind, PageKind::Article | PageKind::Service) && is_front(sig, dom, &og) {
        return (PageKind::Listing, 0.8);
    }
    // Mostly links and no running text (the body extractor's verdict): a list the model took
    // for a landing page, or for an article when nothing declares one.
    if fields.body.page_kind == Some(PageKind::Listing)
        && (kind == PageKind::Service || (kind == PageKind::Article && !declares_article(sig, &og)))
    {
        return (PageKind::Listing, 0.6);
    }
    if kind != PageKind::Article {
        return (kind, confidence);
    }
    // A would-be article that is a login wall: a password field and next to no text.
    if dom.passwords > 0 && words < 120 && dom.long_paras < 2 && dom.text < 2000 {
        return (PageKind::Error, 0.8);
    }
    let declared = |names: &[&str]| sig.ld.types.iter().any(|t| names.contains(&t.as_str()));
    let url = sig.page.url.to_ascii_lowercase();
    let in_path = |seg: &[&str]| seg.iter().any(|s| url.contains(&format!("/{s}/")));
    if declared(&["LiveBlogPosting"]) || (in_path(&["live", "liveblog"]) && dom.times >= 5) {
        return (PageKind::Liveblog, confidence);
    }
    let short = words < 400;
    if short
        && (declared(&["ImageGallery", "MediaGallery"])
            || (in_path(&[
                "gallery",
                "galleries",
                "photos",
                "pictures",
                "fotos",
                "bilder",
            ]) && dom.images + dom.figures >= 6))
    {
        return (PageKind::Gallery, confidence);
    }
    let video_declared =
        sig.ld.types.first().is_some_and(|t| t == "VideoObject") || og.starts_with("video");
    if short
        && dom.videos + dom.video_frames > 0
        && (video_declared || in_path(&["video", "videos", "watch"]))
    {
        return (PageKind::Video, confidence);
    }
    (kind, confidence)
}

/// A news front: many teaser cards (headlines that are links), next to no running text, and
/// nothing that declares an article (no article JSON-LD or `og:type`, no long URL slug).
fn is_front(sig: &PageSignals<'_>, dom: &DomStats, og: &str) -> bool {
    let declares_article = declares_article(sig, og);
    let slug_words = sig
        .page
        .page_url
        .as_ref()
        .and_then(|u| u.path_segments()?.rfind(|s| !s.is_empty()))
        .map_or(0, super::features::slug_words);
    dom.linked_headings >= 6 && dom.long_paras <= 2 && !declares_article && slug_words < 4
}

/// Whether the page declares itself an article (JSON-LD `*Article` / `BlogPosting` /
/// `LiveBlogPosting`, or `og:type` article).
fn declares_article(sig: &PageSignals<'_>, og: &str) -> bool {
    sig.ld
        .types
        .iter()
        .any(|t| t.ends_with("Article") || t == "BlogPosting" || t == "LiveBlogPosting")
        || og == "article"
}
