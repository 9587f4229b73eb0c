//! Building the catalogue and the search index from the archives' CDXJ indexes: captures
//! straight from the index lines, parses by reading each (small) conversion record.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rusqlite::{Connection, Transaction, params};

use crate::archive::cdxj::{CdxjEntry, cdxj_path, index_is_fresh, read_index, scan_entries};
use crate::archive::read_record_at;
use crate::model::Article;
use crate::serve::ServeError;
use crate::serve::search::SearchWriter;

use super::schema;
use super::site_of;

/// What the build is doing, for a progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// `indexes`, `parses`, `summaries`.
    pub stage: &'static str,
    /// Items done in this stage.
    pub done: u64,
    /// Items in this stage.
    pub total: u64,
}

/// A conversion record to read: the index of its file in the file list (catalogue id − 1).
struct ConvLoc {
    file: usize,
    offset: u64,
    length: u64,
}

/// What the catalogue keeps of a parse, plus its body for the search index.
struct ParseRow {
    loc: usize,
    surt: String,
    url: String,
    captured: Option<String>,
    ts: String,
    record_id: Option<String>,
    refers_to: Option<String>,
    extractor: String,
    selectors: Option<String>,
    article: Article,
}

/// Build the catalogue (`catalog.sqlite`) and search index (`search/`) of `files` in `dir`
/// (which must be empty or missing).
pub fn build(
    files: &[PathBuf],
    dir: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), ServeError> {
    std::fs::create_dir_all(dir).map_err(|e| ServeError::io(dir, e))?;
    let db_path = dir.join("catalog.sqlite");
    let mut db = Connection::open(&db_path).map_err(ServeError::sql(&db_path))?;
    let sql = |e| ServeError::sql(&db_path)(e);
    db.execute_batch("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
        .map_err(sql)?;
    db.execute_batch(schema::CREATE).map_err(sql)?;
    let search = SearchWriter::create(&dir.join("search"))?;
    let tx = db.transaction().map_err(sql)?;
    let convs = insert_captures(&tx, files, progress).map_err(|e| e.at(&db_path))?;
    insert_parses(&tx, files, &convs, &search, progress).map_err(|e| e.at(&db_path))?;
    tx.commit().map_err(sql)?;
    progress(Progress {
        stage: "summaries",
        done: 0,
        total: 1,
    });
    db.execute_batch(schema::FINISH).map_err(sql)?;
    let mut stmt = db.prepare(schema::NOT_CURRENT).map_err(sql)?;
    let stale = stmt
        .query_map([], |r| r.get::<_, i64>(0))
        .map_err(sql)?
        .collect::<Result<Vec<i64>, _>>()
        .map_err(sql)?;
    for id in stale {
        search.remove(id as u64);
    }
    search.finish()?;
    progress(Progress {
        stage: "summaries",
        done: 1,
        total: 1,
    });
    Ok(())
}

/// An error inside the build transaction, before the catalogue path is attached.
enum Step {
    Sql(rusqlite::Error),
    Other(ServeError),
}

impl Step {
    fn at(self, db: &Path) -> ServeError {
        match self {
            Step::Sql(e) => ServeError::sql(db)(e),
            Step::Other(e) => e,
        }
    }
}

impl From<rusqlite::Error> for Step {
    fn from(e: rusqlite::Error) -> Self {
        Step::Sql(e)
    }
}

impl From<ServeError> for Step {
    fn from(e: ServeError) -> Self {
        Step::Other(e)
    }
}

impl From<crate::archive::ArchiveError> for Step {
    fn from(e: crate::archive::ArchiveError) -> Self {
        Step::Other(e.into())
    }
}

/// The index entries of one archive file: its CDXJ when fresh, else a scan. Every entry
/// gets the real file's path whatever file name its line gives.
fn entries_of(file: &Path) -> Result<Vec<CdxjEntry>, crate::archive::ArchiveError> {
    let mut es = if index_is_fresh(file) {
        let dir = file.parent().unwrap_or(Path::new("."));
        read_index(&cdxj_path(file), dir)?
    } else {
        scan_entries(file)?.0
    };
    for e in &mut es {
        e.path = file.to_path_buf();
    }
    Ok(es)
}

fn insert_captures(
    tx: &Transaction<'_>,
    files: &[PathBuf],
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<ConvLoc>, Step> {
    let mut file_stmt = tx.prepare("INSERT INTO files(id, name, path) VALUES (?1, ?2, ?3)")?;
    let mut cap = tx.prepare(
        "INSERT INTO captures(surt, url, ts, site, rtype, mime, status, digest, file, offset,
         length) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let mut convs = Vec::new();
    for (i, f) in files.iter().enumerate() {
        progress(Progress {
            stage: "indexes",
            done: i as u64,
            total: files.len() as u64,
        });
        let id = i as i64 + 1;
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        file_stmt.execute(params![id, name, f.to_string_lossy()])?;
        for e in entries_of(f)? {
            match e.record_type.as_str() {
                "response" | "revisit" | "resource" => {
                    cap.execute(params![
                        e.surt,
                        e.url,
                        e.timestamp,
                        site_of(&e.url),
                        e.record_type,
                        e.mime,
                        e.status,
                        e.digest,
                        id,
                        e.offset as i64,
                        e.length as i64
                    ])?;
                }
                "conversion" => convs.push(ConvLoc {
                    file: i,
                    offset: e.offset,
                    length: e.length,
                }),
                _ => {}
            }
        }
    }
    progress(Progress {
        stage: "indexes",
        done: files.len() as u64,
        total: files.len() as u64,
    });
    Ok(convs)
}

/// Read one conversion record into a parse row; `None` when it is unreadable or not an
/// Article (such records are left out of the browser, as `export` leaves them out, and
/// counted: [`crate::serve::Catalog::unreadable_parses`]).
fn read_parse(i: usize, path: &Path, c: &ConvLoc) -> Option<ParseRow> {
    let rec = read_record_at(path, c.offset, c.length).ok()?;
    let article: Article = serde_json::from_slice(&rec.block).ok()?;
    let url = rec.target_uri()?.to_string();
    let h = &rec.headers;
    Some(ParseRow {
        loc: i,
        surt: crate::archive::cdxj::surt(&url),
        url,
        captured: h
            .get("WARC-Refers-To-Date")
            .and_then(crate::archive::parse_warc_date)
            .map(|d| d.format("%Y%m%d%H%M%S").to_string()),
        ts: rec.date()?.format("%Y%m%d%H%M%S").to_string(),
        record_id: rec.id().map(str::to_string),
        refers_to: h.get("WARC-Refers-To").map(str::to_string),
        extractor: h.get("Newsarc-Extractor").unwrap_or_default().to_string(),
        selectors: h.get("Newsarc-Selectors").map(str::to_string),
        article,
    })
}

fn insert_parses(
    tx: &Transaction<'_>,
    files: &[PathBuf],
    convs: &[ConvLoc],
    search: &SearchWriter,
    progress: &mut dyn FnMut(Progress),
) -> Result<(), Step> {
    let mut stmt = tx.prepare(
        "INSERT INTO parses(surt, url, captured, ts, file, offset, length, record_id,
         refers_to, extractor, selectors, title, kind, language, published, word_count)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    let total = convs.len() as u64;
    let mut done = 0u64;
    let mut unreadable = 0i64;
    for chunk in convs.chunks(512).enumerate() {
        let (n, chunk) = chunk;
        let rows: Vec<ParseRow> = chunk
            .par_iter()
            .enumerate()
            .filter_map(|(i, c)| read_parse(n * 512 + i, &files[c.file], c))
            .collect();
        unreadable += (chunk.len() - rows.len()) as i64;
        for p in rows {
            let c = &convs[p.loc];
            let a = &p.article;
            stmt.execute(params![
                p.surt,
                p.url,
                p.captured,
                p.ts,
                c.file as i64 + 1,
                c.offset as i64,
                c.length as i64,
                p.record_id,
                p.refers_to,
                p.extractor,
                p.selectors,
                a.title,
                a.page_kind.name(),
                a.language,
                a.published.map(|d| d.to_rfc3339()),
                a.word_count as i64
            ])?;
            let id = tx.last_insert_rowid();
            search.add(
                id as u64,
                &site_of(&p.url),
                a.title.as_deref().unwrap_or_default(),
                &a.body,
            )?;
        }
        done += chunk.len() as u64;
        progress(Progress {
            stage: "parses",
            done,
            total,
        });
    }
    tx.execute(
        "INSERT INTO meta(key, value) VALUES ('unreadable_parses', ?1)",
        [unreadable],
    )?;
    Ok(())
}
