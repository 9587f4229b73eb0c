//! Outputs appear whole or not at all: a file is written as `<out>.partial` beside its final
//! name, renamed over it on success, and removed if the export fails or panics.

use std::path::{Path, PathBuf};

use super::ExportError;

/// A file being written under a temporary name.
#[derive(Debug)]
pub struct Partial {
    tmp: PathBuf,
    out: PathBuf,
    done: bool,
}

impl Partial {
    /// Start `out`: the writer gets [`Partial::path`]; a stale `.partial` file is replaced.
    pub fn new(out: &Path) -> Partial {
        let mut tmp = out.as_os_str().to_owned();
        tmp.push(".partial");
        Partial {
            tmp: PathBuf::from(tmp),
            out: out.to_path_buf(),
            done: false,
        }
    }

    /// Where to write now.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Give the file its final name.
    pub fn commit(mut self) -> Result<(), ExportError> {
        std::fs::rename(&self.tmp, &self.out).map_err(|source| ExportError::Io {
            path: self.out.clone(),
            source,
        })?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appears_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a.jsonl");
        let p = Partial::new(&out);
        std::fs::write(p.path(), "x").unwrap();
        assert!(!out.exists());
        p.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "x");
        let p = Partial::new(&out);
        std::fs::write(p.path(), "half").unwrap();
        let tmp = p.path().to_path_buf();
        drop(p);
        assert!(!tmp.exists());
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "x");
    }
}
