//! The archive reader over arbitrary bytes: format sniffing (zstd / gzip / plain WARC), strict
//! and lenient reading with digest checks, the HTTP message of every record and its CDXJ line
//! (which must parse back to the same entry).
#![no_main]

use std::io::Cursor;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use newsarc::archive::ArchiveReader;
use newsarc::archive::cdxj::CdxjEntry;

fuzz_target!(|data: &[u8]| {
    let name = Path::new("/fuzz/input.warc.zst");
    // Strict: stops at the first error.
    for item in ArchiveReader::from_reader(name, Cursor::new(data.to_vec())) {
        if item.is_err() {
            break;
        }
    }
    // Lenient, with every digest checked: resynchronises after damage.
    let reader = ArchiveReader::from_reader(name, Cursor::new(data.to_vec()))
        .lenient(true)
        .verify_digests(true);
    for item in reader {
        let Ok(r) = item else { continue };
        if r.record.is_http()
            && let Ok(m) = r.record.http()
        {
            let _ = m.mime();
            let _ = m.decoded_body();
        }
        if let Some(entry) = CdxjEntry::from_record(&r, name) {
            let line = entry.to_line();
            let back = CdxjEntry::parse_line(&line, Path::new("/fuzz"));
            assert_eq!(
                back.as_ref(),
                Ok(&entry),
                "index line does not read back: {line}"
            );
        }
    }
});
