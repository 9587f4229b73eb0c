//! The trained page-kind model: gradient-boosted trees over the features, shipped as data
//! (`model.json`, written by `scripts/train_kind.py`). No download at run time: the file is
//! compiled into the binary and parsed once.

use std::sync::LazyLock;

use serde::Deserialize;

use super::features::{self, Features};
use crate::model::PageKind;

/// The model file, as trained.
const MODEL_JSON: &str = include_str!("model.json");

/// One regression tree, as flat arrays indexed by node (node 0 is the root).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Tree {
    /// The class whose score this tree adds to.
    class: usize,
    feature: Vec<usize>,
    /// Split thresholds: the largest `f32` at most the trainer's `f64` threshold, so that
    /// `x <= threshold` on the `f32` features is the trainer's test exactly (thresholds can
    /// equal a feature value: an `f64` read back one unit off would flip the split).
    threshold: Vec<f32>,
    /// Child node ids; 0 marks a leaf (the root is nobody's child).
    left: Vec<usize>,
    right: Vec<usize>,
    /// The leaf values.
    value: Vec<f32>,
}

impl Tree {
    fn check(&self, classes: usize) -> bool {
        let n = self.feature.len();
        let same = [&self.left, &self.right].iter().all(|v| v.len() == n)
            && self.threshold.len() == n
            && self.value.len() == n;
        same && n > 0
            && self.class < classes
            && self.feature.iter().all(|&f| f < features::LEN)
            && self.left.iter().chain(&self.right).all(|&c| c < n)
    }

    /// Append the tree's nodes to `nodes` (shapes checked by [`Tree::check`] first), child
    /// ids made absolute; gives the root's index.
    fn flatten_into(&self, nodes: &mut Vec<Node>) -> u32 {
        let base = nodes.len() as u32;
        nodes.extend((0..self.feature.len()).map(|i| {
            let leaf = self.left[i] == 0;
            Node {
                feature: self.feature[i] as u32,
                left: if leaf { 0 } else { base + self.left[i] as u32 },
                right: if leaf { 0 } else { base + self.right[i] as u32 },
                value: if leaf {
                    self.value[i]
                } else {
                    self.threshold[i]
                },
            }
        }));
        base
    }
}

/// A page and the probabilities the trainer gave it, to check this inference against.
#[derive(Debug, Deserialize)]
#[cfg_attr(not(test), allow(dead_code))]
#[serde(deny_unknown_fields)]
pub(super) struct Check {
    pub features: Vec<f32>,
    pub probabilities: Vec<f32>,
}

/// The boosted trees and the article decision threshold.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Model {
    /// Class names, in score order (kind names).
    classes: Vec<String>,
    /// Feature names, in column order (must equal [`features::name`] for every index).
    features: Vec<String>,
    /// The starting score of each class.
    baseline: Vec<f32>,
    trees: Vec<Tree>,
    /// A page is an article when P(article) is at least this.
    pub article_threshold: f32,
    /// Pages with the trainer's probabilities (a unit test compares).
    #[cfg_attr(not(test), allow(dead_code))]
    pub checks: Vec<Check>,
    /// How the model was trained and what it scored (for people; not read by the code).
    #[allow(dead_code)]
    about: serde_json::Value,
    /// The kinds of `classes`, resolved once.
    #[serde(skip)]
    kinds: Vec<PageKind>,
    /// Every tree's nodes in one array (built at load): the walk stays in one cache-friendly
    /// block, with bounds checked once at load.
    #[serde(skip)]
    nodes: Vec<Node>,
    /// Each tree as `(class, root index into nodes)`.
    #[serde(skip)]
    roots: Vec<(usize, u32)>,
}

impl Model {
    /// The leaf value `x` reaches from the root at `i`. Children always have higher ids than
    /// their parent, so the walk ends, and every id and feature is in bounds (both checked
    /// when the model is loaded); `get` keeps a bad file from panicking all the same.
    fn eval(&self, mut i: usize, x: &[f32]) -> f32 {
        while let Some(n) = self.nodes.get(i) {
            if n.left == 0 {
                return n.value;
            }
            let v = x.get(n.feature as usize).copied().unwrap_or(0.0);
            i = if v <= n.value { n.left } else { n.right } as usize;
        }
        0.0
    }
}

/// A split (`left != 0`) or a leaf (`value`).
#[derive(Debug, Clone, Copy)]
struct Node {
    feature: u32,
    left: u32,
    right: u32,
    /// The threshold of a split, the value of a leaf.
    value: f32,
}

