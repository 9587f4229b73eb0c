//! WARC/1.1 records, per-record zstd framing, the rotating writer, the lenient reader, the CDXJ
//! index and verify/repair.
