"""newsarc.articles: the rows of `newsarc export`, stored or freshly parsed."""

import json
from datetime import datetime

import pytest

import newsarc
from conftest import fixture_pages, run_cli


def export_rows(archive, tmp_path, *flags):
    """`newsarc export --format parquet`, read back with pyarrow (the same columns, typed)."""
    import pyarrow.parquet as pq

    out = tmp_path / "export.parquet"
    run_cli("export", archive, "--format", "parquet", "--out", out, "--quiet", *flags)
    return pq.read_table(out).to_pylist()


def norm(v):
    """One form for both sides: instants as POSIX seconds, floats rounded."""
    if isinstance(v, datetime):
        return round(v.timestamp(), 6)
    if isinstance(v, float):
        return round(v, 4)
    return v


def comparable(rows):
    return sorted(
        ({k: norm(v) for k, v in r.items()} for r in rows),
        key=lambda r: r["conversion_record_id"],
    )


@pytest.mark.parametrize(
    "flags,kw",
    [
        ((), {}),
        (("--all-versions",), {"all_versions": True}),
        (("--kinds", "article,listing"), {"kinds": "article,listing"}),
        (("--language", "en", "--min-words", "300"), {"language": "en", "min_words": 300}),
        (("--since", "2015-01-01", "--until", "2022-01-01"), {"since": "2015-01-01", "until": "2022-01-01"}),
    ],
)
def test_rows_equal_the_export(archive, tmp_path, flags, kw):
    want = export_rows(archive, tmp_path, *flags)
    it = newsarc.articles(str(archive), **kw)
    got = list(it)
    assert it.problems == []
    assert got, "no rows"
    assert [n for n, _ in newsarc.columns()] == list(got[0].keys())
    assert comparable(got) == comparable(want)
    if not flags:
        # newest parse per URL: one row per article page, from the reparse's file
        assert len(got) == len(fixture_pages())
        newest = sorted(newsarc.archive_files(str(archive)))[-1]
        assert {r["conversion_record_id"] for r in got} <= {
            r.record_id for r in newsarc.records(newest, types=["conversion"])
        }


def test_rows_are_typed(archive):
    rows = list(newsarc.articles(str(archive)))
    r = next(r for r in rows if r["published"])
    assert isinstance(r["published"], datetime) and r["published"].tzinfo is not None
    assert isinstance(r["capture_time"], datetime)
    assert isinstance(r["authors"], list) and isinstance(r["tags"], list)
    assert isinstance(r["word_count"], int) and isinstance(r["paywalled"], bool)
    assert isinstance(r["page_kind_confidence"], float)
    assert json.loads(r["fields_from"])["title"]


def test_fresh_parse_gives_the_stored_articles(archive):
    stored = {r["url"]: r for r in newsarc.articles(str(archive))}
    fresh = list(newsarc.articles(str(archive), reparse=True))
    assert {r["url"] for r in fresh} == set(stored)
    for r in fresh:
        s = stored[r["url"]]
        assert r["conversion_record_id"] is None
        for col in ("title", "authors", "published", "body", "page_kind", "response_record_id",
                    "warc_file", "warc_offset", "capture_time"):
            assert r[col] == s[col], f"{r['url']}: {col}"
    plain = {r["url"]: r for r in newsarc.articles(str(archive), reparse=True, site_rules=False)}
    assert all(r["selectors"] is None for r in plain.values())


def test_bad_arguments(archive, tmp_path):
    with pytest.raises(ValueError, match="unknown page kind"):
        newsarc.articles(str(archive), kinds="articles")
    with pytest.raises(ValueError, match="not a date"):
        newsarc.articles(str(archive), since="last tuesday")
    with pytest.raises(ValueError, match="reparse=True"):
        newsarc.articles(str(archive), selectors="selectors")
    with pytest.raises(newsarc.NewsarcError, match="nowhere"):
        newsarc.articles(str(tmp_path / "nowhere"))


def test_damaged_records_are_reported_not_lost(archive, tmp_path):
    files = newsarc.archive_files(str(archive))
    data = bytearray(open(files[0], "rb").read())
    convs = [r for r in newsarc.records(files[0], types=["conversion"])]
    victim = convs[0]
    # Flip bytes inside one conversion record's frame.
    mid = victim.offset + victim.length // 2
    data[mid : mid + 8] = b"\x00" * 8
    copy = tmp_path / files[0].rsplit("/", 1)[-1]
    copy.write_bytes(bytes(data))
    it = newsarc.articles([str(copy)], kinds="article,listing,other,error")
    rows = list(it)
    assert it.problems, "a damaged record vanished without a word"
    assert any(copy.name in p for p in it.problems)
    assert len(rows) >= len(convs) - 1 - 1
