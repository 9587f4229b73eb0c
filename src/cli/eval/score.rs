//! Scoring rules, reimplementing `devset/score_trafilatura.py` exactly (NFKC, whitespace
//! collapse, case folding) plus the bag-of-words F1 of the readability half.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

/// Python's `str.isspace()` (what `re`'s `\s` matches on `str`).
fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `norm(s)`: NFKC, runs of whitespace → one space, trimmed.
pub fn norm(s: &str) -> String {
    let n: String = s.nfkc().collect();
    let mut out = String::with_capacity(n.len());
    for w in n.split(py_space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// `fold(s)`: `norm(s).casefold()` (lower case plus the full case foldings that matter: ß, ς).
pub fn fold(s: &str) -> String {
    norm(s)
        .chars()
        .flat_map(char::to_lowercase)
        .flat_map(|c| match c {
            'ß' => vec!['s', 's'],
            'ς' => vec!['σ'],
            c => vec![c],
        })
        .collect()
}

/// Counts of the trafilatura half (micro-averaged body, per-page metadata).
#[derive(Debug, Default, Clone, Copy)]
pub struct TrafCounts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
    pub title: (usize, usize),
    pub date: (usize, usize),
    pub author: (usize, usize),
}

impl TrafCounts {
    /// Add another page's counts.
    pub fn add(&mut self, o: &TrafCounts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
        for (a, b) in [
            (&mut self.title, o.title),
            (&mut self.date, o.date),
            (&mut self.author, o.author),
        ] {
            a.0 += b.0;
            a.1 += b.1;
        }
    }

    /// (F1, precision, recall) of the body snippets.
    pub fn body(&self) -> (f64, f64, f64) {
        let p = ratio(self.tp, self.tp + self.fp);
        let r = ratio(self.tp, self.tp + self.fn_);
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (f, p, r)
    }
}

/// `a / b`, 0 when `b` is 0.
pub fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Gold of one trafilatura page.
#[derive(Debug, Clone, Default)]
pub struct TrafGold {
    pub with: Vec<String>,
    pub without: Vec<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    pub author: Option<String>,
}

/// Score one page's prediction against its gold, exactly as the Python scorer does.
pub fn score_traf(
    g: &TrafGold,
    body: &str,
    title: Option<&str>,
    authors: &[String],
    published: Option<&str>,
) -> TrafCounts {
    let mut c = TrafCounts::default();
    let body = norm(body);
    for s in &g.with {
        if body.contains(&norm(s)) {
            c.tp += 1;
        } else {
            c.fn_ += 1;
        }
    }
    for s in &g.without {
        if body.contains(&norm(s)) {
            c.fp += 1;
        }
    }
    if let Some(t) = g.title.as_deref().filter(|t| !t.is_empty()) {
        c.title = (usize::from(fold(title.unwrap_or("")) == fold(t)), 1);
    }
    if let Some(d) = g.date.as_deref().filter(|d| !d.is_empty()) {
        let p: String = published.unwrap_or("").chars().take(10).collect();
        let gd: String = d.chars().take(10).collect();
        c.date = (usize::from(p == gd), 1);
    }
    if let Some(a) = g.author.as_deref().filter(|a| !a.is_empty()) {
        let pa = fold(&authors.join("; "));
        let ga = fold(a);
        let ok = !pa.is_empty() && (pa.contains(&ga) || ga.contains(&pa));
        c.author = (usize::from(ok), 1);
    }
    c
}

/// Lower-cased word tokens (runs of alphanumeric characters).
pub fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Bag-of-words F1 between a prediction and a reference text.
pub fn bow_f1(pred: &str, gold: &str) -> f64 {
    overlap_prf(&words(pred), &words(gold)).2
}

/// (precision, recall, F1) of the multiset overlap of `pred` and `gold` tokens: 1 when both
/// are empty, 0 when only one is.
pub fn overlap_prf(pred: &[String], gold: &[String]) -> (f64, f64, f64) {
    if pred.is_empty() || gold.is_empty() {
        let same = f64::from(u8::from(pred.is_empty() && gold.is_empty()));
        return (same, same, same);
    }
    let mut counts: HashMap<&str, i64> = HashMap::new();
    for w in gold {
        *counts.entry(w).or_default() += 1;
    }
    let mut overlap = 0usize;
    for w in pred {
        if let Some(n) = counts.get_mut(w.as_str())
            && *n > 0
        {
            *n -= 1;
            overlap += 1;
        }
    }
    let prec = overlap as f64 / pred.len() as f64;
    let rec = overlap as f64 / gold.len() as f64;
    let f1 = if prec + rec > 0.0 {
        2.0 * prec * rec / (prec + rec)
    } else {
        0.0
    };
    (prec, rec, f1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_and_fold_match_python() {
        assert_eq!(norm("  a\u{a0}b\n\n c\u{1f}d "), "a b c d");
        assert_eq!(norm("ﬁ ①"), "fi 1");
        assert_eq!(fold("Straße"), "strasse");
    }

    #[test]
    fn traf_scoring_rules() {
        let g = TrafGold {
            with: vec!["hello  world".into(), "missing".into()],
            without: vec!["ad text".into()],
            title: Some("The Title".into()),
            date: Some("2020-01-02".into()),
            author: Some("Jane Doe".into()),
        };
        let c = score_traf(
            &g,
            "x hello world y ad text",
            Some("the  title"),
            &["Jane Doe".into(), "X".into()],
            Some("2020-01-02T10:00:00+01:00"),
        );
        assert_eq!((c.tp, c.fn_, c.fp), (1, 1, 1));
        assert_eq!((c.title, c.date, c.author), ((1, 1), (1, 1), (1, 1)));
        let c = score_traf(&g, "", None, &[], None);
        assert_eq!((c.title, c.date, c.author), ((0, 1), (0, 1), (0, 1)));
    }

    #[test]
    fn bag_of_words() {
        assert!((bow_f1("a b c", "a b c") - 1.0).abs() < 1e-9);
        assert!((bow_f1("a a", "a b") - 0.5).abs() < 1e-9);
        assert_eq!(bow_f1("", "a"), 0.0);
    }
}
