//! Word counting for [`Article::word_count`](crate::model::Article::word_count).

/// Count words: whitespace-separated tokens, each CJK character one word.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .map(|t| {
            // Most tokens are ASCII: one word, no character decoding.
            if t.is_ascii() {
                return 1;
            }
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

#[cfg(test)]
mod tests {
    use super::word_count;

    #[test]
    fn tokens_and_cjk_characters_are_words() {
        assert_eq!(word_count(""), 0);
        assert_eq!(word_count(" one\ttwo\u{b}three\u{a0}four\n"), 4);
        assert_eq!(word_count("café über"), 2);
        assert_eq!(word_count("東京都 Tokyo"), 4);
        assert_eq!(word_count("iPhone発売"), 3);
        assert_eq!(word_count("서울 ---"), 3);
    }
}
