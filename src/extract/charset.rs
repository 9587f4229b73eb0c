//! Charset decoding: byte-order mark, HTTP `Content-Type`, `<meta charset>` / `http-equiv`,
//! then detection with chardetng. Never panics; invalid bytes become U+FFFD.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// A page decoded to text, with the encoding used and anything worth a warning.
#[derive(Debug, Clone)]
pub struct Decoded<'a> {
    /// The page text: the body itself when it is valid UTF-8 read as UTF-8 (no copy).
    pub text: Cow<'a, str>,
    /// The encoding that was applied.
    pub encoding: &'static Encoding,
    /// Problems noticed (wrong declared charset, replacement characters, ...).
    pub warnings: Vec<String>,
}

/// The `charset=` parameter of a `Content-Type` value, if any.
pub fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if k.trim().eq_ignore_ascii_case("charset") {
            Some(v.trim().trim_matches(|c| c == '"' || c == '\''))
        } else {
            None
        }
    })
}

/// The charset declared by a `<meta>` tag in the first 4 KiB of `body`, if any.
pub fn meta_charset(body: &[u8]) -> Option<String> {
    let head = &body[..body.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut pos = 0;
    while let Some(i) = memchr::memmem::find(&lower[pos..], b"<meta") {
        let start = pos + i;
        let end = memchr::memchr(b'>', &lower[start..]).map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = memchr::memmem::find(tag, b"charset") {
            let mut rest = &tag[c + 7..];
            while let Some((&b, r)) = rest.split_first() {
                if b == b' ' || b == b'=' || b == b'"' || b == b'\'' {
                    rest = r;
                } else {
                    break;
                }
            }
            let label: Vec<u8> = rest
                .iter()
                .copied()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
                .collect();
            if !label.is_empty() {
                return Some(String::from_utf8_lossy(&label).into_owned());
            }
        }
        pos = end;
    }
    None
}

fn label_encoding(label: &str) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(label.trim().as_bytes())?;
    // A page cannot really be UTF-16 if its <meta> was readable as ASCII (HTML standard).
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        return Some(UTF_8);
    }
    if enc == encoding_rs::X_USER_DEFINED {
        return Some(WINDOWS_1252);
    }
    Some(enc)
}

/// Decode `body` to text.
pub fn decode<'a>(body: &'a [u8], content_type: Option<&str>) -> Decoded<'a> {
    let mut warnings = Vec::new();
    if let Some((enc, bom_len)) = Encoding::for_bom(body) {
        let (text, had_errors) = enc.decode_without_bom_handling(&body[bom_len..]);
        if had_errors {
            warnings.push(format!("invalid {} bytes replaced", enc.name()));
        }
        return Decoded {
            text,
            encoding: enc,
            warnings,
        };
    }
    // Validated once: most pages are UTF-8, and then the text is the body itself.
    let utf8 = std::str::from_utf8(body).ok();
    let is_real_utf8 = utf8.is_some() && !body.is_ascii();
    let mut declared = None;
    if let Some(label) = content_type.and_then(charset_param) {
        match label_encoding(label) {
            Some(enc) => declared = Some((enc, "content-type")),
            None => warnings.push(format!("unknown charset {label:?} in Content-Type ignored")),
        }
    }
    if declared.is_none()
        && let Some(label) = meta_charset(body)
    {
        match label_encoding(&label) {
            Some(enc) => declared = Some((enc, "meta")),
            None => warnings.push(format!("unknown charset {label:?} in <meta> ignored")),
        }
    }
    let enc = match declared {
        Some((enc, _)) if enc == UTF_8 => {
            if utf8.is_some() {
                UTF_8
            } else {
                let guess = detect(body);
                if guess != UTF_8 {
                    warnings.push(format!(
                        "declared UTF-8 but bytes are not; decoded as {}",
                        guess.name()
                    ));
                }
                guess
            }
        }
        Some((enc, from)) => {
            // A single-byte declaration over valid multi-byte UTF-8 is almost always wrong;
            // multi-byte legacy declarations (Shift_JIS, GBK, ...) are trusted unless they
            // cannot decode the bytes that UTF-8 decodes cleanly (a page re-saved as UTF-8
            // that kept its `charset=gb2312`).
            let undecodable = || {
                enc.decode_without_bom_handling_and_without_replacement(body)
                    .is_none()
            };
            if is_real_utf8 && (enc.is_single_byte() || undecodable()) {
                warnings.push(format!(
                    "{from} declares {} but bytes are UTF-8; decoded as UTF-8",
                    enc.name()
                ));
                UTF_8
            } else {
                enc
            }
        }
        None => {
            if utf8.is_some() {
                UTF_8
            } else {
                detect(body)
            }
        }
    };
    let text = match utf8 {
        Some(t) if enc == UTF_8 => Cow::Borrowed(t),
        _ => {
            let (text, had_errors) = enc.decode_without_bom_handling(body);
            if had_errors {
                warnings.push(format!("invalid {} bytes replaced", enc.name()));
            }
            text
        }
    };
    Decoded {
        text,
        encoding: enc,
        warnings,
    }
}

fn detect(body: &[u8]) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(body, true);
    det.guess(None, chardetng::Utf8Detection::Allow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_param_is_parsed() {
        assert_eq!(
            charset_param("text/html; charset=\"Shift_JIS\""),
            Some("Shift_JIS")
        );
        assert_eq!(charset_param("text/html"), None);
    }

    #[test]
    fn meta_charset_both_forms() {
        assert_eq!(
            meta_charset(b"<html><head><META CHARSET=iso-8859-1>").as_deref(),
            Some("iso-8859-1")
        );
        let h = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">";
        assert_eq!(meta_charset(h).as_deref(), Some("windows-1251"));
    }

    #[test]
    fn bom_wins() {
        let d = decode(b"\xEF\xBB\xBFh\xC3\xA9", Some("text/html; charset=latin1"));
        assert_eq!(d.text, "hé");
    }

    #[test]
    fn utf8_declared_latin1_is_read_as_utf8() {
        let d = decode("<meta charset=iso-8859-1><p>Grüße</p>".as_bytes(), None);
        assert!(d.text.contains("Grüße"));
        assert!(!d.warnings.is_empty());
    }

    /// Regression (readability/qq): a page re-saved as UTF-8 that still says gb2312.
    #[test]
    fn utf8_bytes_under_a_multibyte_declaration_that_cannot_read_them() {
        let body = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>DeepMind新电脑已可利用记忆自学</body></html>";
        let d = decode(body.as_bytes(), None);
        assert_eq!(d.encoding, UTF_8);
        assert!(d.text.contains("DeepMind新电脑已可利用记忆自学"));
        assert!(
            d.warnings.iter().any(|w| w.contains("GBK")),
            "{:?}",
            d.warnings
        );
        // Real GBK bytes under the same declaration stay GBK.
        let (gbk, _, _) =
            encoding_rs::GBK.encode("<meta charset=gb2312><p>新电脑已可利用记忆自学</p>");
        let d = decode(&gbk, None);
        assert_eq!(d.encoding, encoding_rs::GBK);
        assert!(d.text.contains("新电脑已可利用记忆自学"));
    }
}
