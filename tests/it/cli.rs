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
