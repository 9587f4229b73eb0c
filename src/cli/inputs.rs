//! Archive inputs and outputs of the commands: paths and URLs on the command line or in
//! `--inputs`, `--shard`, `--anonymous`, `s3://` outputs staged locally, and the exit code of
//! a server's refusal.

use std::path::{Path, PathBuf};

use newsarc::archive::Source;
use newsarc::store::{Location, Shard, StoreError, StoreOptions, Stores, read_inputs_file};

use super::Exit;

/// `--anonymous`: how to reach remote archives.
#[derive(Debug, clap::Args)]
pub struct RemoteArgs {
    /// Send unsigned requests to S3 (public buckets such as Common Crawl's `s3://commoncrawl/`);
    /// otherwise credentials come from AWS_* variables or the AWS_PROFILE profile of
    /// ~/.aws/credentials and ~/.aws/config.
    #[arg(long)]
    pub anonymous: bool,
}

impl RemoteArgs {
    /// The clients for remote inputs and outputs.
    pub fn stores(&self) -> Stores {
        Stores::new(StoreOptions {
            anonymous: self.anonymous,
            ..StoreOptions::default()
        })
    }
}

/// `--inputs` and `--shard`: the inputs of one job of a batch.
#[derive(Debug, clap::Args)]
pub struct JobArgs {
    /// Also read the archives listed in FILE: one path or URL per line, `#` comments; `-`
    /// reads the list from standard input.
    #[arg(long, value_name = "FILE")]
    pub inputs: Option<PathBuf>,
    /// Do part I of N (0-based) of the sorted input files, for N independent jobs (a job
    /// array): the parts are contiguous runs, so the N outputs in order are one job's output.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<Shard>,
}

/// Every archive file the arguments name, in order (folders and prefixes expanded).
pub fn resolve(stores: &Stores, args: &[PathBuf]) -> Result<Vec<Source>, StoreError> {
    stores.resolve_all(args)
}

/// The input files of a batch-capable command: arguments plus `--inputs`, expanded, sorted by
/// name without repeats, then cut to `--shard`'s part.
pub fn resolve_job(
    stores: &Stores,
    args: &[PathBuf],
    job: &JobArgs,
) -> anyhow::Result<Vec<Source>> {
    let mut all = resolve(stores, args)?;
    if let Some(list) = &job.inputs {
        let lines = read_inputs_file(list)
            .map_err(|e| anyhow::anyhow!("--inputs {}: {e}", list.display()))?;
        all.extend(stores.resolve_all(&lines)?);
    }
    all.sort_by(|a, b| a.name().cmp(b.name()));
    all.dedup_by(|a, b| a.name() == b.name());
    Ok(match job.shard {
        Some(s) => s.pick(all),
        None => all,
    })
}

/// The exit code for an error that stopped a command: a refusal by the server (HTTP 401/403)
/// or a bad URL is a usage/config problem (2), anything else fatal (3).
pub fn exit_for(err: &anyhow::Error) -> Exit {
    if err.chain().any(|e| {
        store_error(e).is_some_and(|s| s.is_denied() || matches!(s, StoreError::BadLocation { .. }))
    }) {
        Exit::Usage
    } else {
        Exit::Fatal
    }
}

/// Was this error (or what it wraps) a refusal by the server?
pub fn is_denied(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(err);
    while let Some(e) = cur {
        if store_error(e).is_some_and(StoreError::is_denied) {
            return true;
        }
        cur = e.source();
    }
    false
}

/// The store error inside `e`, directly or carried by an I/O error.
fn store_error<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a StoreError> {
    e.downcast_ref::<StoreError>().or_else(|| {
        e.downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<StoreError>())
    })
}

/// Where an output goes: a local path written directly, or an `s3://` object written to a
/// local staging folder first and uploaded when complete.
pub struct Output {
    /// The destination as given.
    pub dest: Location,
    /// The local path the command writes.
    pub local: PathBuf,
    staging: Option<PathBuf>,
}

impl Output {
    /// Plan the output `out` (a file, or with `folder` an archive folder / prefix).
    pub fn plan(out: &Path, folder: bool) -> anyhow::Result<Output> {
        let dest = Location::parse(out)?;
        match &dest {
            Location::Local(p) => Ok(Output {
                local: p.clone(),
                dest,
                staging: None,
            }),
            Location::Http(_) => anyhow::bail!(
                "--out {}: cannot write to a web server; use a local path or s3://bucket/key",
                out.display()
            ),
            Location::S3 { key, .. } => {
                if !folder && dest.is_prefix() {
                    anyhow::bail!(
                        "--out {}: name an object (s3://bucket/key), not a prefix",
                        out.display()
                    );
                }
                let staging = std::env::temp_dir().join(format!(
                    "newsarc-out-{}-{}",
                    std::process::id(),
                    chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
                ));
                std::fs::create_dir_all(&staging)?;
                let name = key.rsplit('/').next().unwrap_or("out");
                let local = if folder {
                    staging.clone()
                } else {
                    staging.join(name)
                };
                Ok(Output {
                    dest,
                    local,
                    staging: Some(staging),
                })
            }
        }
    }

    /// Upload the finished local files (for an `s3://` output), `files` in order, each to
    /// the destination's object (a file output) or under its prefix by file name (a folder
    /// output). On failure the objects already uploaded are deleted.
    pub fn publish(
        &self,
        stores: &Stores,
        files: &[PathBuf],
        folder: bool,
    ) -> anyhow::Result<Vec<String>> {
        if self.staging.is_none() {
            return Ok(Vec::new());
        }
        let mut done: Vec<Location> = Vec::new();
        for f in files {
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("out");
            let target = if folder {
                self.dest.join(name)
            } else if f == &self.local {
                self.dest.clone()
            } else {
                // A file beside the output (the dataset card): same suffix on the object.
                let suffix = name
                    .strip_prefix(
                        self.local
                            .file_name()
                            .and_then(|n| n.to_str())
                            .unwrap_or(""),
                    )
                    .unwrap_or(name);
                self.dest.with_suffix(suffix)
            };
            if let Err(e) = stores.upload(f, &target) {
                for d in &done {
                    let _ = stores.delete(d);
                }
                return Err(e.into());
            }
            done.push(target);
        }
        Ok(done.iter().map(|l| l.to_string()).collect())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if let Some(s) = &self.staging {
            let _ = std::fs::remove_dir_all(s);
        }
    }
}
