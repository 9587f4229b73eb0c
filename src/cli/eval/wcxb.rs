//! WCXB body and metadata scores, computed exactly as `devset/score_wcxb.py` does: word-level
//! F1 per page (lower-cased `\w+` tokens, multiset overlap) averaged over pages, overall and
//! per page type; title equal after NFKC/whitespace/case folding; date = the first 10
//! characters of `published`; author = every gold name inside the predicted authors.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use newsarc::model::Article;
use regex::Regex;
use serde_json::Value;

use super::score::{fold, overlap_prf, ratio};

static WORD: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\w+").ok());
static NAME_SPLIT: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r",|;|\band\b|&").ok());

fn tokens(s: &str) -> Vec<String> {
    let low = s.to_lowercase();
    WORD.as_ref()
        .map(|re| re.find_iter(&low).map(|m| m.as_str().to_string()).collect())
        .unwrap_or_default()
}

/// (precision, recall, F1) of the words of `pred` against `gold`.
fn word_f1(pred: &str, gold: &str) -> (f64, f64, f64) {
    overlap_prf(&tokens(pred), &tokens(gold))
}

/// The scores over every page, and per page type.
#[derive(Debug, Default)]
pub struct WcxbScores {
    /// Per page type (`article`, `service`, ...): (F1 sum, P sum, R sum, pages).
    pub per_type: BTreeMap<String, (f64, f64, f64, usize)>,
    pub title: (usize, usize),
    pub date: (usize, usize),
    pub author: (usize, usize),
}

impl WcxbScores {
    /// Mean (F1, P, R) over the pages of `kind` (`None`: every page).
    pub fn body(&self, kind: Option<&str>) -> (f64, f64, f64) {
        let (mut f, mut p, mut r, mut n) = (0.0, 0.0, 0.0, 0usize);
        for (t, s) in &self.per_type {
            if kind.is_none_or(|k| k == t) {
                f += s.0;
                p += s.1;
                r += s.2;
                n += s.3;
            }
        }
        let n = n.max(1) as f64;
        (f / n, p / n, r / n)
    }

    /// Title, date and author accuracy.
    pub fn meta(&self) -> (f64, f64, f64) {
        let r = |(a, b): (usize, usize)| ratio(a, b);
        (r(self.title), r(self.date), r(self.author))
    }

    /// Score one page's `article` (`None`: no prediction) against its ground-truth file.
    pub fn add(&mut self, gt_file: &Path, article: Option<&Article>) {
        let d: Value = std::fs::read(gt_file)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let kind = d["_internal"]["page_type"]["primary"]
            .as_str()
            .unwrap_or("article");
        let kind = if kind == "category" {
            "collection"
        } else {
            kind
        };
        let g = &d["ground_truth"];
        let gold = |k: &str| g[k].as_str().filter(|s| !s.is_empty());
        let body = article.map_or("", |a| a.body.as_str());
        let (p, r, f) = word_f1(body, gold("main_content").unwrap_or(""));
        let e = self.per_type.entry(kind.to_string()).or_default();
        *e = (e.0 + f, e.1 + p, e.2 + r, e.3 + 1);
        if let Some(t) = gold("title") {
            self.title.1 += 1;
            let got = article.and_then(|a| a.title.as_deref()).unwrap_or("");
            self.title.0 += usize::from(fold(got) == fold(t));
        }
        if let Some(want) = gold("publish_date") {
            self.date.1 += 1;
            let got = article
                .and_then(|a| a.published)
                .map(|d| d.to_rfc3339())
                .unwrap_or_default();
            let head = |s: &str| s.chars().take(10).collect::<String>();
            self.date.0 += usize::from(head(&got) == head(want));
        }
        if let Some(want) = gold("author") {
            self.author.1 += 1;
            let got = fold(&article.map(|a| a.authors.join("; ")).unwrap_or_default());
            let names: Vec<String> = NAME_SPLIT
                .as_ref()
                .map(|re| re.split(want).map(fold).filter(|n| !n.is_empty()).collect())
                .unwrap_or_default();
            self.author.0 += usize::from(!got.is_empty() && names.iter().all(|n| got.contains(n)));
        }
    }

    /// Print the per-type and overall lines.
    pub fn print(&self) {
        for (t, s) in &self.per_type {
            let n = s.3.max(1) as f64;
            println!(
                "  wcxb {t:<14} n={:4} f1={:.3} p={:.3} r={:.3}",
                s.3,
                s.0 / n,
                s.1 / n,
                s.2 / n
            );
        }
        let (f, p, r) = self.body(None);
        let (t, d, a) = self.meta();
        println!(
            "wcxb: body f1 {f:.3} (p {p:.3} r {r:.3}), title {t:.3} ({}/{}), date {d:.3} ({}/{}), author {a:.3} ({}/{})",
            self.title.0, self.title.1, self.date.0, self.date.1, self.author.0, self.author.1
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_f1_is_a_multiset_overlap() {
        assert_eq!(word_f1("", ""), (1.0, 1.0, 1.0));
        assert_eq!(word_f1("a", ""), (0.0, 0.0, 0.0));
        let (p, r, f) = word_f1("the the cat", "The cat sat");
        assert!((p - 2.0 / 3.0).abs() < 1e-9 && (r - 2.0 / 3.0).abs() < 1e-9);
        assert!((f - 2.0 / 3.0).abs() < 1e-9);
    }
}
