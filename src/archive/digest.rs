//! `sha1:BASE32` digests as Heritrix, wget and Common Crawl write them.

use sha1::{Digest, Sha1};

/// `sha1:` + RFC 4648 Base32 of the SHA-1 of `bytes`.
pub fn sha1_digest(bytes: &[u8]) -> String {
    let hash = Sha1::digest(bytes);
    format!("sha1:{}", data_encoding::BASE32.encode(&hash))
}

/// Does `recorded` (a `WARC-*-Digest` value) match `bytes`? `None` when the algorithm is not
/// one we check (only sha1 is; others are reported as unchecked). Accepts Base32 or hex
/// encodings and any case of the algorithm label.
pub fn digest_matches(recorded: &str, bytes: &[u8]) -> Option<bool> {
    let (algo, value) = recorded.trim().split_once(':')?;
    if !algo.eq_ignore_ascii_case("sha1") && !algo.eq_ignore_ascii_case("sha-1") {
        return None;
    }
    let hash = Sha1::digest(bytes);
    let value = value.trim();
    let ok = if value.len() == 40 {
        data_encoding::HEXLOWER_PERMISSIVE
            .decode(value.as_bytes())
            .map(|v| v.as_slice() == hash.as_slice())
            .unwrap_or(false)
    } else {
        data_encoding::BASE32
            .decode(value.to_ascii_uppercase().as_bytes())
            .map(|v| v.as_slice() == hash.as_slice())
            .unwrap_or(false)
    };
    Some(ok)
}

/// The Base32 part of a `sha1:XXXX` digest (what CDXJ stores).
pub fn digest_value(d: &str) -> &str {
    d.split_once(':').map(|(_, v)| v).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digest() {
        // sha1("") = da39a3ee5e6b4b0d3255bfef95601890afd80709
        assert_eq!(sha1_digest(b""), "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
        assert_eq!(
            digest_matches("sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ", b""),
            Some(true)
        );
        assert_eq!(
            digest_matches("SHA1:da39a3ee5e6b4b0d3255bfef95601890afd80709", b""),
            Some(true)
        );
        assert_eq!(digest_matches("sha1:AAAA", b""), Some(false));
        assert_eq!(digest_matches("md5:xyz", b""), None);
    }
}
