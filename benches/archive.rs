//! Archive throughput: write (sha1 digests + zstd + index), sequential read with digest
//! verification, import of a plain `.warc`, and output size per codec.
//! Input: the Readability dev-set pages wrapped as HTTP responses, repeated for volume.
//! Run: `cargo bench --bench archive` (set NEWSARC_BENCH_REPEAT / NEWSARC_BENCH_RUNS to change).

/// The `newsarc` CLI's allocator (see `src/main.rs`): measured as users run it.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use newsarc::archive::import::import_file;
use newsarc::archive::{ArchiveReader, ArchiveWriter, SeqIds, WriterConfig, build};

/// CPU time of this thread in seconds (`CLOCK_THREAD_CPUTIME_ID`, nanosecond resolution):
/// on a machine shared with other work this measures "one core" better than wall time.
fn cpu_secs() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return 0.0;
    }
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

/// Wall and CPU clocks started together.
struct Timer {
    wall: Instant,
    cpu: f64,
}

impl Timer {
    fn start() -> Timer {
        Timer {
            wall: Instant::now(),
            cpu: cpu_secs(),
        }
    }
    /// (MB/s by wall clock, MB/s per CPU second) for `bytes`.
    fn rate(&self, bytes: f64) -> (f64, f64) {
        let wall = self.wall.elapsed().as_secs_f64();
        let cpu = (cpu_secs() - self.cpu).max(1e-6);
        (bytes / 1e6 / wall, bytes / 1e6 / cpu)
    }
}

