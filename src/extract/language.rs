//! Language tags: normalise markup values (`en-US` → `en`, `pt_BR` → `pt-BR`) and detect the
//! language of a text with whatlang when the markup says nothing.

/// Normalise a BCP 47-ish tag from markup. Keeps the region only where it matters for text
/// (`pt-BR`, `zh-TW`, ...); `None` for values that are not language tags.
pub fn normalise(raw: &str) -> Option<String> {
    let raw = raw.trim().replace('_', "-");
    let mut parts = raw.split('-');
    let primary = parts.next()?.to_ascii_lowercase();
    if !(2..=3).contains(&primary.len()) || !primary.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let region = parts.next().map(str::to_ascii_uppercase);
    match (primary.as_str(), region) {
        ("pt", Some(r)) if r == "BR" => Some("pt-BR".into()),
        ("zh", Some(r)) if r == "TW" || r == "HK" || r == "HANT" => {
            Some(format!("zh-{}", if r == "HANT" { "TW".into() } else { r }))
        }
        _ => Some(primary),
    }
}

/// Detect the language of `text` (ISO 639-1 where one exists); `None` when unsure.
pub fn detect(text: &str) -> Option<String> {
    let sample: String = text.chars().take(3000).collect();
    let info = whatlang::detect(&sample)?;
    if info.confidence() < 0.5 {
        return None;
    }
    use whatlang::Lang::*;
    let code = match info.lang() {
        Eng => "en",
        Deu => "de",
        Fra => "fr",
        Spa => "es",
        Ita => "it",
        Por => "pt",
        Nld => "nl",
        Rus => "ru",
        Ukr => "uk",
        Pol => "pl",
        Ces => "cs",
        Slk => "sk",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Fin => "fi",
        Hun => "hu",
        Ron => "ro",
        Bul => "bg",
        Hrv => "hr",
        Srp => "sr",
        Slv => "sl",
        Ell => "el",
        Tur => "tr",
        Ara => "ar",
        Heb => "he",
        Pes => "fa",
        Hin => "hi",
        Ben => "bn",
        Urd => "ur",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Vie => "vi",
        Tha => "th",
        Ind => "id",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Cat => "ca",
        Epo => "eo",
        Bel => "be",
        Tgl => "tl",
        Afr => "af",
        other => return Some(other.code().to_string()),
    };
    Some(code.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_tags() {
        assert_eq!(normalise("en-US").as_deref(), Some("en"));
        assert_eq!(normalise("pt_BR").as_deref(), Some("pt-BR"));
        assert_eq!(normalise("DE").as_deref(), Some("de"));
        assert_eq!(normalise("{{lang}}"), None);
    }

    #[test]
    fn detects_german() {
        let t = "Die Bundesregierung hat am Mittwoch beschlossen, dass die neuen Regeln ab dem \
                 nächsten Jahr für alle Unternehmen gelten sollen, die mehr als fünfzig Mitarbeiter haben.";
        assert_eq!(detect(t).as_deref(), Some("de"));
    }
}
