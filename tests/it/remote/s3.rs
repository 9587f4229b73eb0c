//! `s3://` inputs and outputs against moto's S3 server: credentials from the environment or
//! from an AWS profile, `--anonymous`, prefixes, uploads that appear only when complete.

use std::path::Path;
use std::process::Command;

use super::servers::{Fault, Server, fault_server, moto, moto_python};
use super::{ALL_KINDS, name, newsarc_env, parsed_archives, stderr};

const BUCKET: &str = "news";

/// The environment that points newsarc at moto with (fake) keys.
fn env(srv: &Server, home: &Path) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID", "testing".into()),
        ("AWS_SECRET_ACCESS_KEY", "testing".into()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_ENDPOINT_URL", srv.base()),
        ("HOME", home.display().to_string()),
    ]
}

/// Run a boto3 snippet against moto (`s3` is the client); returns stdout.
fn boto(srv: &Server, code: &str) -> Vec<u8> {
    let script = format!(
        "import boto3, sys\ns3 = boto3.client('s3', endpoint_url='{}', aws_access_key_id='testing', \
         aws_secret_access_key='testing', region_name='us-east-1')\n{code}",
        srv.base()
    );
    let out = Command::new(moto_python())
        .args(["-c", &script])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "boto3: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn put(srv: &Server, local: &Path, key: &str) {
    boto(
        srv,
        &format!(
            "s3.upload_file({:?}, '{BUCKET}', {key:?})",
            local.display().to_string()
        ),
    );
}

fn get(srv: &Server, key: &str) -> Vec<u8> {
    boto(
        srv,
        &format!(
            "sys.stdout.buffer.write(s3.get_object(Bucket='{BUCKET}', Key={key:?})['Body'].read())"
        ),
    )
}

fn keys(srv: &Server) -> Vec<String> {
    let out = boto(
        srv,
        &format!(
            "[print(o['Key']) for o in s3.list_objects_v2(Bucket='{BUCKET}').get('Contents', [])]"
        ),
    );
    String::from_utf8_lossy(&out)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn s3_prefixes_and_outputs_work_like_local_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let arch = tmp.path().join("a");
    std::fs::create_dir_all(&arch).unwrap();
    let files = parsed_archives(&arch, 3);
    let srv = moto(tmp.path());
    boto(&srv, &format!("s3.create_bucket(Bucket='{BUCKET}')"));
    for f in &files {
        put(&srv, f, &format!("crawl/{}", name(f)));
        let idx = newsarc::archive::cdxj::cdxj_path(f);
        put(&srv, &idx, &format!("crawl/{}", name(&idx)));
    }
    put(&srv, &files[0], "elsewhere/other.warc.zst");
    let e = env(&srv, &home);
    let prefix = format!("s3://{BUCKET}/crawl/");

    // ls of the prefix = ls of the folder (file headers aside).
    let body = |o: &std::process::Output| -> Vec<String> {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .filter(|l| !l.starts_with("# "))
            .map(str::to_string)
            .collect()
    };
    let ls_local = newsarc_env(&["ls", arch.to_str().unwrap()], &e);
    let ls_s3 = newsarc_env(&["ls", &prefix], &e);
    assert!(ls_s3.status.success(), "{}", stderr(&ls_s3));
    assert_eq!(body(&ls_s3), body(&ls_local));
    assert!(String::from_utf8_lossy(&ls_s3.stdout).contains(&format!("# {prefix}")));

    let v = newsarc_env(&["verify", &prefix], &e);
    assert!(v.status.success(), "{}", stderr(&v));
    assert!(stderr(&v).contains("3 files"));

    // get through the index beside the object.
    let page = "https://news.example/nytimes/sudan.html";
    let g = newsarc_env(&["get", &prefix, page], &e);
    let g_local = newsarc_env(&["get", arch.to_str().unwrap(), page], &e);
    assert!(g.status.success());
    assert_eq!(g.stdout, g_local.stdout);

    // export to an object = export to a local file; the card goes beside it.
    let local_out = tmp.path().join("local.jsonl");
    for (src, out) in [
        (
            arch.to_str().unwrap().to_string(),
            local_out.to_str().unwrap().to_string(),
        ),
        (prefix.clone(), format!("s3://{BUCKET}/out/articles.jsonl")),
    ] {
        let r = newsarc_env(
            &[
                "export", &src, "--quiet", "--kinds", ALL_KINDS, "--format", "jsonl", "--out", &out,
            ],
            &e,
        );
        assert!(r.status.success(), "{}", stderr(&r));
    }
    let local = std::fs::read(&local_out).unwrap();
    assert!(!local.is_empty());
    assert_eq!(get(&srv, "out/articles.jsonl"), local);
    assert!(String::from_utf8_lossy(&get(&srv, "out/articles.jsonl.schema.md")).contains("jsonl"));

    // reparse from the prefix into another prefix: archive + index objects.
    let r = newsarc_env(
        &[
            "reparse",
            &prefix,
            "--force",
            "--no-site-rules",
            "--quiet",
            "--out",
            &format!("s3://{BUCKET}/parsed/"),
        ],
        &e,
    );
    assert!(r.status.success(), "{}", stderr(&r));
    let ks = keys(&srv);
    let parsed: Vec<&String> = ks.iter().filter(|k| k.starts_with("parsed/")).collect();
    assert!(parsed.iter().any(|k| k.ends_with(".warc.zst")), "{ks:?}");
    assert!(parsed.iter().any(|k| k.ends_with(".cdxj")), "{ks:?}");

    // An input that fails mid-file leaves no object at --out.
    let data = std::fs::read(&files[0]).unwrap();
    let (base, _) = fault_server(data.clone(), Fault::DropAt(data.len() / 3));
    let bad = format!("{base}/{}", name(&files[0]));
    let r = newsarc_env(
        &[
            "export",
            &bad,
            "--format",
            "jsonl",
            "--out",
            &format!("s3://{BUCKET}/out/failed.jsonl"),
        ],
        &e,
    );
    assert_eq!(r.status.code(), Some(3));
    assert!(
        !keys(&srv).iter().any(|k| k.contains("failed")),
        "half-written object"
    );
}

