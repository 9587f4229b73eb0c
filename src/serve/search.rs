//! Full-text search over the titles and bodies of the current parses (tantivy). One document
//! per parse; only its id is stored, so the index stays small and snippets are made from the
//! body read back from the archive.

use std::path::{Path, PathBuf};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TEXT, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, TantivyDocument, Term};

use super::ServeError;

/// The fields of a search document.
#[derive(Debug, Clone, Copy)]
struct Fields {
    parse: Field,
    site: Field,
    title: Field,
    body: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        parse: b.add_u64_field("parse", INDEXED | STORED | FAST),
        site: b.add_text_field("site", STRING),
        title: b.add_text_field("title", TEXT),
        body: b.add_text_field("body", TEXT),
    };
    (b.build(), fields)
}

/// Writes the search index during a catalogue build.
pub struct SearchWriter {
    path: PathBuf,
    writer: IndexWriter,
    fields: Fields,
}

impl SearchWriter {
    /// A new, empty index in `dir` (created).
    pub fn create(dir: &Path) -> Result<SearchWriter, ServeError> {
        std::fs::create_dir_all(dir).map_err(|e| ServeError::io(dir, e))?;
        let (schema, fields) = schema();
        let index = Index::create_in_dir(dir, schema).map_err(ServeError::search(dir))?;
        let writer = index
            .writer_with_num_threads(2, 128 << 20)
            .map_err(ServeError::search(dir))?;
        Ok(SearchWriter {
            path: dir.to_path_buf(),
            writer,
            fields,
        })
    }

    /// Add the parse `id` of `site` with its title and body.
    pub fn add(&self, id: u64, site: &str, title: &str, body: &str) -> Result<(), ServeError> {
        let f = self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.parse, id);
        doc.add_text(f.site, site);
        doc.add_text(f.title, title);
        doc.add_text(f.body, body);
        self.writer
            .add_document(doc)
            .map(|_| ())
            .map_err(ServeError::search(&self.path))
    }

    /// Leave parse `id` out (superseded by a newer parse of its capture).
    pub fn remove(&self, id: u64) {
        self.writer
            .delete_term(Term::from_field_u64(self.fields.parse, id));
    }

    /// Commit and wait for the merges.
    pub fn finish(mut self) -> Result<(), ServeError> {
        self.writer
            .commit()
            .map_err(ServeError::search(&self.path))?;
        self.writer
            .wait_merging_threads()
            .map_err(ServeError::search(&self.path))
    }
}

/// An open search index.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

/// One page of hits: parse ids in score order and the total number of matching parses.
#[derive(Debug, Clone, Default)]
pub struct Hits {
    /// Parse ids, best first.
    pub parses: Vec<u64>,
    /// Every matching parse.
    pub total: usize,
}

/// A query the search index could not read (shown to the user as a 400).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read the search query {query:?}: {reason}")]
pub struct BadQuery {
    /// The query as given.
    pub query: String,
    /// What the query parser said.
    pub reason: String,
}

/// A compiled query, for searching and for making snippets.
pub struct Compiled {
    query: Box<dyn Query>,
}

impl SearchIndex {
    /// Open the index in `dir`.
    pub fn open(dir: &Path) -> Result<SearchIndex, ServeError> {
        let index = Index::open_in_dir(dir).map_err(ServeError::search(dir))?;
        let reader = index.reader().map_err(ServeError::search(dir))?;
        let (_, fields) = schema();
        Ok(SearchIndex {
            index,
            reader,
            fields,
        })
    }

