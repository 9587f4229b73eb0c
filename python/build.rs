//! Embeds the repository's `selectors/*.toml` into the extension: `extract()` without a
//! `selectors=` folder uses the same site rules as `newsarc extract` run from the repository.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../selectors");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "toml"));
    files.sort();
    let mut code = String::from("/// The embedded selector configs: (file name, contents).\n");
    code.push_str("pub const EMBEDDED: &[(&str, &str)] = &[\n");
    for p in &files {
        println!("cargo:rerun-if-changed={}", p.display());
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Writing to a String cannot fail.
        let _ = writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            p.display().to_string()
        );
    }
    code.push_str("];\n");
    let out =
        Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("selectors.rs");
    if let Err(e) = std::fs::write(&out, code) {
        panic!("cannot write {}: {e}", out.display());
    }
}
