//! HTTP messages inside WARC records: head detection, status / Content-Type, chunked transfer
//! coding, Content-Encoding removal (capped).
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsarc::archive::{Record, WarcHeaders, head_info, payload};

fuzz_target!(|data: &[u8]| {
    let _ = head_info(data);
    let _ = payload(data);
    let mut headers = WarcHeaders::new();
    headers.set("WARC-Type", "response");
    headers.set("WARC-Target-URI", "https://example.com/");
    headers.set("Content-Type", "application/http; msgtype=response");
    let record = Record::new(headers, data.to_vec());
    if let Ok(m) = record.http() {
        let _ = m.mime();
        let _ = m.header("content-type");
        let _ = m.decoded_body_capped(16 << 20);
    }
});