#[test]
fn s3_credentials_from_a_profile_and_anonymous_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let arch = tmp.path().join("a");
    std::fs::create_dir_all(&arch).unwrap();
    let files = parsed_archives(&arch, 1);
    let srv = moto(tmp.path());
    boto(&srv, &format!("s3.create_bucket(Bucket='{BUCKET}')"));
    put(&srv, &files[0], "private.warc.zst");
    boto(
        &srv,
        &format!(
            "s3.upload_file({:?}, '{BUCKET}', 'x.warc.zst', ExtraArgs={{'ACL': 'public-read'}})",
            files[0].display().to_string()
        ),
    );
    let url = format!("s3://{BUCKET}/x.warc.zst");
    let local = newsarc_env(&["ls", files[0].to_str().unwrap()], &[]);

    // Keys, region and endpoint from ~/.aws (profile "research"), nothing in the environment.
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join(".aws")).unwrap();
    std::fs::write(
        home.join(".aws/credentials"),
        "[research]\naws_access_key_id = testing\naws_secret_access_key = testing\n",
    )
    .unwrap();
    std::fs::write(
        home.join(".aws/config"),
        format!(
            "[profile research]\nregion = us-east-1\nendpoint_url = {}\n",
            srv.base()
        ),
    )
    .unwrap();
    let profile_env = [
        ("HOME", home.display().to_string()),
        ("AWS_PROFILE", "research".to_string()),
    ];
    let r = newsarc_env(&["ls", &url], &profile_env);
    assert!(r.status.success(), "{}", stderr(&r));
    assert_eq!(r.stdout, local.stdout);

    // --anonymous: unsigned requests, no keys anywhere.
    let anon_env = [
        ("HOME", tmp.path().join("nohome").display().to_string()),
        ("AWS_ENDPOINT_URL", srv.base()),
    ];
    let r = newsarc_env(&["ls", "--anonymous", &url], &anon_env);
    assert!(r.status.success(), "{}", stderr(&r));
    assert_eq!(r.stdout, local.stdout);

    // Unsigned requests for a private object: refused, a usage/config error.
    let r = newsarc_env(
        &[
            "ls",
            "--anonymous",
            &format!("s3://{BUCKET}/private.warc.zst"),
        ],
        &anon_env,
    );
    assert_eq!(r.status.code(), Some(2));
    assert!(stderr(&r).contains("access denied"), "{}", stderr(&r));

    // A missing object is named.
    let r = newsarc_env(
        &["ls", "--anonymous", &format!("s3://{BUCKET}/nope.warc.zst")],
        &anon_env,
    );
    assert_eq!(r.status.code(), Some(1));
    assert!(
        stderr(&r).contains("nope.warc.zst: not found"),
        "{}",
        stderr(&r)
    );
}

