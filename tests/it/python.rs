//! The Python interpreter with the independent readers the interop tests run (fastwarc,
//! warcio, pyarrow, duckdb): `NEWSARC_PYTHON` if set, else `<repo>/.venv/bin/python`, created
//! by `.ci/python-venv` when missing (a test never skips for want of Python).
//!
//! Many tests, and several test binaries, may ask at once on a fresh clone: the venv is built
//! by one of them under an exclusive `flock` on `<repo>/.venv.lock`, and counts as there only
//! when the script's last step wrote `.venv/.newsarc-ready` (a `.venv/bin/python` alone may
//! still be half-installed).

use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The Python to run the readers with.
pub fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("NEWSARC_PYTHON") {
        return PathBuf::from(p);
    }
    static VENV: OnceLock<PathBuf> = OnceLock::new();
    VENV.get_or_init(|| ensure_venv(Path::new(env!("CARGO_MANIFEST_DIR"))))
        .clone()
}

/// `<repo>/.venv/bin/python`, after making sure the venv is complete (built at most once
/// across processes: the lock is held while `.ci/python-venv` runs).
fn ensure_venv(repo: &Path) -> PathBuf {
    let py = repo.join(".venv/bin/python");
    let ready = repo.join(".venv/.newsarc-ready");
    if ready.exists() {
        return py;
    }
    let lock = File::create(repo.join(".venv.lock")).expect("create .venv.lock");
    // SAFETY: flock on a descriptor we own; the lock is released when `lock` is dropped.
    let rc = unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX) };
    assert_eq!(
        rc,
        0,
        "flock .venv.lock: {}",
        std::io::Error::last_os_error()
    );
    if !ready.exists() {
        let st = Command::new("bash")
            .arg(repo.join(".ci/python-venv"))
            .status()
            .expect("run .ci/python-venv");
        assert!(
            st.success(),
            ".ci/python-venv failed (it needs python3 with venv and pip, and PyPI)"
        );
    }
    drop(lock);
    py
}

/// `warcio <args>` run through [`python`] (works whether or not the `warcio` script sits
/// beside the interpreter, e.g. with `NEWSARC_PYTHON=/usr/bin/python3`).
pub fn warcio() -> Command {
    let mut c = Command::new(python());
    c.args([
        "-c",
        "import sys; from warcio.cli import main; main(sys.argv[1:])",
    ]);
    c
}
