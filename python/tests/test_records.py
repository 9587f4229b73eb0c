"""newsarc.records: WARC records of .warc.zst / .warc.gz / .warc files, damage raised clearly."""

import gzip
from pathlib import Path

import pytest

import newsarc
from conftest import FIXTURES, fixture_pages


def test_crawl_archive_records(archive, site):
    files = newsarc.archive_files(str(archive))
    assert len(files) == 2 and all(f.endswith(".warc.zst") for f in files)
    recs = list(newsarc.records(files[0]))
    types = {r.type for r in recs}
    assert {"warcinfo", "request", "response", "conversion"} <= types
    responses = [r for r in recs if r.type == "response"]
    pages = {Path(p).read_bytes() for p, _ in fixture_pages()}
    articles = [r for r in responses if "/news/" in r.url]
    assert len(articles) == len(pages)
    for r in articles:
        assert r.status == 200
        assert r.payload in pages, f"{r.url}: payload is not the page served"
        assert r.header("content-type").startswith("text/html")
        assert r.url.startswith(site)
        assert r.record_id.startswith("<urn:uuid:")
        assert r.date is not None and r.date.tzinfo is not None
        assert r.file == files[0] and r.length > 0
    # Offsets are those of the records in the file: each starts a zstd frame.
    raw = Path(files[0]).read_bytes()
    assert all(raw[r.offset : r.offset + 4] == b"\x28\xb5\x2f\xfd" for r in recs)
    only = list(newsarc.records(files[0], types=["conversion"]))
    assert only and all(r.type == "conversion" for r in only)
    assert {r.offset for r in only} == {r.offset for r in recs if r.type == "conversion"}


def test_gzip_archive_from_another_tool():
    path = FIXTURES / "foreign" / "wget-1.21.3-site.warc.gz"
    recs = list(newsarc.records(str(path), types=["response"]))
    assert recs and all(r.status for r in recs)
    html = [r for r in recs if (r.header("content-type") or "").startswith("text/html")]
    assert html and all(b"<" in r.payload for r in html)


def test_plain_warc(tmp_path):
    path = FIXTURES / "foreign" / "wget-1.21.3-site.warc.gz"
    plain = tmp_path / "site.warc"
    plain.write_bytes(gzip.decompress(path.read_bytes()))
    a = [(r.type, r.url, r.payload) for r in newsarc.records(str(path))]
    b = [(r.type, r.url, r.payload) for r in newsarc.records(str(plain))]
    assert a == b


def test_truncated_archive_raises_naming_file_and_offset(archive, tmp_path):
    src = Path(newsarc.archive_files(str(archive))[0])
    cut = tmp_path / "cut.warc.zst"
    cut.write_bytes(src.read_bytes()[: src.stat().st_size // 2])
    it = newsarc.records(str(cut))
    with pytest.raises(newsarc.NewsarcError, match=r"cut\.warc\.zst.*\d"):
        for _ in it:
            pass
    # Lenient reading skips the cut tail and keeps every whole record.
    lenient = newsarc.records(str(cut), lenient=True)
    whole = list(lenient)
    assert len(whole) > 1
    assert len(lenient.problems) == 1 and "cut.warc.zst" in lenient.problems[0]


@pytest.mark.parametrize(
    "content", [b"", b"this is not a WARC file at all\n" * 10, b"\x28\xb5\x2f\xfd garbage"]
)
def test_not_an_archive(tmp_path, content):
    p = tmp_path / "x.warc.zst"
    p.write_bytes(content)
    with pytest.raises(newsarc.NewsarcError):
        recs = list(newsarc.records(str(p)))
        assert recs, "an empty or foreign file gave no records and no error"


def test_bad_arguments(tmp_path):
    with pytest.raises(newsarc.NewsarcError, match="missing.warc.zst"):
        newsarc.records(str(tmp_path / "missing.warc.zst"))
    with pytest.raises(ValueError, match="unknown record type.*valid: warcinfo"):
        newsarc.records(str(FIXTURES / "foreign" / "wget-1.21.3-site.warc.gz"), types=["page"])


def test_records_over_http_equal_the_local_file(archive):
    """A URL is streamed by the native reader (no download to disk first)."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(archive))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        local = newsarc.archive_files(str(archive))[0]
        url = f"http://127.0.0.1:{server.server_address[1]}/{Path(local).name}"
        remote = [(r.type, r.url, r.offset, r.payload) for r in newsarc.records(url)]
        here = [(r.type, r.url, r.offset, r.payload) for r in newsarc.records(local)]
        assert remote == here and remote
        assert newsarc.archive_files(url) == [url]
        rows = list(newsarc.articles(url))
        assert rows and all(r["warc_file"] == Path(local).name for r in rows)
        with pytest.raises(newsarc.NewsarcError, match="404|not found|Not Found"):
            list(newsarc.records(url + ".missing"))
    finally:
        server.shutdown()
