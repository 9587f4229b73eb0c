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
pub use read::{CaptureRow, CdxMatch, KindFilter, ListPage, ListQuery, ParseInfo, SiteSummary};

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

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::archive::{ArchiveWriter, SeqIds, WriterConfig, build};
    use crate::model::{Article, PageKind};

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn page(body: &str) -> Vec<u8> {
        format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>{body}</p>").into_bytes()
    }

    fn parse_of(url: &str, title: &str, kind: PageKind) -> Vec<u8> {
        let mut a = Article::empty(url);
        a.title = Some(title.into());
        a.body = format!("{title} body text");
        a.page_kind = kind;
        a.language = Some("en-GB".into());
        serde_json::to_vec(&a).unwrap()
    }

    fn of(r: &crate::archive::Record) -> build::ParseOf<'_> {
        build::ParseOf {
            record_id: r.id().unwrap(),
            captured: r.date().unwrap(),
        }
    }

    #[test]
    fn builds_captures_parses_summaries_and_search() {
        let dir = tempfile::tempdir().unwrap();
        let mut ids = SeqIds::default();
        let mut w =
            ArchiveWriter::open(WriterConfig::new(dir.path()), t("2024-05-03T00:00:00Z")).unwrap();
        let (a, b) = ("https://www.example.com/a", "https://example.com/b");
        let ra = build::response(a, t("2024-05-03T10:00:00Z"), page("a"), None, &mut ids);
        w.write(&ra).unwrap();

        for (when, title) in [
            ("2024-05-03T10:00:01Z", "Old title"),
            ("2024-06-01T00:00:00Z", "Zebra news"),
        ] {
            let c = build::conversion(
                a,
                t(when),
                parse_of(a, title, PageKind::Article),
                of(&ra),
                "newsarc/x",
                None,
                &mut ids,
            );
            w.write(&c).unwrap();
        }
        let rb = build::response(b, t("2024-05-04T10:00:00Z"), page("b"), None, &mut ids);
        w.write(&rb).unwrap();
        // A parse of a capture that is not in the archive: kept out of search and lists.
        let ghost = build::ParseOf {
            record_id: "<urn:uuid:none>",
            captured: t("2020-01-01T00:00:00Z"),
        };
        let c = build::conversion(
            b,
            t("2024-05-04T10:00:01Z"),
            parse_of(b, "Ghost zebra", PageKind::Article),
            ghost,
            "newsarc/x",
            None,
            &mut ids,
        );
        w.write(&c).unwrap();
        // A conversion that holds no Article: counted, left out.
        let bad = build::conversion(
            b,
            t("2024-05-04T10:00:02Z"),
            b"not json".to_vec(),
            of(&rb),
            "newsarc/x",
            None,
            &mut ids,
        );
        w.write(&bad).unwrap();
        w.finish().unwrap();

        let idx = dir.path().join("idx");
        let mut stages = Vec::new();
        let cat =
            Catalog::open_or_build(&[dir.path().to_path_buf()], Some(idx.clone()), &mut |p| {
                stages.push(p.stage)
            })
            .unwrap();
        assert!(cat.rebuilt);
        assert!(stages.contains(&"parses") && stages.contains(&"summaries"));
        assert_eq!(cat.unreadable_parses().unwrap(), 1);
        let sites = cat.sites().unwrap();
        assert_eq!(sites.len(), 1);
        let s = &sites[0];
        assert_eq!(
            (s.site.as_str(), s.captures, s.pages, s.articles),
            ("example.com", 2, 2, 1)
        );
        assert_eq!(s.days, vec![("20240503".to_string(), 1)]);
        assert!(s.kinds.contains(&("not parsed".to_string(), 1)));

        let q = ListQuery {
            site: "example.com".into(),
            per_page: 10,
            ..Default::default()
        };
        let list = cat.list(&q).unwrap();
        assert_eq!(list.total, 2);
        assert_eq!(list.rows[0].url, b, "newest first");
        assert_eq!(
            list.rows[1].title.as_deref(),
            Some("Zebra news"),
            "the newest parse wins"
        );
        let en = ListQuery {
            language: Some("en".into()),
            ..q.clone()
        };
        assert_eq!(cat.list(&en).unwrap().total, 1, "en keeps en-GB");
        let parses = cat.parses_of(list.rows[1].id).unwrap();
        assert_eq!(parses.len(), 2);
        assert_eq!(parses[0].title.as_deref(), Some("Old title"));

        let search = cat.search();
        let hits = search
            .search(&search.compile("zebra", None).unwrap(), 0, 10)
            .unwrap();
        assert_eq!(hits.total, 1, "the ghost parse is not searchable");
        assert_eq!(hits.parses, vec![parses[1].id as u64]);
        let old = search
            .search(&search.compile("old", None).unwrap(), 0, 10)
            .unwrap();
        assert_eq!(old.total, 0, "superseded parses are not searchable");

        drop(cat);
        let again =
            Catalog::open_or_build(&[dir.path().to_path_buf()], Some(idx), &mut |_| {}).unwrap();
        assert!(!again.rebuilt);
        assert_eq!(again.file_id("../x.warc.zst"), None);
    }
}
