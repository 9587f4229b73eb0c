//! HTTP content codings (gzip, x-gzip, deflate, br, zstd; lists like `gzip, br`) removed for
//! extraction, with an output cap so a compression bomb cannot exhaust memory. The archive
//! keeps the encoded bytes; the crawler, `get` and `reparse` all decode through this one
//! function, so they agree on what a page says. Depends on nothing else in the crate.

use std::io::Read;

/// The decoded-size cap used when nothing else is configured: 64 MiB, far above any real
/// article page, far below what a compression bomb would inflate to.
pub const DEFAULT_DECODE_CAP: u64 = 64 << 20;

/// Why a body could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The decoded body would exceed the cap.
    #[error("decoded body exceeds {cap} bytes (compression bomb?)")]
    TooLarge {
        /// The cap.
        cap: u64,
    },
    /// The encoded data is corrupt.
    #[error("corrupt {encoding} body: {source}")]
    Corrupt {
        /// The Content-Encoding.
        encoding: String,
        /// The decoder's error.
        #[source]
        source: std::io::Error,
    },
    /// An encoding we do not know.
    #[error("unsupported Content-Encoding {0:?}")]
    Unsupported(String),
}

/// Remove `content_encoding` (a header value, possibly a list like `gzip, br`) from `body`,
/// producing at most `cap` bytes.
pub fn decode_body(
    content_encoding: Option<&str>,
    body: &[u8],
    cap: u64,
) -> Result<Vec<u8>, DecodeError> {
    let Some(ce) = content_encoding else {
        return Ok(body.to_vec());
    };
    let mut data = body.to_vec();
    // Codings are listed in the order applied: undo them from the last.
    for enc in ce.split(',').map(|s| s.trim().to_ascii_lowercase()).rev() {
        data = match enc.as_str() {
            "" | "identity" | "none" => data,
            "gzip" | "x-gzip" => {
                read_capped(flate2::read::MultiGzDecoder::new(&data[..]), cap, &enc)?
            }
            "deflate" => {
                // Servers send zlib-wrapped or raw deflate; try zlib first.
                match read_capped(flate2::read::ZlibDecoder::new(&data[..]), cap, &enc) {
                    Ok(v) => v,
                    Err(DecodeError::TooLarge { cap }) => {
                        return Err(DecodeError::TooLarge { cap });
                    }
                    Err(_) => read_capped(flate2::read::DeflateDecoder::new(&data[..]), cap, &enc)?,
                }
            }
            "br" => read_capped(
                brotli_decompressor::Decompressor::new(&data[..], 4096),
                cap,
                &enc,
            )?,
            "zstd" => {
                let d = zstd::stream::read::Decoder::new(&data[..]).map_err(|e| {
                    DecodeError::Corrupt {
                        encoding: enc.clone(),
                        source: e,
                    }
                })?;
                read_capped(d, cap, &enc)?
            }
            other => return Err(DecodeError::Unsupported(other.to_string())),
        };
    }
    Ok(data)
}

fn read_capped(r: impl Read, cap: u64, enc: &str) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::new();
    r.take(cap.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| DecodeError::Corrupt {
            encoding: enc.to_string(),
            source: e,
        })?;
    if out.len() as u64 > cap {
        return Err(DecodeError::TooLarge { cap });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn gzip_roundtrip_and_identity() {
        assert_eq!(
            decode_body(Some("gzip"), &gz(b"hello"), 100).unwrap(),
            b"hello"
        );
        assert_eq!(decode_body(None, b"x", 100).unwrap(), b"x");
        assert_eq!(decode_body(Some("identity"), b"x", 100).unwrap(), b"x");
    }

    #[test]
    fn bomb_is_capped() {
        let bomb = gz(&vec![0u8; 5_000_000]);
        assert!(bomb.len() < 20_000);
        assert!(matches!(
            decode_body(Some("gzip"), &bomb, 1_000_000),
            Err(DecodeError::TooLarge { .. })
        ));
    }

    #[test]
    fn corrupt_and_unknown() {
        assert!(matches!(
            decode_body(Some("gzip"), b"not gzip at all", 100),
            Err(DecodeError::Corrupt { .. })
        ));
        assert!(matches!(
            decode_body(Some("compress"), b"x", 100),
            Err(DecodeError::Unsupported(_))
        ));
    }

    #[test]
    fn deflate_zlib_and_raw() {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"abc").unwrap();
        assert_eq!(
            decode_body(Some("deflate"), &z.finish().unwrap(), 10).unwrap(),
            b"abc"
        );
        let mut r = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        r.write_all(b"abc").unwrap();
        assert_eq!(
            decode_body(Some("deflate"), &r.finish().unwrap(), 10).unwrap(),
            b"abc"
        );
    }
}