    /// Parse `q` (tantivy syntax: words, `"phrases"`, `+must -not`, `title:word`) over title
    /// (boosted) and body, restricted to `site` when given.
    pub fn compile(&self, q: &str, site: Option<&str>) -> Result<Compiled, BadQuery> {
        let f = self.fields;
        let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.body]);
        parser.set_field_boost(f.title, 2.0);
        parser.set_conjunction_by_default();
        let query = parser.parse_query(q).map_err(|e| BadQuery {
            query: q.to_string(),
            reason: e.to_string(),
        })?;
        let query: Box<dyn Query> = match site {
            None => query,
            Some(s) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, query),
                (
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.site, s),
                        IndexRecordOption::Basic,
                    )),
                ),
            ])),
        };
        Ok(Compiled { query })
    }

    /// Hits `offset..offset+limit` of `q`, best first.
    pub fn search(&self, q: &Compiled, offset: usize, limit: usize) -> Result<Hits, String> {
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(limit.max(1))
            .and_offset(offset)
            .order_by_score();
        let (docs, total) = searcher
            .search(&*q.query, &(top, Count))
            .map_err(|e| e.to_string())?;
        let mut parses = Vec::with_capacity(docs.len());
        for (_, addr) in docs {
            let doc: TantivyDocument = searcher.doc(addr).map_err(|e| e.to_string())?;
            if let Some(id) = doc.get_first(self.fields.parse).and_then(|v| v.as_u64()) {
                parses.push(id);
            }
        }
        Ok(Hits { parses, total })
    }

    /// Makes highlighted snippets (HTML-escaped, hits in `<b>`) of titles and bodies for `q`.
    pub fn snippets(&self, q: &Compiled) -> Result<Snippets, String> {
        let searcher = self.reader.searcher();
        let make = |field, chars| {
            SnippetGenerator::create(&searcher, &*q.query, field)
                .map(|mut g| {
                    g.set_max_num_chars(chars);
                    g
                })
                .map_err(|e| e.to_string())
        };
        Ok(Snippets {
            title: make(self.fields.title, 400)?,
            body: make(self.fields.body, 240)?,
        })
    }
}

/// Snippet generators of one query.
pub struct Snippets {
    title: SnippetGenerator,
    body: SnippetGenerator,
}

impl Snippets {
    /// The title with hits highlighted (escaped HTML).
    pub fn title(&self, title: &str) -> String {
        let s = self.title.snippet(title);
        if s.is_empty() {
            html_escape(title)
        } else {
            s.to_html()
        }
    }

    /// A passage of the body around the hits (escaped HTML), or its start when no term hits.
    pub fn body(&self, body: &str) -> String {
        let s = self.body.snippet(body);
        if s.is_empty() {
            let start: String = body.chars().take(240).collect();
            html_escape(&start)
        } else {
            s.to_html()
        }
    }
}

/// `&`, `<`, `>`, `"`, `'` escaped.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_highlights_filters_by_site_and_rejects_bad_syntax() {
        let dir = tempfile::tempdir().unwrap();
        let w = SearchWriter::create(dir.path()).unwrap();
        w.add(
            1,
            "a.com",
            "Counterterrorism conference",
            "Member <States> met.",
        )
        .unwrap();
        w.add(2, "b.com", "Weather", "Rain and counterterrorism talks.")
            .unwrap();
        w.add(3, "b.com", "Old", "superseded counterterrorism")
            .unwrap();
        w.remove(3);
        w.finish().unwrap();
        let idx = SearchIndex::open(dir.path()).unwrap();
        let q = idx.compile("counterterrorism", None).unwrap();
        let hits = idx.search(&q, 0, 10).unwrap();
        assert_eq!(hits.total, 2);
        assert_eq!(hits.parses[0], 1, "title hits rank first");
        let q = idx.compile("counterterrorism", Some("b.com")).unwrap();
        assert_eq!(idx.search(&q, 0, 10).unwrap().parses, vec![2]);
        let sn = idx.snippets(&q).unwrap();
        let html = sn.body("Rain and counterterrorism <talks>.");
        assert!(html.contains("<b>counterterrorism</b> &lt;talks"), "{html}");
        assert!(idx.compile("title:(unclosed", None).is_err());
    }
}
