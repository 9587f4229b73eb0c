//! The trained page-kind model: multinomial logistic regression over the standardised
//! features, its weights shipped as data (`model.json`, written by `scripts/train_kind.py`).
//! No download at run time: the file is compiled into the binary.

use std::sync::LazyLock;

use serde::Deserialize;

use super::features::{self, Features};
use crate::model::PageKind;

/// The model file, as trained.
const MODEL_JSON: &str = include_str!("model.json");

/// The weights of a softmax regression and the article decision threshold.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Model {
    /// Class names, in weight-row order (kind names).
    pub classes: Vec<String>,
    /// Feature names, in column order (must equal [`features::name`] for every index).
    pub features: Vec<String>,
    /// Per-feature mean and scale for standardising.
    pub mean: Vec<f32>,
    pub scale: Vec<f32>,
    /// One row of weights per class.
    pub weights: Vec<Vec<f32>>,
    pub bias: Vec<f32>,
    /// A page is an article when P(article) is at least this.
    pub article_threshold: f32,
    /// How the model was trained and what it scored (for people; not read by the code).
    #[allow(dead_code)]
    pub about: serde_json::Value,
    /// The kinds of `classes`, resolved once.
    #[serde(skip)]
    kinds: Vec<PageKind>,
}

/// The compiled-in model, or why it cannot be used (then the classifier falls back to the
/// generic extractor's verdict; a unit test keeps this from happening in a release).
pub(super) static MODEL: LazyLock<Result<Model, String>> = LazyLock::new(|| Model::parse(MODEL_JSON));

impl Model {
    /// Parse and check a model file against this build's features.
    pub fn parse(json: &str) -> Result<Model, String> {
        let mut m: Model = serde_json::from_str(json).map_err(|e| format!("model.json: {e}"))?;
        let n = features::LEN;
        let names_ok = m.features.len() == n
            && m.features.iter().enumerate().all(|(i, f)| *f == features::name(i));
        if !names_ok {
            return Err("model.json: features differ from this build's (retrain)".into());
        }
        let shapes_ok = m.mean.len() == n
            && m.scale.len() == n
            && m.weights.len() == m.classes.len()
            && m.bias.len() == m.classes.len()
            && m.weights.iter().all(|w| w.len() == n);
        if !shapes_ok {
            return Err("model.json: weight shapes do not match".into());
        }
        m.kinds = m
            .classes
            .iter()
            .map(|c| PageKind::from_name(c).ok_or_else(|| format!("model.json: unknown class {c}")))
            .collect::<Result<_, _>>()?;
        if !m.kinds.contains(&PageKind::Article) {
            return Err("model.json: no article class".into());
        }
        Ok(m)
    }

    /// Class probabilities of `x`, in `classes` order.
    pub fn probabilities(&self, x: &Features) -> Vec<f32> {
        let z: Vec<f32> = x
            .0
            .iter()
            .zip(self.mean.iter().zip(&self.scale))
            .map(|(v, (m, s))| (v - m) / s)
            .collect();
        let logits: Vec<f32> = self
            .weights
            .iter()
            .zip(&self.bias)
            .map(|(w, b)| b + w.iter().zip(&z).map(|(w, z)| w * z).sum::<f32>())
            .collect();
        let top = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let exp: Vec<f32> = logits.iter().map(|l| (l - top).exp()).collect();
        let sum: f32 = exp.iter().sum();
        exp.iter().map(|e| e / sum).collect()
    }

    /// The kind of `x` and the model's confidence in it: an article when P(article) reaches
    /// the threshold, else the likeliest other kind.
    pub fn decide(&self, x: &Features) -> (PageKind, f32) {
        let p = self.probabilities(x);
        let pa = self
            .kinds
            .iter()
            .position(|k| *k == PageKind::Article)
            .map_or(0.0, |i| p[i]);
        if pa >= self.article_threshold {
            return (PageKind::Article, pa);
        }
        let best = self
            .kinds
            .iter()
            .zip(&p)
            .filter(|(k, _)| **k != PageKind::Article)
            .max_by(|a, b| a.1.total_cmp(b.1));
        match best {
            Some((k, pk)) => (*k, *pk),
            None => (PageKind::Article, pa),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_model_loads_and_matches_the_features() {
        let m = MODEL.as_ref().unwrap();
        assert!(m.article_threshold > 0.0 && m.article_threshold < 1.0);
        let p = m.probabilities(&Features(m.mean.clone()));
        assert!((p.iter().sum::<f32>() - 1.0).abs() < 1e-4);
    }

    #[test]
    fn a_model_for_other_features_is_refused() {
        let bad = MODEL_JSON.replacen("\"url_date\"", "\"url_dates\"", 1);
        assert!(Model::parse(&bad).unwrap_err().contains("retrain"));
        assert!(Model::parse("{").is_err());
    }
}