/// The compiled-in model, or why it cannot be used (then the classifier falls back to the
/// generic extractor's verdict; a unit test keeps this from happening in a release).
pub(super) static MODEL: LazyLock<Result<Model, String>> =
    LazyLock::new(|| Model::parse(MODEL_JSON));

impl Model {
    /// Parse and check a model file against this build's features.
    pub fn parse(json: &str) -> Result<Model, String> {
        let mut m: Model = serde_json::from_str(json).map_err(|e| format!("model.json: {e}"))?;
        let names_ok = m.features.len() == features::LEN
            && m.features
                .iter()
                .enumerate()
                .all(|(i, f)| *f == features::name(i));
        if !names_ok {
            return Err("model.json: features differ from this build's (retrain)".into());
        }
        let k = m.classes.len();
        let ordered = |t: &Tree| {
            t.left
                .iter()
                .zip(&t.right)
                .enumerate()
                .all(|(i, (&l, &r))| (l == 0 && r == 0) || (l > i && r > i))
        };
        if m.baseline.len() != k || !m.trees.iter().all(|t| t.check(k) && ordered(t)) {
            return Err("model.json: tree shapes do not match".into());
        }
        m.kinds = m
            .classes
            .iter()
            .map(|c| PageKind::from_name(c).ok_or_else(|| format!("model.json: unknown class {c}")))
            .collect::<Result<_, _>>()?;
        if !m.kinds.contains(&PageKind::Article) {
            return Err("model.json: no article class".into());
        }
        // The raw arrays are only the file's layout: keep the flattened trees alone.
        let trees = std::mem::take(&mut m.trees);
        m.roots = trees
            .iter()
            .map(|t| (t.class, t.flatten_into(&mut m.nodes)))
            .collect();
        Ok(m)
    }

    /// Class probabilities of `x`, in `classes` order.
    pub fn probabilities(&self, x: &[f32]) -> Vec<f32> {
        let mut raw = self.baseline.clone();
        if x.len() == features::LEN {
            for &(class, root) in &self.roots {
                raw[class] += self.eval(root as usize, x);
            }
        }
        let top = raw.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let exp: Vec<f32> = raw.iter().map(|l| (l - top).exp()).collect();
        let sum: f32 = exp.iter().sum();
        exp.iter().map(|e| e / sum).collect()
    }

    /// The kind of `x` and the model's probability for it: an article when P(article) reaches
    /// the threshold, else the likeliest other kind.
    pub fn decide(&self, x: &Features) -> (PageKind, f32) {
        let p = self.probabilities(&x.0);
        let pa = self
            .kinds
            .iter()
            .position(|k| *k == PageKind::Article)
            .map_or(0.0, |i| p[i]);
        let best_other = self
            .kinds
            .iter()
            .zip(&p)
            .filter(|(k, _)| **k != PageKind::Article)
            .max_by(|a, b| a.1.total_cmp(b.1));
        match best_other {
            Some((k, pk)) if pa < self.article_threshold => (*k, *pk),
            // An article below its own likeliest class but over the threshold: say how sure
            // the model is that it is one of the parsed kinds, not P(article) alone.
            _ => (
                PageKind::Article,
                pa.max(1.0 - best_other.map_or(0.0, |b| *b.1)),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_model_loads_and_matches_the_trainer() {
        let m = MODEL.as_ref().unwrap();
        assert!(m.article_threshold > 0.0 && m.article_threshold < 1.0);
        assert_eq!(m.checks.len(), m.classes.len());
        for c in &m.checks {
            let p = m.probabilities(&c.features);
            for (got, want) in p.iter().zip(&c.probabilities) {
                assert!((got - want).abs() < 1e-3, "{p:?} vs {:?}", c.probabilities);
            }
        }
    }

    #[test]
    fn a_model_for_other_features_or_with_a_loop_is_refused() {
        let bad = MODEL_JSON.replacen("\"url_date\"", "\"url_dates\"", 1);
        assert!(Model::parse(&bad).unwrap_err().contains("retrain"));
        assert!(Model::parse("{").is_err());
        let looped = MODEL_JSON.replacen("\"left\":[1,", "\"left\":[0,", 1);
        assert_ne!(looped, MODEL_JSON);
        assert!(Model::parse(&looped).unwrap_err().contains("tree shapes"));
    }
}
