//! Author names: split "A and B" / "A, B & C", strip "By" / "Von" / "Par", roles, "| Reuters",
//! e-mail addresses and URLs, drop duplicates.

use std::sync::LazyLock;

use regex::Regex;

use super::literal_regex::literal;

// Static patterns: immutable, compiled once; covered by the tests below.
static EMAIL: LazyLock<Regex> = LazyLock::new(|| literal(r"\S+@\S+\.\w+"));
static URL: LazyLock<Regex> = LazyLock::new(|| literal(r"(?i)\b(?:https?://|www\.)\S+"));
static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    literal(
        r"(?i)^\s*(?:(?:written|posted|published|reported|text|story|words|interview|photos?|fotos?)\s+(?:and\s+\w+\s+)?by|by|von|vom|par|por|door|from|author|autor|autorin|auteur|autore|text|texto|verfasst\s+von|redaktion)\s*[:\-–]?\s+",
    )
});
static SPLIT: LazyLock<Regex> = LazyLock::new(|| {
    literal(r"\s*(?:,|;|&|\||/|\s[-–·•]\s|\s(?:and|AND|und|et|y|e|en|with|mit|on behalf of)\s)\s*")
});

/// Words that make a fragment a role or a credit line rather than a name.
const ROLE_WORDS: &[&str] = &[
    "writer",
    "editor",
    "editors",
    "correspondent",
    "reporter",
    "staff",
    "contributor",
    "columnist",
    "photographer",
    "redakteur",
    "redakteurin",
    "korrespondent",
    "journalist",
    "journalistin",
    "reuters",
    "associated press",
    "afp",
    "dpa",
    "updated",
    "published",
    "senior",
    "chief",
    "team",
    "desk",
    "news service",
    "agency",
    "rédaction",
    "redaction",
    "press",
    "bureau",
    "contributing",
    "special to",
    "opinion",
    "analysis",
    "minutes",
    "min read",
    "read",
    "comments",
    "share",
    "follow",
    "twitter",
    "facebook",
    "email",
    "posted",
];

/// Words that may accompany role words ("Staff Writer for the Times").
const FILLER: &[&str] = &[
    "the", "a", "of", "for", "our", "at", "in", "and", "und", "der", "die", "das", "de", "du",
    "la", "le", "news", "by", "von",
];

/// True when `fragment` is only a role or credit ("Staff Writer", "Reuters"), not a name.
fn is_role(fragment: &str) -> bool {
    let f = fragment.to_lowercase();
    let words: Vec<&str> = f
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return true;
    }
    let multi = ROLE_WORDS
        .iter()
        .filter(|w| w.contains(' '))
        .any(|w| f.contains(w));
    multi
        || words
            .iter()
            .all(|w| ROLE_WORDS.contains(w) || FILLER.contains(w))
}

/// Lower-case words allowed inside a name.
const PARTICLES: &[&str] = &[
    "von", "van", "de", "der", "den", "da", "di", "del", "della", "la", "le", "du", "des", "bin",
    "al", "el", "ter", "ten", "zu", "y", "dos", "do", "das", "e", "mit", "und", "and",
];

/// Words that are labels, not names.
const NOT_NAMES: &[&str] = &[
    "admin",
    "administrator",
    "autor",
    "author",
    "beitrag",
    "beiträge",
    "alle beiträge",
    "no author",
    "redaktion",
    "unknown",
    "anonymous",
    "gast",
    "guest",
    "team",
    "editor",
    "staff",
    "user",
    "posts",
    "all posts",
    "view all posts",
    "by",
    "von",
    "written by",
    "more",
    "mehr",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "montag",
    "dienstag",
    "mittwoch",
    "donnerstag",
    "freitag",
    "samstag",
    "sonntag",
];

/// How much to trust a raw author string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// An explicit author field (selector, JSON-LD, meta): any name-like value is kept.
    Declared,
    /// Text guessed from the page (bylines): must look like a person's name.
    Guessed,
}

