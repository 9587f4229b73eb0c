//! What the body's own text says about the kind of page: whom it addresses ("you") and for
//! whom it speaks ("we"), whether its lines are running prose that ends sentences or short
//! headings and list lines, questions (FAQ pages), digits and prices (shops, pricing pages),
//! and how many dates it mentions (news reports date things). One pass over the lines and
//! the first words of the body, no allocation.

/// The feature names, in the order [`push`] writes them.
pub(super) const NAMES: [&str; 9] = [
    "you_share",
    "we_share",
    "short_line_share",
    "sentence_line_share",
    "question_line_share",
    "digit_share",
    "prices",
    "date_words",
    "first_line_len",
];

/// Lines, bytes and words read at most (the start of a body tells its kind).
const MAX_LINES: usize = 200;
const MAX_BYTES: usize = 20_000;
const MAX_WORDS: usize = 400;
const DIGIT_BYTES: usize = 5_000;

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn share(part: u32, whole: u32) -> f32 {
    if whole == 0 {
        0.0
    } else {
        (part as f32 / whole as f32).min(1.0)
    }
}

fn log(n: u32) -> f32 {
    (n as f32).ln_1p()
}

/// Append the [`NAMES`] features of `body` to `v`.
pub(super) fn push(body: &str, v: &mut Vec<f32>) {
    let head = cut(body, MAX_BYTES);
    let (you, we, date_words, words) = word_counts(head);
    v.push(share(you, words));
    v.push(share(we, words));
    let (mut lines, mut short, mut sentences, mut questions) = (0u32, 0u32, 0u32, 0u32);
    let mut first = 0usize;
    for line in head
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(MAX_LINES)
    {
        if lines == 0 {
            first = line.len();
        }
        lines += 1;
        short += u32::from(line.len() < 80);
        let end = line.trim_end_matches(['"', '\'', ')', '”', '’', '»']);
        sentences += u32::from(end.ends_with(['.', '!', '?', '…', '。']));
        questions += u32::from(end.ends_with('?'));
    }
    v.push(share(short, lines));
    v.push(share(sentences, lines));
    v.push(share(questions, lines));
    let (digits, visible, prices) = digit_counts(head);
    v.push(share(digits, visible));
    v.push(log(prices));
    v.push(log(date_words));
    v.push(log(first as u32));
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn cut(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Over the first [`MAX_WORDS`] words: "you"/"your", "we"/"our"/"us", month names and years
/// (1900-2099), and the words read.
fn word_counts(text: &str) -> (u32, u32, u32, u32) {
    let (mut you, mut we, mut dates, mut n) = (0u32, 0u32, 0u32, 0u32);
    for w in text.split_whitespace().take(MAX_WORDS) {
        n += 1;
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        match w {
            "you" | "your" | "You" | "Your" | "YOU" | "YOUR" => you += 1,
            "we" | "our" | "us" | "We" | "Our" | "WE" | "OUR" => we += 1,
            _ => dates += u32::from(is_year(w) || is_month(w)),
        }
    }
    (you, we, dates, n)
}

fn is_year(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 4
        && (b.starts_with(b"19") || b.starts_with(b"20"))
        && b.iter().all(u8::is_ascii_digit)
}

fn is_month(w: &str) -> bool {
    (3..=9).contains(&w.len()) && MONTHS.iter().any(|m| m.eq_ignore_ascii_case(w))
}

/// Over the first [`DIGIT_BYTES`] bytes: ASCII digits, visible (non-space) bytes, and prices
/// (a currency sign, `$`, `£`, `¥` or `€`, right before a digit). Bytes, not characters: the
/// signs are told by their last UTF-8 byte and the one before it.
fn digit_counts(text: &str) -> (u32, u32, u32) {
    let (mut digits, mut visible, mut prices) = (0u32, 0u32, 0u32);
    let (mut before, mut last) = (0u8, 0u8);
    for &c in text.as_bytes().iter().take(DIGIT_BYTES) {
        if !c.is_ascii_whitespace() {
            visible += 1;
            let digit = c.is_ascii_digit();
            digits += u32::from(digit);
            let sign = last == b'$'
                || (before == 0xC2 && (last == 0xA3 || last == 0xA5))
                || (before == 0x82 && last == 0xAC);
            prices += u32::from(digit && sign);
        }
        (before, last) = (last, c);
    }
    (digits, visible, prices)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(body: &str) -> Vec<f32> {
        let mut v = Vec::new();
        push(body, &mut v);
        assert_eq!(v.len(), NAMES.len());
        v
    }

    #[test]
    fn prose_and_a_landing_page_differ() {
        let news = "The council voted on 12 March 2024 to close the old bridge over the river, \
                    officials said on Tuesday.\n\nRepairs will take until June at the earliest, \
                    according to the engineers the city hired to inspect it.";
        let landing = "Our services\nWe build apps for you\nPricing\nStarter $19 per month\n\
                       Pro €49 per month\nWhy choose us?\nGet started £ 5";
        let n = features(news);
        let l = features(landing);
        let at = |name: &str| NAMES.iter().position(|x| *x == name).unwrap();
        assert_eq!(n[at("sentence_line_share")], 1.0);
        assert!(l[at("sentence_line_share")] < 0.2);
        assert!(l[at("short_line_share")] > n[at("short_line_share")]);
        assert!(l[at("we_share")] > 0.1 && n[at("we_share")] == 0.0);
        assert!(l[at("you_share")] > 0.0);
        assert_eq!(l[at("prices")], 2f32.ln_1p());
        assert_eq!(n[at("date_words")], 3f32.ln_1p());
        assert!(l[at("question_line_share")] > 0.1);
    }

    #[test]
    fn empty_and_odd_text_give_zeros_not_panics() {
        assert!(features("").iter().all(|&x| x == 0.0));
        let multibyte = "é".repeat(MAX_BYTES);
        assert!(features(&multibyte).iter().all(|x| x.is_finite()));
    }
}
