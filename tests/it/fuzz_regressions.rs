//! Inputs found by the fuzz targets in `fuzz/` (see `fuzz/README.md`), each minimised and kept
//! here so that stable `cargo test` keeps the fix: no panic, no hang, a sensible result or an
//! error that names where the input went wrong. Also checks that the committed WARC seeds
//! still read cleanly, so the fuzzer starts from valid files.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use newsarc::archive::{ArchiveReader, Format};

fn seeds(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn warc_seeds_read_cleanly_from_memory() {
    for (path, bytes) in seeds("warc_read") {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut reader = ArchiveReader::from_reader(&path, Cursor::new(bytes))
            .lenient(true)
            .verify_digests(true);
        let items: Vec<_> = reader.by_ref().collect();
        let errors: Vec<String> = items
            .iter()
            .filter_map(|r| r.as_ref().err().map(|e| e.to_string()))
            .collect();
        let good = items.len() - errors.len();
        let expected_format = if name.ends_with(".zst") {
            Format::Zstd
        } else if name.ends_with(".gz") {
            Format::Gzip
        } else {
            Format::Plain
        };
        assert_eq!(reader.format(), Some(expected_format), "{name}");
        if name.starts_with("garbage") {
            // Garbage after the first record, a cut last record: both reported, the rest read.
            assert_eq!((good, errors.len()), (7, 2), "{name}: {errors:?}");
        } else {
            assert_eq!((good, errors.len()), (8, 0), "{name}: {errors:?}");
        }
    }
}
