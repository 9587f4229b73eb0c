//! The Python interpreter with the independent readers the interop tests run (fastwarc,
//! warcio, pyarrow, duckdb): `NEWSARC_PYTHON` if set, else `<repo>/.venv/bin/python`, created
//! by `.ci/python-venv` when missing (a test never skips for want of Python).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The Python to run the readers with.
pub fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("NEWSARC_PYTHON") {
        return PathBuf::from(p);
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let py = repo.join(".venv/bin/python");
    if !py.exists() {
        let st = Command::new("bash")
            .arg(repo.join(".ci/python-venv"))
            .status()
            .expect("run .ci/python-venv");
        assert!(st.success(), ".ci/python-venv failed");
    }
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
