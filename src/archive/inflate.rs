//! Bounded decompression of zstd frames and dictionaries.
//!
//! Every frame the readers decode without a trusted content size goes through here, so a
//! hostile header or a compression bomb ends in a clear error at the caller's cap instead of
//! an allocation of gigabytes or a silently truncated record.

use std::io::Read;

/// Largest zstd dictionary a file may carry (decompressed). zstd's own trainer makes
/// dictionaries of ~100 KiB; 16 MiB leaves room for any real one.
pub const MAX_DICTIONARY: u64 = 16 * 1024 * 1024;

/// Decompress one zstd frame (optionally with a dictionary), refusing output past `cap` bytes.
pub fn zstd_capped(data: &[u8], dict: Option<&[u8]>, cap: u64) -> Result<Vec<u8>, String> {
    let dec = zstd::stream::read::Decoder::with_dictionary(data, dict.unwrap_or_default())
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    dec.take(cap.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| e.to_string())?;
    if out.len() as u64 > cap {
        return Err(format!(
            "frame decompresses to more than the {cap}-byte cap"
        ));
    }
    Ok(out)
}

/// The dictionary carried by a dictionary skippable frame's data: raw, or itself a zstd frame
/// (decompressed up to `cap` bytes).
pub fn dictionary_capped(data: &[u8], cap: u64) -> Result<Vec<u8>, String> {
    if data.len() as u64 > cap {
        return Err(format!(
            "dictionary of {} bytes over the {cap}-byte cap",
            data.len()
        ));
    }
    if data.starts_with(&super::frame::ZSTD_MAGIC) {
        zstd_capped(data, None, cap).map_err(|e| format!("compressed dictionary: {e}"))
    } else {
        Ok(data.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bomb(n: usize) -> Vec<u8> {
        zstd::stream::encode_all(&vec![0u8; n][..], 19).unwrap()
    }

    #[test]
    fn a_frame_within_the_cap_decodes() {
        assert_eq!(zstd_capped(&bomb(1000), None, 1000).unwrap().len(), 1000);
    }

    #[test]
    fn a_bomb_past_the_cap_is_an_error_not_an_allocation() {
        let data = bomb(1 << 20);
        assert!(data.len() < 1024, "a real bomb: {} bytes", data.len());
        let err = zstd_capped(&data, None, 4096).unwrap_err();
        assert!(err.contains("4096-byte cap"), "{err}");
    }

    #[test]
    fn compressed_dictionaries_are_capped() {
        let err = dictionary_capped(&bomb(1 << 20), 64 * 1024).unwrap_err();
        assert!(err.contains("compressed dictionary"), "{err}");
        assert_eq!(dictionary_capped(&bomb(100), 1024).unwrap(), vec![0u8; 100]);
        assert!(dictionary_capped(&[7u8; 2000], 1024).is_err());
        assert_eq!(dictionary_capped(b"raw", 1024).unwrap(), b"raw");
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(zstd_capped(b"\x28\xb5\x2f\xfdnot a frame", None, 100).is_err());
    }
}
