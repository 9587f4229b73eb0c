//! `newsarc selectors check|test`, and the folder loader the other commands share.

use std::path::{Path, PathBuf};

use anyhow::Context;
use newsarc::extract::check::check_fixture;
use newsarc::selectors::{LoadError, RuleSet};

use super::Exit;

/// Check or test the site selector configs.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  newsarc selectors check              # every error of every config at once
  newsarc selectors test selectors/    # each config's fixture pages: pass/fail table")]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

/// What to do with the configs.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Load and validate every config; report every error at once.
    Check {
        /// Folder of configs.
        #[arg(default_value = "selectors")]
        dir: PathBuf,
    },
    /// Run every config's fixture tests and print a pass/fail table.
    Test {
        /// Folder of configs.
        #[arg(default_value = "selectors")]
        dir: PathBuf,
        /// Folder of fixtures (default: `tests/fixtures` beside the configs folder).
        #[arg(long)]
        fixtures: Option<PathBuf>,
    },
}

/// Read every `*.toml` of `dir` as `(file name, contents)` pairs, sorted by name.
pub fn read_dir(dir: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dir).with_context(|| {
        format!(
            "cannot read selector folder {} (pass --selectors DIR)",
            dir.display()
        )
    })?;
    for e in entries {
        let p = e
            .with_context(|| format!("cannot list {}", dir.display()))?
            .path();
        if p.extension().is_some_and(|x| x == "toml") {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            files.push((name, text));
        }
    }
    files.sort();
    Ok(files)
}

/// Load the configs of `dir`: `Ok(Err(..))` when they are invalid (the caller prints and exits 2).
pub fn load_dir(dir: &Path) -> anyhow::Result<Result<RuleSet, LoadError>> {
    Ok(RuleSet::load(&read_dir(dir)?))
}

/// Load the configs for a command that needs them: invalid configs are a usage error.
pub fn load_or_report(dir: &Path, quiet_if_missing: bool) -> anyhow::Result<Result<RuleSet, Exit>> {
    if quiet_if_missing && !dir.exists() {
        return Ok(Ok(RuleSet::empty()));
    }
    match load_dir(dir)? {
        Ok(r) => Ok(Ok(r)),
        Err(e) => {
            eprintln!(
                "newsarc: {e}\nfix the files above, or run without site rules (--no-site-rules)"
            );
            Ok(Err(Exit::Usage))
        }
    }
}

/// Run the action.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    match args.action {
        Action::Check { dir } => {
            let files = read_dir(&dir)?;
            match RuleSet::load(&files) {
                Ok(r) => {
                    println!(
                        "{} selector config(s) OK in {}",
                        r.sites().len(),
                        dir.display()
                    );
                    Ok(Exit::Success)
                }
                Err(e) => {
                    eprintln!("{e}");
                    Ok(Exit::Usage)
                }
            }
        }
        Action::Test { dir, fixtures } => {
            let rules = match load_or_report(&dir, false)? {
                Ok(r) => r,
                Err(code) => return Ok(code),
            };
            let fixtures = fixtures.unwrap_or_else(|| {
                dir.parent()
                    .unwrap_or(Path::new("."))
                    .join("tests")
                    .join("fixtures")
            });
            test_all(&rules, &fixtures)
        }
    }
}

fn test_all(rules: &RuleSet, fixtures: &Path) -> anyhow::Result<Exit> {
    let (mut pass, mut fail) = (0usize, 0usize);
    println!("{:<20} {:<28} {:<6} details", "config", "test", "result");
    for site in rules.sites() {
        if site.tests.is_empty() {
            fail += 1;
            println!(
                "{:<20} {:<28} {:<6} no [[tests]] in {}.toml",
                site.name, "-", "FAIL", site.name
            );
        }
        for t in &site.tests {
            let folder = fixtures.join(&site.name);
            let fails = match (
                std::fs::read(folder.join(&t.page)),
                std::fs::read(folder.join(&t.expected)),
            ) {
                (Ok(html), Ok(exp)) => match serde_json::from_slice(&exp) {
                    Ok(v) => check_fixture(rules, &html, &v),
                    Err(e) => vec![format!("{}: invalid JSON: {e}", t.expected)],
                },
                (Err(e), _) => vec![format!(
                    "cannot read {}: {e}",
                    folder.join(&t.page).display()
                )],
                (_, Err(e)) => vec![format!(
                    "cannot read {}: {e}",
                    folder.join(&t.expected).display()
                )],
            };
            if fails.is_empty() {
                pass += 1;
                println!("{:<20} {:<28} {:<6}", site.name, t.page, "pass");
            } else {
                fail += 1;
                println!(
                    "{:<20} {:<28} {:<6} {}",
                    site.name, t.page, "FAIL", fails[0]
                );
                for f in &fails[1..] {
                    println!("{:<20} {:<28} {:<6} {}", "", "", "", f);
                }
            }
        }
    }
    println!("{pass} passed, {fail} failed");
    Ok(if fail == 0 {
        Exit::Success
    } else {
        Exit::Partial
    })
}
