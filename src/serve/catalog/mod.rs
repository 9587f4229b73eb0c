//! The serve index on disk beside the archive: a SQLite catalogue of every capture and parse
//! (from the CDXJ indexes and the conversion records) and a tantivy full-text index. Built on
//! the first start, reopened in milliseconds later, rebuilt when an archive or CDXJ file
//! changes ([`manifest`]).

pub mod build;
pub mod manifest;
mod read;
mod schema;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags};

use crate::archive::archive_files;
use crate::serve::ServeError;
use crate::serve::search::SearchIndex;

pub use build::Progress;
pub use read::{CaptureRow, KindFilter, ListPage, ListQuery, ParseInfo, SiteSummary};

/// The host of `url`, lower-case, without a leading `www.`: the site a capture belongs to
/// (the same rule as `Article::site`).
pub fn site_of(url: &str) -> String {
    let host = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default();
    host.strip_prefix("www.").unwrap_or(&host).to_string()
}

/// An archive file the catalogue knows, by its id.
#[derive(Debug, Clone)]
pub struct ArchiveFile {
    /// Its file name (what CDX results call `filename`).
    pub name: String,
    /// Where it is.
    pub path: PathBuf,
}

/// The open serve index.
#[derive(Debug)]
pub struct Catalog {
    db_path: PathBuf,
    files: HashMap<i64, ArchiveFile>,
    pool: Mutex<Vec<Connection>>,
    search: SearchIndex,
    /// Whether this start built the index (false: reused from disk).
    pub rebuilt: bool,
}

impl Catalog {
    /// Open the index of `args` (archive files or folders) in `index_dir` (default:
    /// [`manifest::default_dir`]), building it first when missing or stale.
    pub fn open_or_build(
        args: &[PathBuf],
        index_dir: Option<PathBuf>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Catalog, ServeError> {
        let files = archive_files(args)?;
        if files.is_empty() {
            let names: Vec<String> = args.iter().map(|a| a.display().to_string()).collect();
            return Err(ServeError::NoArchives(names.join(", ")));
        }
        let dir = index_dir.unwrap_or_else(|| manifest::default_dir(args));
        let fp = manifest::fingerprint(&files)?;
        let rebuilt = !manifest::is_current(&dir, &fp);
        if rebuilt {
            rebuild(&files, &dir, &fp, progress)?;
        }
        let mut cat = Catalog::open(&dir)?;
        cat.rebuilt = rebuilt;
        Ok(cat)
    }

    /// Open a built index in `dir`.
    pub fn open(dir: &Path) -> Result<Catalog, ServeError> {
        let db_path = dir.join("catalog.sqlite");
        let conn = open_read_only(&db_path)?;
        let files = read::files(&conn).map_err(ServeError::sql(&db_path))?;
        let search = SearchIndex::open(&dir.join("search"))?;
        Ok(Catalog {
            db_path,
            files,
            pool: Mutex::new(vec![conn]),
            search,
            rebuilt: false,
        })
    }

    /// Run `f` on a pooled read-only connection.
    pub(crate) fn with<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, ServeError> {
        let pooled = self.pool.lock().ok().and_then(|mut p| p.pop());
        let conn = match pooled {
            Some(c) => c,
            None => open_read_only(&self.db_path)?,
        };
        let out = f(&conn).map_err(ServeError::sql(&self.db_path));
        if let Ok(mut p) = self.pool.lock() {
            p.push(conn);
        }
        out
    }

    /// The archive file with id `id`.
    pub fn file(&self, id: i64) -> Option<&ArchiveFile> {
        self.files.get(&id)
    }

    /// The id of the archive file named exactly `name` (no folders: anything else is unknown).
    pub fn file_id(&self, name: &str) -> Option<i64> {
        self.files
            .iter()
            .find(|(_, f)| f.name == name)
            .map(|(id, _)| *id)
    }

    /// The full-text index.
    pub fn search(&self) -> &SearchIndex {
        &self.search
    }
}

fn open_read_only(path: &Path) -> Result<Connection, ServeError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(ServeError::sql(path))?;
    conn.execute_batch("PRAGMA cache_size=-16000; PRAGMA mmap_size=268435456;")
        .map_err(ServeError::sql(path))?;
    Ok(conn)
}

/// Build into a fresh folder beside `dir`, then swap it in, so a crash mid-build never
/// leaves a half index that looks complete (the manifest is written last).
fn rebuild(
    files: &[PathBuf],
    dir: &Path,
    fingerprint: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), ServeError> {
    let tmp = dir.with_extension(format!("building-{}", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(|e| ServeError::io(&tmp, e))?;
    }
    build::build(files, &tmp, progress)?;
    let manifest = tmp.join("manifest.txt");
    std::fs::write(&manifest, fingerprint).map_err(|e| ServeError::io(&manifest, e))?;
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| ServeError::io(dir, e))?;
    }
    std::fs::rename(&tmp, dir).map_err(|e| ServeError::io(dir, e))
}
