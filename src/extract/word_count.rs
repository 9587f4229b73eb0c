//! Word counting for [`Article::word_count`](crate::model::Article::word_count).

/// Count words: whitespace-separated tokens, each CJK character one word.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .map(|t| {
            let cjk = t.chars().filter(|c| is_cjk(*c)).count();
            if cjk == 0 {
                1
            } else {
                cjk + usize::from(t.chars().any(|c| c.is_alphanumeric() && !is_cjk(c)))
            }
        })
        .sum()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}
