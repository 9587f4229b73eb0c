//! CDXJ index lines: parsing (pywb's format, numbers as strings or numbers) and the
//! write → read round trip of every entry that parses; SURT keys of arbitrary URLs.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use newsarc::archive::cdxj::{CdxjEntry, surt};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let dir = Path::new("/fuzz");
    for line in text.lines() {
        let _ = surt(line);
        if let Ok(entry) = CdxjEntry::parse_line(line, dir) {
            let written = entry.to_line();
            let back = CdxjEntry::parse_line(&written, dir);
            assert_eq!(back.as_ref(), Ok(&entry), "{line:?} → {written:?}");
        }
    }
});
