//! Is it an article? Step 4 of [`extract`](super::extract): the page-kind classifier.
//!
//! [`features`] turns the page signals, the resolved fields, the body's text style
//! ([`body_text`]) and one walk over the DOM ([`dom_stats`], its class/id words in
//! [`class_words`]) into a feature vector; [`model`] (gradient-boosted trees trained on the
//! development pages, weights in `model.json`) gives the kind among article, listing, forum,
//! product, documentation and service, with its probability; [`rules`] then names the kinds
//! the training pages do not label (live blog, gallery, video, error, other). Retrain with
//! `scripts/train_kind.py` (see `docs/page-kinds.md`).

mod body_text;
mod class_words;
mod dom_stats;
pub mod features;
mod model;
mod rules;

use dom_stats::DomStats;
pub use features::Features;

use super::resolve::Fields;
use super::signals::PageSignals;
use crate::model::PageKind;

/// The classifier's verdict on one page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Verdict {
    pub kind: PageKind,
    /// Probability of `kind`, 0 to 1 (rounded to 3 decimals).
    pub confidence: f32,
}

/// Classify the page (`words`: the body's word count); also gives the features it used.
pub(crate) fn classify(
    sig: &PageSignals<'_>,
    fields: &Fields,
    words: usize,
) -> (Verdict, Features) {
    let dom = DomStats::read(&sig.page.doc);
    let x = Features::compute(sig, fields, &dom, words);
    let base = match model::MODEL.as_ref() {
        Ok(m) => m.decide(&x),
        // Unreachable in a release (a unit test loads the model): the generic verdict.
        Err(_) => (fields.body.page_kind.unwrap_or_default(), 0.5),
    };
    let (kind, confidence) = rules::refine(base, sig, fields, &dom, words);
    let verdict = Verdict {
        kind,
        confidence: (confidence.clamp(0.0, 1.0) * 1000.0).round() / 1000.0,
    };
    (verdict, x)
}
