//! Which site rules an extraction uses: the configs embedded at build time (the repository's
//! `selectors/`), a folder given by the caller, or none. Compiled rules are cached: the
//! embedded set once per process, a folder until one of its files changes.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use newsarc::selectors::RuleSet;
use pyo3::PyResult;
use pyo3::exceptions::PyValueError;

use crate::NewsarcError;

include!(concat!(env!("OUT_DIR"), "/selectors.rs"));

/// What a folder looked like when its rules were compiled: (file name, size, mtime).
type Stamp = Vec<(String, u64, Option<SystemTime>)>;

/// The folder rules compiled last.
static FOLDER: Mutex<Option<(PathBuf, Stamp, Arc<RuleSet>)>> = Mutex::new(None);

/// The rules for `site_rules` / `selectors` as `extract()` and `articles()` take them.
pub fn rules(site_rules: bool, selectors: Option<&str>) -> PyResult<Arc<RuleSet>> {
    match (site_rules, selectors) {
        (false, Some(_)) => Err(PyValueError::new_err(
            "selectors= and site_rules=False contradict each other: pass one of them",
        )),
        (false, None) => Ok(Arc::new(RuleSet::empty())),
        (true, None) => embedded(),
        (true, Some(dir)) => folder(Path::new(dir)),
    }
}

fn embedded() -> PyResult<Arc<RuleSet>> {
    static RULES: OnceLock<Result<Arc<RuleSet>, String>> = OnceLock::new();
    let files: Vec<(String, String)> = EMBEDDED
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    RULES
        .get_or_init(|| {
            RuleSet::load(&files)
                .map(Arc::new)
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|e| NewsarcError::new_err(format!("embedded selector configs: {e}")))
}

fn stamp(dir: &Path) -> PyResult<Stamp> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        NewsarcError::new_err(format!(
            "cannot read selector folder {}: {e}",
            dir.display()
        ))
    })?;
    let mut out = Stamp::new();
    for e in entries.flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "toml") {
            let meta = e.metadata().ok();
            out.push((
                e.file_name().to_string_lossy().into_owned(),
                meta.as_ref().map_or(0, |m| m.len()),
                meta.and_then(|m| m.modified().ok()),
            ));
        }
    }
    out.sort();
    Ok(out)
}

fn folder(dir: &Path) -> PyResult<Arc<RuleSet>> {
    let now = stamp(dir)?;
    let mut cached = FOLDER.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((d, s, r)) = cached.as_ref()
        && d == dir
        && *s == now
    {
        return Ok(r.clone());
    }
    let mut files = Vec::with_capacity(now.len());
    for (name, _, _) in &now {
        let p = dir.join(name);
        let text = std::fs::read_to_string(&p)
            .map_err(|e| NewsarcError::new_err(format!("cannot read {}: {e}", p.display())))?;
        files.push((name.clone(), text));
    }
    let rules = RuleSet::load(&files).map(Arc::new).map_err(|e| {
        NewsarcError::new_err(format!(
            "{e}\nfix the files above, or pass site_rules=False"
        ))
    })?;
    *cached = Some((dir.to_path_buf(), now, rules.clone()));
    Ok(rules)
}
