//! The two ways writers digest a chunked HTTP payload, and the check that accepts either.
//!
//! WARC 1.1 §6.3.2 defines the payload of an HTTP response as the entity body "with any
//! transfer-encoding removed" (newsarc's writer, Heritrix). wget, warcprox and warcio digest the
//! body as transferred, still chunked (warcio#74), and FastWARC and `warcio check` verify it
//! that way. A record is a payload-digest mismatch only when neither reading matches.

use std::fmt;

use super::digest::{digest_matches_hash, format_sha1, sha1_pair};
use super::http;
use sha1::{Digest, Sha1};

/// Which bytes a record's `WARC-Payload-Digest` was found to cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PayloadConvention {
    /// The body carries no transfer coding: both conventions digest the same bytes.
    Plain,
    /// A chunked body digested with the chunk framing removed (WARC 1.1; newsarc, Heritrix).
    Dechunked,
    /// A chunked body digested as transferred, chunk framing included (wget, warcprox, warcio).
    AsTransferred,
}

impl PayloadConvention {
    /// A short label for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            PayloadConvention::Plain => "not chunked",
            PayloadConvention::Dechunked => "de-chunked (WARC 1.1)",
            PayloadConvention::AsTransferred => "as transferred (wget/warcprox/warcio)",
        }
    }
}

impl fmt::Display for PayloadConvention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of checking one HTTP record's block and payload digests.
pub(crate) struct HttpDigests {
    /// The block's SHA-1.
    pub block_hash: [u8; 20],
    /// `Ok(convention)` when the payload claim matches one reading; `Err(computed)` (the
    /// WARC 1.1 digest, for the report) when none does.
    pub payload: Result<PayloadConvention, String>,
}

/// Hash `block` and check `claim` (a sha1 `WARC-Payload-Digest`) against the payload read both
/// ways. `None` when the block has no complete HTTP head.
pub(crate) fn check_http(block: &[u8], claim: &str) -> Option<HttpDigests> {
    let head_len = http::head_len(block)?;
    let transferred = &block[head_len..];
    let dechunked = http::is_chunked(&block[..head_len])
        .then(|| http::dechunk(transferred))
        .flatten();
    let (block_hash, transferred_hash) = sha1_pair(block, transferred);
    let matches = |hash: &[u8]| digest_matches_hash(claim, hash) == Some(true);
    let payload = match dechunked {
        None if matches(&transferred_hash) => Ok(PayloadConvention::Plain),
        None => Err(format_sha1(&transferred_hash)),
        Some(body) => {
            let body_hash: [u8; 20] = Sha1::digest(&body).into();
            if matches(&body_hash) {
                Ok(PayloadConvention::Dechunked)
            } else if matches(&transferred_hash) {
                Ok(PayloadConvention::AsTransferred)
            } else {
                Err(format_sha1(&body_hash))
            }
        }
    };
    Some(HttpDigests {
        block_hash,
        payload,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::sha1_digest;

    const CHUNKED: &[u8] =
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";

    /// The chunked body as transferred: everything after the head's empty line.
    fn body() -> &'static [u8] {
        let head = CHUNKED
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(0);
        &CHUNKED[head + 4..]
    }

    #[test]
    fn a_chunked_payload_matches_either_convention() {
        assert!(body().starts_with(b"5\r\nhello"));
        let dechunked = check_http(CHUNKED, &sha1_digest(b"hello world")).unwrap();
        assert_eq!(dechunked.payload, Ok(PayloadConvention::Dechunked));
        let transferred = check_http(CHUNKED, &sha1_digest(body())).unwrap();
        assert_eq!(transferred.payload, Ok(PayloadConvention::AsTransferred));
        let neither = check_http(CHUNKED, &sha1_digest(b"hello")).unwrap();
        assert_eq!(neither.payload, Err(sha1_digest(b"hello world")));
    }

    #[test]
    fn an_unchunked_payload_has_one_reading() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";
        let ok = check_http(block, &sha1_digest(b"hi")).unwrap();
        assert_eq!(ok.payload, Ok(PayloadConvention::Plain));
        assert_eq!(format_sha1(&ok.block_hash), sha1_digest(block));
        assert!(
            check_http(block, &sha1_digest(b"ho"))
                .unwrap()
                .payload
                .is_err()
        );
        assert!(check_http(b"not http at all", "sha1:AAAA").is_none());
    }

    #[test]
    fn malformed_chunking_is_digested_as_transferred() {
        let block = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nbroken";
        let raw = b"zz\r\nbroken";
        let r = check_http(block, &sha1_digest(raw)).unwrap();
        assert_eq!(r.payload, Ok(PayloadConvention::Plain));
    }
}