/// A user name such as "freeman1984": one token, letters then digits.
fn username(s: &str) -> bool {
    !s.contains(char::is_whitespace)
        && s.chars().next().is_some_and(char::is_alphabetic)
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// Account placeholders that CMSs print where no author was set: never a credit, even when
/// declared in metadata.
const PLACEHOLDERS: &[&str] = &[
    "admin",
    "administrator",
    "no author",
    "author",
    "unknown",
    "user",
    "guest",
    "webmaster",
    "null",
    "none",
    "undefined",
    "n/a",
];

/// True when `name` is a user name or slug rather than a display name ("edilson.la.rosa",
/// "arianschlichenmayer", "sarah-indra"): one lower-case token.
pub fn is_handle(name: &str) -> bool {
    name.chars().count() >= 4
        && name.chars().any(char::is_alphabetic)
        && name
            .chars()
            .all(|c| c.is_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// True when `s` looks like a person (or organisation) name.
fn plausible(s: &str, trust: Trust) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    let basic = |max_words: usize| {
        (1..=max_words).contains(&words.len())
            && s.chars().count() <= 60
            && s.chars().any(char::is_alphabetic)
            && (!s.chars().any(|c| c.is_ascii_digit()) || username(s))
            && !s.contains(['@', '<', '>', '{', '}', '=', '#', '[', ']'])
    };
    if PLACEHOLDERS.contains(&s.to_lowercase().as_str()) {
        return false;
    }
    if trust == Trust::Declared {
        return basic(6);
    }
    if NOT_NAMES.contains(&s.to_lowercase().as_str()) {
        return false;
    }
    // Several words: each starts upper-case (or is a particle like "von").
    if words.len() > 1
        && !words
            .iter()
            .all(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()) || PARTICLES.contains(w))
    {
        return false;
    }
    basic(5)
}

/// "JANE DOE" → "Jane Doe" (names shouted by the page style); "AFP", "Jane Doe" unchanged.
fn uncap(name: &str) -> String {
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    if name.split_whitespace().count() < 2 || letters.iter().any(|c| c.is_lowercase()) {
        return name.to_string();
    }
    name.split_whitespace()
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "Eberhard Fuhr (Pressesprecher des EJW)" → "Eberhard Fuhr": a parenthesis that ends the
/// credit holds a role or an affiliation (an unclosed one runs to the end). One inside the name
/// ("Bruno (Henrique Zecchin) Rodrigues", "Richard (R.J.) Eskow") stays, and so does one with
/// nothing before it ("jane@example.com (Jane Doe)" once the address is gone), and a one-word
/// lower-case handle ("史蒂文的家_藍天 (stevenhgm)"; an agency such as "(dpa)" goes).
fn without_trailing_parenthesis(s: &str) -> &str {
    let t = s.trim_end();
    let open = if t.ends_with(')') {
        t.rfind('(')
    } else {
        t.rfind('(').filter(|&i| !t[i..].contains(')'))
    };
    // A one-word lower-case parenthesis is a user name ("(stevenhgm)"), unless it is an agency.
    let handle = |i: usize| {
        let inner = t[i + 1..].trim_end_matches(')');
        // (A user name has 4+ characters; "red.", "ots", "text", "fotos" are credits.)
        inner.chars().filter(|c| c.is_alphanumeric()).count() >= 4
            && inner.starts_with(|c: char| c.is_alphabetic() && c.is_lowercase())
            && inner
                .chars()
                .all(|c| c.is_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-'))
            && !AGENCIES.contains(&inner)
            && !is_role(inner)
    };
    match open {
        Some(i) if t[..i].chars().any(char::is_alphabetic) && !handle(i) => &t[..i],
        _ => s,
    }
}

/// Clean one raw author string into zero or more names.
pub fn split_names(raw: &str, trust: Trust) -> Vec<String> {
    let s = EMAIL.replace_all(raw, " ");
    let s = URL.replace_all(&s, " ");
    let s: String = without_trailing_parenthesis(&s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    // "Jane Doe | Reuters", "Jane Doe - Staff Writer": keep what is before the credit.
    let s = match s.split_once(" | ") {
        Some((a, _)) => a.to_string(),
        None => s,
    };
    let s = match s.split_once(" - ").or_else(|| s.split_once(" – ")) {
        Some((a, b)) if is_role(b) || b.split_whitespace().count() > 3 => a.to_string(),
        _ => s,
    };
    let mut s = s;
    while let Some(m) = PREFIX.find(&s) {
        s = s[m.end()..].to_string();
    }
    let mut out = Vec::new();
    for part in SPLIT.split(&s) {
        // A role after each name ("Jane Doe (Text), John Roe (Fotos)"); keep the closing
        // parenthesis of "Richard (R.J.) Eskow" or "name (handle)".
        let p = without_trailing_parenthesis(part.trim());
        let keep_paren = p.ends_with(')') && p.find('(').is_some_and(|i| i > 0);
        let mut p = p.trim_matches(|c: char| {
            !c.is_alphanumeric() && c != '.' && c != '\'' && !(keep_paren && c == ')')
        });
        while let Some(m) = PREFIX.find(p) {
            p = p[m.end()..].trim();
        }
        if p.is_empty() || is_role(p) || !plausible(p, trust) {
            continue;
        }
        out.push(uncap(p));
    }
    // A declared credit that is only a role ("Staff and news service reports") is the credit.
    if out.is_empty() && trust == Trust::Declared && !s.is_empty() && plausible(&s, trust) {
        out.push(uncap(s.trim()));
    }
    out
}

/// News agencies: kept as the author only when no person is named.
const AGENCIES: &[&str] = &[
    "reuters",
    "afp",
    "ap",
    "dpa",
    "apa",
    "associated press",
    "ansa",
    "efe",
    "jiji",
    "kyodo",
    "sda",
    "kna",
    "epd",
    "upi",
    "pa",
    "bloomberg",
    "the associated press",
    "agence france-presse",
];

/// Clean, split and de-duplicate bylines found in the page text ([`Trust::Guessed`]).
pub fn clean_authors<S: AsRef<str>>(raw: &[S]) -> Vec<String> {
    clean_authors_with(raw, Trust::Guessed)
}

/// Clean, split and de-duplicate raw author strings (in order).
pub fn clean_authors_with<S: AsRef<str>>(raw: &[S], trust: Trust) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in raw {
        for name in split_names(r.as_ref(), trust) {
            let low = name.to_lowercase();
            if !out.iter().any(|o| o.to_lowercase() == low) {
                out.push(name);
            }
        }
    }
    let is_agency = |n: &String| AGENCIES.contains(&n.to_lowercase().as_str());
    if out.iter().any(|n| !is_agency(n)) {
        out.retain(|n| !is_agency(n));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_strips() {
        assert_eq!(
            clean_authors(&["By Jane Doe and John Smith"]),
            ["Jane Doe", "John Smith"]
        );
        assert_eq!(
            clean_authors(&["A Lee, B Kim & C Park"]),
            ["A Lee", "B Kim", "C Park"]
        );
        assert_eq!(clean_authors(&["Von Anna Müller"]), ["Anna Müller"]);
        assert_eq!(clean_authors(&["Par Jean Dupont"]), ["Jean Dupont"]);
        assert_eq!(clean_authors(&["Jane Doe | Reuters"]), ["Jane Doe"]);
        assert_eq!(clean_authors(&["Jane Doe, Staff Writer"]), ["Jane Doe"]);
        assert_eq!(
            clean_authors(&["jane@example.com (Jane Doe)"]),
            ["Jane Doe"]
        );
        assert_eq!(
            clean_authors(&["https://example.com/author/jane"]),
            Vec::<String>::new()
        );
        assert_eq!(clean_authors(&["Jane Doe", "jane doe"]), ["Jane Doe"]);
        assert_eq!(
            clean_authors(&["Eberhard Fuhr (Pressesprecher des EJW)"]),
            ["Eberhard Fuhr"]
        );
        assert_eq!(clean_authors(&["Jane Doe (Text"]), ["Jane Doe"]);
        // A date and the name in one meta line; a middle dot inside a name stays.
        assert_eq!(
            clean_authors(&["Dec. 19, 2025 · Niko Matsakis on behalf of Vision Doc group"]),
            ["Niko Matsakis"]
        );
        assert_eq!(clean_authors(&["列奥纳多·达·芬奇"]), ["列奥纳多·达·芬奇"]);
        // Account placeholders are no credit, even when declared.
        assert!(clean_authors_with(&["admin", "No Author"], Trust::Declared).is_empty());
        assert!(is_handle("edilson.la.rosa") && is_handle("arianschlichenmayer"));
        assert!(!is_handle("Jane Doe") && !is_handle("AFP"));
        assert_eq!(clean_authors(&["Jane Doe (dpa)"]), ["Jane Doe"]);
        assert_eq!(
            clean_authors(&["Jane Doe (Text), John Roe (Fotos)"]),
            ["Jane Doe", "John Roe"]
        );
        assert_eq!(
            clean_authors(&["Jane Doe (dpa), John Roe"]),
            ["Jane Doe", "John Roe"]
        );
        assert_eq!(clean_authors(&["Jane Doe (2021)"]), ["Jane Doe"]);
        assert_eq!(clean_authors(&["Max Muster (red.)"]), ["Max Muster"]);
        assert_eq!(clean_authors(&["Max Muster (ots)"]), ["Max Muster"]);
        assert_eq!(
            clean_authors_with(&["史蒂文的家_藍天 (stevenhgm)"], Trust::Declared),
            ["史蒂文的家_藍天 (stevenhgm)"]
        );
        assert_eq!(
            clean_authors(&["Richard (R.J.) Eskow"]),
            ["Richard (R.J.) Eskow"]
        );
        assert_eq!(
            clean_authors(&["Homeland Security Today"]),
            ["Homeland Security Today"]
        );
    }
}
