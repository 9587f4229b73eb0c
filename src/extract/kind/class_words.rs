//! The class/id words of shops, forums, docs and landing pages ([`CLASS_WORDS`]) found in an
//! attribute value: ASCII case-insensitive substrings, each counted once per element. A table
//! of the words' first two letters picks the candidates at each position, so a value is read
//! once with no allocation (a regex over every `class` of the page cost more than the rest of
//! the DOM walk).

/// Words looked for in `class` and `id` attributes (at most 64: a bit each), ASCII lower case,
/// each at least two letters long. Thirteen more (`comment`, `reply`, `thread`, `card`,
/// `teaser`, `author`, `related`, `breadcrumb`, `pagination`, `video`, `live`, `faq`,
/// `feature`) carried under 0.3% each of the model's split gain: dropped (CV held), since the
/// scan of every `class` is the walk's largest cost.
pub(super) const CLASS_WORDS: [&str; 11] = [
    "price", "cart", "post", "sidebar", "toc", "product", "share", "gallery", "slide", "hero",
    "filter",
];

/// For each pair of leading letters (`a`-`z` × `a`-`z`), the words that start with it.
static BY_BIGRAM: [[u64; 26]; 26] = by_bigram();

const fn by_bigram() -> [[u64; 26]; 26] {
    let mut t = [[0u64; 26]; 26];
    let mut i = 0;
    while i < CLASS_WORDS.len() {
        let w = CLASS_WORDS[i].as_bytes();
        t[(w[0] - b'a') as usize][(w[1] - b'a') as usize] |= 1 << i;
        i += 1;
    }
    t
}

/// Not a letter, in [`LETTER`].
const NO: u8 = u8::MAX;

/// Each byte's letter index (`a`/`A` 0 to `z`/`Z` 25), or [`NO`].
static LETTER: [u8; 256] = letters();

const fn letters() -> [u8; 256] {
    let mut t = [NO; 256];
    let mut i = 0u8;
    while i < 26 {
        t[(b'a' + i) as usize] = i;
        t[(b'A' + i) as usize] = i;
        i += 1;
    }
    t
}

/// The set of [`CLASS_WORDS`] (bit `i`: word `i`) that occur in `value`.
pub(super) fn find(value: &[u8]) -> u64 {
    let mut found = 0u64;
    let mut prev = NO;
    for (i, &c) in value.iter().enumerate() {
        let cur = LETTER[c as usize];
        if prev != NO && cur != NO {
            let start = i - 1;
            let mut candidates = BY_BIGRAM[prev as usize][cur as usize] & !found;
            while candidates != 0 {
                let k = candidates.trailing_zeros() as usize;
                candidates &= candidates - 1;
                let w = CLASS_WORDS[k].as_bytes();
                if value
                    .get(start..start + w.len())
                    .is_some_and(|s| s.eq_ignore_ascii_case(w))
                {
                    found |= 1 << k;
                }
            }
        }
        prev = cur;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(v: &str) -> Vec<&'static str> {
        let f = find(v.as_bytes());
        (0..CLASS_WORDS.len())
            .filter(|&i| f & (1 << i) != 0)
            .map(|i| CLASS_WORDS[i])
            .collect()
    }

    #[test]
    fn finds_words_anywhere_in_any_case_once() {
        assert_eq!(words("Product-PRICE price"), ["price", "product"]);
        assert_eq!(words("postcart"), ["cart", "post"]);
        assert_eq!(words("hero hero-image"), ["hero"]);
        assert!(words("x y-z 123 é").is_empty());
        assert!(words("").is_empty() && words("p").is_empty());
        assert_eq!(words("a-pric"), Vec::<&str>::new());
    }

    #[test]
    fn the_words_fit_the_table() {
        assert!(CLASS_WORDS.len() <= 64);
        for w in CLASS_WORDS {
            assert!(
                w.len() >= 2 && w.bytes().all(|b| b.is_ascii_lowercase()),
                "{w}"
            );
        }
    }
}
