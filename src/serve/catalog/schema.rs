//! The catalogue's SQLite tables: one row per capture and per parse, plus per-site summaries
//! computed once at build time so the overview never scans the captures.

/// Tables, created empty before the build inserts rows.
pub const CREATE: &str = "
CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE files(id INTEGER PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT NULL);
CREATE TABLE captures(
  id INTEGER PRIMARY KEY, surt TEXT NOT NULL, url TEXT NOT NULL, ts TEXT NOT NULL,
  site TEXT NOT NULL, rtype TEXT NOT NULL, mime TEXT, status INTEGER, digest TEXT,
  file INTEGER NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL,
  page INTEGER NOT NULL DEFAULT 0, parse INTEGER, title TEXT, kind TEXT, language TEXT,
  published TEXT);
CREATE TABLE parses(
  id INTEGER PRIMARY KEY, capture INTEGER, surt TEXT NOT NULL, url TEXT NOT NULL,
  captured TEXT, ts TEXT NOT NULL, file INTEGER NOT NULL, offset INTEGER NOT NULL,
  length INTEGER NOT NULL, record_id TEXT, refers_to TEXT, extractor TEXT NOT NULL,
  selectors TEXT, title TEXT, kind TEXT NOT NULL, language TEXT, published TEXT,
  word_count INTEGER NOT NULL);
CREATE TABLE sites(site TEXT PRIMARY KEY, captures INTEGER NOT NULL, pages INTEGER NOT NULL,
  articles INTEGER NOT NULL, first TEXT NOT NULL, last TEXT NOT NULL);
CREATE TABLE site_days(site TEXT NOT NULL, day TEXT NOT NULL, articles INTEGER NOT NULL,
  PRIMARY KEY(site, day));
CREATE TABLE site_kinds(site TEXT NOT NULL, kind TEXT NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY(site, kind));
";

/// After every row is in: indexes, parse ↔ capture links, the newest parse of each capture,
/// which captures are pages, and the per-site summaries.
pub const FINISH: &str = "
CREATE INDEX captures_surt ON captures(surt, ts);
CREATE INDEX captures_file ON captures(file, offset);
CREATE INDEX parses_file ON parses(file, offset);
UPDATE parses SET capture = (SELECT c.id FROM captures c WHERE c.surt = parses.surt
  AND c.ts = parses.captured AND c.rtype IN ('response', 'revisit') ORDER BY c.id LIMIT 1);
CREATE INDEX parses_capture ON parses(capture, ts);
UPDATE captures SET parse = (SELECT p.id FROM parses p WHERE p.capture = captures.id
  ORDER BY p.ts DESC, p.id DESC LIMIT 1);
UPDATE captures SET (title, kind, language, published) = (SELECT title, kind, language,
  published FROM parses WHERE parses.id = captures.parse) WHERE parse IS NOT NULL;
UPDATE captures SET page = 1 WHERE parse IS NOT NULL
  OR mime IN ('text/html', 'application/xhtml+xml');
UPDATE captures SET page = 1 WHERE rtype = 'revisit' AND surt IN
  (SELECT surt FROM captures WHERE page = 1 AND rtype = 'response');
CREATE INDEX captures_site ON captures(site, page, ts);
INSERT INTO sites SELECT site, count(*), sum(page),
  sum(page AND kind IN ('article', 'liveblog', 'gallery', 'video')), min(ts), max(ts)
  FROM captures GROUP BY site;
INSERT INTO site_days SELECT site, substr(ts, 1, 8), count(*) FROM captures
  WHERE page = 1 AND kind IN ('article', 'liveblog', 'gallery', 'video')
  GROUP BY site, substr(ts, 1, 8);
INSERT INTO site_kinds SELECT site, coalesce(kind, 'not parsed'), count(*) FROM captures
  WHERE page = 1 GROUP BY site, coalesce(kind, 'not parsed');
ANALYZE;
";

/// Parses that are nobody's newest (superseded, or whose capture is not in the archive):
/// left out of the full-text index.
pub const NOT_CURRENT: &str = "SELECT id FROM parses WHERE capture IS NULL
  OR id NOT IN (SELECT parse FROM captures WHERE parse IS NOT NULL)";
