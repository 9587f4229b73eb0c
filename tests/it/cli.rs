//! The command-line contract: help, version, exit codes.

use std::process::Command;

fn newsarc() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newsarc"))
}

#[test]
fn help_lists_every_subcommand_and_examples() {
    let out = newsarc().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for cmd in [
        "crawl",
        "extract",
        "reparse",
        "export",
        "import",
        "ls",
        "get",
        "verify",
        "index",
        "selectors",
        "eval",
    ] {
        assert!(text.contains(cmd), "--help does not mention {cmd}:\n{text}");
    }
    assert!(text.contains("Examples:"));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let out = newsarc().args(["ls", "--no-such-flag"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_subcommand_help_has_examples() {
    for cmd in [
        "crawl",
        "extract",
        "reparse",
        "export",
        "import",
        "ls",
        "get",
        "verify",
        "index",
        "selectors",
        "eval",
    ] {
        let out = newsarc().args([cmd, "--help"]).output().unwrap();
        assert!(out.status.success(), "{cmd} --help failed");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains("Examples:") && text.contains(&format!("newsarc {cmd}")),
            "`newsarc {cmd} --help` shows no example:\n{text}"
        );
    }
}

/// `extract --captured`: an age on the page counts back from it; a bad value is a usage error
/// (exit 2) that says what to give.
#[test]
fn extract_captured_dates_an_age_and_rejects_a_bad_time() {
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("page.html");
    std::fs::write(
        &page,
        "<html><body><main><article><h1>Bridge closes for repairs</h1><p><span>3 hours ago\
         </span></p><p>The old bridge over the river closed on Tuesday for repairs that will \
         take until June, officials said at a press conference.</p></article></main></body></html>",
    )
    .expect("write page");
    let out = newsarc()
        .args([
            "extract",
            "--quiet",
            "--url",
            "https://example.org/a",
            "--captured",
        ])
        .arg("2024-05-02T01:30:00Z")
        .arg(&page)
        .output()
        .expect("run newsarc");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["published"], "2024-05-01T22:30:00Z");
    let out = newsarc()
        .args(["extract", "--captured", "yesterday"])
        .arg(&page)
        .output()
        .expect("run newsarc");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("RFC 3339"));
}