/// An archive in `dir` holding one page whose stored article has a body of `len` bytes.
fn big_article_archive(dir: &Path, len: usize) -> std::path::PathBuf {
    use chrono::{DateTime, Utc};
    use newsarc::archive::{ArchiveWriter, SeqIds, WriterConfig, build};
    use newsarc::extract::{ExtractInput, ExtractOptions, extract};
    use newsarc::selectors::RuleSet;
    let at = DateTime::parse_from_rfc3339("2024-05-03T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let (url, html) = super::pages().remove(0);
    let mut ids = SeqIds::default();
    let mut w = ArchiveWriter::open(WriterConfig::new(dir), at).unwrap();
    let resp = build::response(&url, at, super::http(&html), None, &mut ids);
    w.write(&resp).unwrap();
    let mut article = extract(
        &ExtractInput::new(&html, &url),
        &RuleSet::empty(),
        &ExtractOptions::default(),
    )
    .article;
    // Words that vary, so the body is not one long run of a single byte.
    let mut body = String::with_capacity(len + 16);
    let mut n = 0u64;
    while body.len() < len {
        n = n
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        body.push_str(&format!("w{:x} ", n >> 40));
    }
    article.body = body;
    let of = build::ParseOf {
        record_id: resp.id().unwrap(),
        captured: at,
    };
    let json = serde_json::to_vec(&article).unwrap();
    w.write(&build::conversion(
        &url,
        at,
        json,
        of,
        "newsarc/test",
        None,
        &mut ids,
    ))
    .unwrap();
    w.finish().unwrap().remove(0)
}

#[test]
fn large_outputs_go_up_as_a_multipart_upload() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    // Over the 32 MiB of one PUT: three 16 MiB parts, the last one short.
    let file = big_article_archive(tmp.path(), 40 << 20);
    let srv = moto(tmp.path());
    boto(&srv, &format!("s3.create_bucket(Bucket='{BUCKET}')"));
    let e = env(&srv, &home);
    let local = tmp.path().join("local.jsonl");
    let key = "out/big.jsonl";
    for out in [
        local.to_str().unwrap().to_string(),
        format!("s3://{BUCKET}/{key}"),
    ] {
        let r = newsarc_env(
            &[
                "export",
                file.to_str().unwrap(),
                "--quiet",
                "--kinds",
                ALL_KINDS,
                "--format",
                "jsonl",
                "--out",
                &out,
            ],
            &e,
        );
        assert!(r.status.success(), "{}", stderr(&r));
    }
    let want = std::fs::read(&local).unwrap();
    assert!(
        want.len() > 32 << 20,
        "{} bytes: not a multipart upload",
        want.len()
    );
    assert_eq!(get(&srv, key), want);
    // Completed, so no upload is left open in the bucket.
    let open = boto(
        &srv,
        &format!("print(len(s3.list_multipart_uploads(Bucket='{BUCKET}').get('Uploads', [])))"),
    );
    assert_eq!(String::from_utf8_lossy(&open).trim(), "0");
}
