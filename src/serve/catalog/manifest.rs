//! Where the serve index lives and when it is stale: a fingerprint of every archive file and
//! its CDXJ index (name, size, modification time). Any change means a rebuild.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::archive::cdxj::cdxj_path;
use crate::serve::ServeError;

/// Bumped whenever the catalogue's tables or the full-text schema change.
pub const FORMAT: &str = "newsarc-serve-index 2";

/// The index folder for the archive arguments `args`: `<first folder>/.newsarc-serve/<hash>`,
/// where the hash names the set of arguments (so serving `a/` and `a/ b/` keep two indexes).
pub fn default_dir(args: &[PathBuf]) -> PathBuf {
    let first = args.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    let base = if first.is_dir() {
        first
    } else {
        first
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    };
    let mut h = Sha256::new();
    for a in args {
        let abs = std::fs::canonicalize(a).unwrap_or_else(|_| a.clone());
        h.update(abs.as_os_str().as_encoded_bytes());
        h.update([0]);
    }
    let hex: String = h.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    base.join(".newsarc-serve").join(hex)
}

/// The fingerprint text of `files`: one line per archive file and one per index file.
pub fn fingerprint(files: &[PathBuf]) -> Result<String, ServeError> {
    let mut out = format!("{FORMAT}\n");
    for f in files {
        out.push_str(&stat_line(f)?);
        let idx = cdxj_path(f);
        if idx.exists() {
            out.push_str(&stat_line(&idx)?);
        }
    }
    Ok(out)
}

fn stat_line(p: &Path) -> Result<String, ServeError> {
    let meta = std::fs::metadata(p).map_err(|e| ServeError::io(p, e))?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let abs = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    Ok(format!("{}\t{}\t{}\n", abs.display(), meta.len(), mtime))
}

/// True when `dir` holds a complete index built from exactly this fingerprint.
pub fn is_current(dir: &Path, fingerprint: &str) -> bool {
    std::fs::read_to_string(dir.join("manifest.txt")).is_ok_and(|m| m == fingerprint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_changes_when_an_index_changes() {
        let dir = tempfile::tempdir().unwrap();
        let warc = dir.path().join("a.warc.zst");
        std::fs::write(&warc, b"x").unwrap();
        let files = vec![warc.clone()];
        let one = fingerprint(&files).unwrap();
        assert_eq!(one, fingerprint(&files).unwrap());
        std::fs::write(dir.path().join("a.cdxj"), b"line\n").unwrap();
        let two = fingerprint(&files).unwrap();
        assert_ne!(one, two);
        let idx = dir.path().join(".newsarc-serve/x");
        std::fs::create_dir_all(&idx).unwrap();
        assert!(!is_current(&idx, &two));
        std::fs::write(idx.join("manifest.txt"), &two).unwrap();
        assert!(is_current(&idx, &two));
        assert!(!is_current(&idx, &one));
    }

    #[test]
    fn default_dir_sits_in_the_first_folder() {
        let dir = tempfile::tempdir().unwrap();
        let d = default_dir(&[dir.path().to_path_buf()]);
        assert!(d.starts_with(dir.path().join(".newsarc-serve")), "{d:?}");
        let other = default_dir(&[dir.path().to_path_buf(), PathBuf::from("/tmp")]);
        assert_ne!(d, other);
    }
}
