//! Regular expressions written as literals in the source, compiled once on first use.
//!
//! This is the one place where a failed regex compilation panics: every pattern passed here is a
//! string literal of this crate, so a bad one is a programming error, and the unit tests of each
//! module force its patterns (a typo fails `cargo test`, never a user's run).

use regex::{Regex, RegexSet};

/// Compile a literal pattern.
pub fn literal(pattern: &'static str) -> Regex {
    // Cannot fail at run time: `pattern` is a literal covered by the unit tests.
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad literal regex {pattern:?}: {e}"))
}

/// Compile a case-insensitive alternation of literal words and phrases (`(?i)(?:a|b c)`), each
/// escaped: one automaton instead of a search per word.
pub fn literal_words(words: &[&str]) -> Regex {
    let alternation: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
    let pattern = format!("(?i)(?:{})", alternation.join("|"));
    // Cannot fail at run time: escaped literals always compile.
    Regex::new(&pattern).unwrap_or_else(|e| panic!("bad literal word list {words:?}: {e}"))
}

/// Compile a set of literal patterns.
pub fn literal_set<'a>(patterns: impl IntoIterator<Item = &'a str>) -> RegexSet {
    // Cannot fail at run time: the patterns are literals covered by the unit tests.
    RegexSet::new(patterns).unwrap_or_else(|e| panic!("bad literal regex set: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiles_literals() {
        assert!(literal(r"\d+").is_match("a1"));
        assert_eq!(
            literal_set([r"a", r"b"])
                .matches("b")
                .into_iter()
                .collect::<Vec<_>>(),
            [1]
        );
    }

    #[test]
    fn word_lists_are_escaped_and_case_insensitive() {
        let re = literal_words(&["date:", "a.b", "veröffentlicht"]);
        assert!(re.is_match("DATE: 1"));
        assert!(re.is_match("VERÖFFENTLICHT am"));
        assert!(!re.is_match("axb"));
    }

    #[test]
    #[should_panic(expected = "bad literal regex")]
    fn a_bad_literal_is_a_loud_programming_error() {
        literal(r"(");
    }
}