/// Medians of (wall, cpu) rates, printed as `cpu MB/s per core (wall MB/s)`.
fn show(v: &[(f64, f64)]) -> String {
    let w = median(v.iter().map(|x| x.0).collect());
    let c = median(v.iter().map(|x| x.1).collect());
    format!("{c:6.0} MB/s per CPU-second ({w:4.0} MB/s wall)")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn pages() -> Vec<(String, Vec<u8>)> {
    let root = std::env::var("NEWSARC_DEVSET")
        .unwrap_or_else(|_| "/work/shared/devset/readability".to_string());
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("devset readability folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    dirs.sort();
    dirs.iter()
        .filter_map(|d| {
            let body = std::fs::read(d.join("source.html")).ok()?;
            let name = d.file_name()?.to_string_lossy().into_owned();
            Some((name, body))
        })
        .collect()
}

fn http(body: &[u8]) -> Vec<u8> {
    let mut v = format!(
        "HTTP/1.1 200 OK\r\nDate: Fri, 03 May 2024 10:00:00 GMT\r\nServer: nginx\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: max-age=60\r\nVary: Accept-Encoding\r\n\r\n",
        body.len()
    )
    .into_bytes();
    v.extend_from_slice(body);
    v
}

fn main() {
    let repeat: usize = std::env::var("NEWSARC_BENCH_REPEAT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4);
    let runs: usize = std::env::var("NEWSARC_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let pages = pages();
    let t0: DateTime<Utc> = DateTime::parse_from_rfc3339("2024-05-03T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let inputs: Vec<(String, Vec<u8>)> = (0..repeat)
        .flat_map(|r| {
            pages
                .iter()
                .map(move |(n, b)| (format!("https://bench.example/{r}/{n}"), http(b)))
        })
        .collect();
    let tmp = tempfile::tempdir().expect("temp dir");
    println!(
        "archive bench: {} pages x {repeat} = {} responses, {runs} runs, medians",
        pages.len(),
        inputs.len()
    );

    // Write: build records (sha1 block + payload digests) + zstd level 3 + write + CDXJ.
    let mut write_mbs = Vec::new();
    let mut raw_bytes = 0u64;
    let mut file = PathBuf::new();
    let mut zst_size = 0u64;
    for run in 0..runs {
        let dir = tmp.path().join(format!("w{run}"));
        let inputs_run = inputs.clone(); // cloned outside the timed region
        let start = Timer::start();
        let mut ids = SeqIds::default();
        let mut w =
            ArchiveWriter::open_with_ids(WriterConfig::new(&dir), t0, Box::new(SeqIds::default()))
                .expect("open writer");
        let mut raw = 0u64;
        for (i, (url, bytes)) in inputs_run.into_iter().enumerate() {
            let rec = build::response(
                &url,
                t0 + Duration::seconds(i as i64),
                bytes,
                None,
                &mut ids,
            );
            raw += rec.serialized_len() as u64;
            w.write(&rec).expect("write");
        }
        let files = w.finish().expect("finish");
        raw_bytes = raw;
        write_mbs.push(start.rate(raw as f64));
        file = files[0].clone();
        zst_size = std::fs::metadata(&file).expect("size").len();
    }

    // Sequential read with block + payload digest verification.
    let mut read_mbs = Vec::new();
    let mut read_block_mbs = Vec::new();
    let mut read_plain_mbs = Vec::new();
    for _ in 0..runs {
        for (mode, out) in [
            (2, &mut read_mbs),
            (1, &mut read_block_mbs),
            (0, &mut read_plain_mbs),
        ] {
            let start = Timer::start();
            let mut n = 0u64;
            let reader = ArchiveReader::open(&file).expect("open");
            let reader = match mode {
                2 => reader.verify_digests(true),
                1 => reader.verify_block_digests(true),
                _ => reader,
            };
            for r in reader {
                let r = r.expect("record");
                n += r.record.serialized_len() as u64;
            }
            out.push(start.rate(n as f64));
        }
    }

    // Import of a plain .warc (read + digest check + re-frame + index).
    let plain_path = tmp.path().join("plain.warc");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&plain_path).expect("create"));
        for r in ArchiveReader::open(&file).expect("open") {
            f.write_all(&r.expect("record").record.to_bytes())
                .expect("write");
        }
    }
    let plain_size = std::fs::metadata(&plain_path).expect("size").len();
    let mut import_mbs = Vec::new();
    for run in 0..runs {
        let dir = tmp.path().join(format!("i{run}"));
        let start = Timer::start();
        let mut w = ArchiveWriter::open(WriterConfig::new(&dir), t0).expect("open");
        let rep = import_file(&plain_path, &mut w, |_| {}).expect("import");
        w.finish().expect("finish");
        assert!(rep.errors.is_empty());
        import_mbs.push(start.rate(plain_size as f64));
    }

    // Sizes: zstd-3 per record vs gzip -9 per record vs zstd-3 with a trained dictionary.
    let records: Vec<Vec<u8>> = ArchiveReader::open(&file)
        .expect("open")
        .skip(1)
        .take(pages.len())
        .map(|r| r.expect("record").record.to_bytes())
        .collect();
    let set_raw: usize = records.iter().map(Vec::len).sum();
    let z3: usize = records
        .iter()
        .map(|r| zstd::bulk::compress(r, 3).expect("zstd").len())
        .sum();
    let g9: usize = records
        .iter()
        .map(|r| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(9));
            e.write_all(r).expect("gzip");
            e.finish().expect("gzip").len()
        })
        .sum();
    // Train on half the pages, measure on the other half (no leakage).
    let (train, test) = records.split_at(records.len() / 2);
    let dict = zstd::dict::from_samples(train, 112_640).expect("train dictionary");
    let mut dc = zstd::bulk::Compressor::with_dictionary(3, &dict).expect("dict compressor");
    let test_raw: usize = test.iter().map(Vec::len).sum();
    let test_z3: usize = test
        .iter()
        .map(|r| zstd::bulk::compress(r, 3).expect("zstd").len())
        .sum();
    let test_dict: usize = test
        .iter()
        .map(|r| dc.compress(r).expect("zstd").len())
        .sum();

    // Where the time goes: the primitives alone over the same records.
    let all: Vec<Vec<u8>> = ArchiveReader::open(&file)
        .expect("open")
        .map(|r| r.expect("record").record.to_bytes())
        .collect();
    let total: usize = all.iter().map(Vec::len).sum();
    let mut sha_mbs = Vec::new();
    let mut zc_mbs = Vec::new();
    let mut zd_mbs = Vec::new();
    let mut comp = zstd::bulk::Compressor::new(3).expect("ctx");
    let mut dec = zstd::bulk::Decompressor::new().expect("ctx");
    for _ in 0..runs {
        let start = Timer::start();
        let mut x = 0usize;
        for r in &all {
            x += newsarc::archive::sha1_digest(r).len();
        }
        std::hint::black_box(x);
        sha_mbs.push(start.rate(total as f64));
        let start = Timer::start();
        let frames: Vec<Vec<u8>> = all
            .iter()
            .map(|r| comp.compress(r).expect("zstd"))
            .collect();
        zc_mbs.push(start.rate(total as f64));
        let start = Timer::start();
        for (f, r) in frames.iter().zip(&all) {
            std::hint::black_box(dec.decompress(f, r.len()).expect("zstd"));
        }
        zd_mbs.push(start.rate(total as f64));
    }
    println!(
        "primitives: sha1 {}\n            zstd-3 compress {}\n            zstd decompress {}",
        show(&sha_mbs),
        show(&zc_mbs),
        show(&zd_mbs)
    );

    println!(
        "raw WARC {:.1} MB -> .warc.zst {:.1} MB",
        raw_bytes as f64 / 1e6,
        zst_size as f64 / 1e6
    );
    println!(
        "write  (sha1 block+payload, zstd-3, index): {}",
        show(&write_mbs)
    );
    println!(
        "read   (zstd + parse + block+payload sha1): {}",
        show(&read_mbs)
    );
    println!(
        "read   (zstd + parse + block digest only) : {}",
        show(&read_block_mbs)
    );
    println!(
        "read   (zstd + parse, no digests)         : {}",
        show(&read_plain_mbs)
    );
    println!(
        "import (plain .warc -> .warc.zst)         : {}",
        show(&import_mbs)
    );
    println!(
        "size per record, {} pages, {:.1} MB raw: zstd-3 {:.1} MB ({:.1}%), gzip-9 {:.1} MB ({:.1}%)",
        records.len(),
        set_raw as f64 / 1e6,
        z3 as f64 / 1e6,
        100.0 * z3 as f64 / set_raw as f64,
        g9 as f64 / 1e6,
        100.0 * g9 as f64 / set_raw as f64
    );
    println!(
        "dictionary ({} KB, trained on {} pages, tested on the other {}): zstd-3 {:.2} MB -> {:.2} MB with dict ({:+.1}%; raw {:.1} MB)",
        dict.len() / 1024,
        train.len(),
        test.len(),
        test_z3 as f64 / 1e6,
        test_dict as f64 / 1e6,
        100.0 * (test_dict as f64 - test_z3 as f64) / test_z3 as f64,
        test_raw as f64 / 1e6
    );
}
