"""newsarc.spark in Spark local mode: the same rows as `newsarc export --format parquet`."""

import math
import os
import sys

import pyarrow.parquet as pq
import pytest

import newsarc
import newsarc.spark
from conftest import run_cli


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # The workers must run this interpreter (the venv with newsarc), not `python3` on PATH.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    s = (
        SparkSession.builder.master("local[2]")
        .appName("newsarc-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    yield s
    s.stop()


def norm(v):
    """Values of both sides in one form: datetimes as UTC instants, floats rounded."""
    if hasattr(v, "timestamp"):
        return round(v.timestamp(), 6)
    if isinstance(v, float):
        return None if math.isnan(v) else round(v, 4)
    if isinstance(v, (list, tuple)):
        return [norm(x) for x in v]
    return v


def export_parquet(archive, tmp_path, *flags):
    out = tmp_path / "export.parquet"
    run_cli("export", archive, "--format", "parquet", "--out", out, "--quiet", *flags)
    return pq.read_table(out).to_pylist()


def by_id(rows):
    return sorted(
        ({k: norm(v) for k, v in r.items()} for r in rows),
        key=lambda r: r["conversion_record_id"],
    )


@pytest.mark.parametrize(
    "flags,kw",
    [
        ((), {}),
        (("--all-versions",), {"all_versions": True}),
        (("--kinds", "article,listing", "--min-words", "200"), {"kinds": "article,listing", "min_words": 200}),
    ],
)
def test_same_rows_as_the_parquet_export(spark, archive, tmp_path, flags, kw):
    want = export_parquet(archive, tmp_path, *flags)
    df = newsarc.spark.articles(spark, [str(archive)], **kw)
    assert df.schema == newsarc.spark.schema()
    got = [r.asDict(recursive=True) for r in df.collect()]
    assert len(got) == len(want) and want
    assert by_id(got) == by_id(want)


def test_one_task_per_file_and_duckdb_reads_the_output(spark, archive, tmp_path):
    files = newsarc.archive_files(str(archive))
    df = newsarc.spark.articles(spark, files)
    out = tmp_path / "spark.parquet"
    df.write.parquet(str(out))
    import duckdb

    con = duckdb.connect()
    n, titles = con.execute(
        f"select count(*), list(title order by title) from read_parquet('{out}/*.parquet')"
    ).fetchone()
    rows = sorted(r["title"] for r in newsarc.articles(files))
    assert n == len(rows) and titles == rows
    # The first stage has one partition per archive file.
    assert newsarc.spark._stage_partitions(spark, files) == len(files)


def test_bad_filters_fail_on_the_driver(spark, archive):
    with pytest.raises(ValueError, match="unknown page kind"):
        newsarc.spark.articles(spark, [str(archive)], kinds="nonsense")


def test_damaged_file_fails_the_job_naming_it(spark, archive, tmp_path):
    files = newsarc.archive_files(str(archive))
    data = bytearray(open(files[0], "rb").read())
    conv = next(iter(newsarc.records(files[0], types=["conversion"])))
    mid = conv.offset + conv.length // 2
    data[mid : mid + 8] = b"\x00" * 8
    bad = tmp_path / "damaged.warc.zst"
    bad.write_bytes(bytes(data))
    with pytest.raises(Exception, match="damaged.warc.zst"):
        newsarc.spark.articles(spark, [str(bad)]).collect()


def test_fresh_parse_on_spark_equals_the_local_fresh_parse(spark, archive):
    local = sorted(newsarc.articles(str(archive), reparse=True), key=lambda r: r["url"])
    df = newsarc.spark.articles(spark, [str(archive)], reparse=True)
    got = sorted((r.asDict(recursive=True) for r in df.collect()), key=lambda r: r["url"])
    assert [r["url"] for r in got] == [r["url"] for r in local]
    for g, w in zip(got, local):
        for col in ("title", "authors", "body", "page_kind", "response_record_id", "warc_offset"):
            assert g[col] == w[col], (g["url"], col)
        assert norm(g["published"]) == norm(w["published"])


def test_shares_cut_the_winners_evenly_keeping_archive_order():
    groups = [[1, 2, 3], [4, 5], [6]]
    for parts in (1, 2, 4, 6, 50):
        shares = newsarc.spark._shares(groups, parts)
        assert [x for s in shares for x in s] == [1, 2, 3, 4, 5, 6]
        assert len(shares) == min(parts, 6)
        assert max(map(len, shares)) - min(map(len, shares)) <= 1
    assert newsarc.spark._shares([], 2) == [[]]


def test_rows_read_in_many_native_chunks_equal_the_export(spark, archive, tmp_path, monkeypatch):
    # Each native call builds one in-memory Parquet file of at most _CHUNK winners.
    monkeypatch.setattr(newsarc.spark, "_CHUNK", 2)
    want = export_parquet(archive, tmp_path, "--all-versions")
    assert len(want) > 4
    df = newsarc.spark.articles(spark, [str(archive)], all_versions=True)
    assert by_id([r.asDict(recursive=True) for r in df.collect()]) == by_id(want)


def test_a_row_task_builds_one_arrow_batch_per_chunk_of_winners(archive, tmp_path):
    import pickle

    import pyarrow as pa
    from newsarc import _native

    files = newsarc.archive_files(str(archive))
    groups = _native._select([_native._scan_file(f) for f in files], True)
    [share] = newsarc.spark._shares(groups, 1)
    work = pa.RecordBatch.from_pylist([{"items": pickle.dumps(share)}])
    batches = list(newsarc.spark._arrow_task(iter([work]), {}, False, 2))
    assert len(batches) == math.ceil(len(share) / 2)
    assert pa.Table.from_batches(batches).schema.names == [n for n, _ in newsarc.columns()]
    want = export_parquet(archive, tmp_path, "--all-versions")
    assert by_id(pa.Table.from_batches(batches).to_pylist()) == by_id(want)


def test_filters_that_keep_nothing_give_an_empty_dataframe(spark, archive, tmp_path):
    assert export_parquet(archive, tmp_path, "--min-words", "1000000") == []
    df = newsarc.spark.articles(spark, [str(archive)], min_words=1_000_000)
    assert df.schema == newsarc.spark.schema()
    assert df.count() == 0


def test_timestamps_are_the_same_instants_in_any_session_time_zone(spark, archive, tmp_path):
    want = export_parquet(archive, tmp_path)
    spark.conf.set("spark.sql.session.timeZone", "America/New_York")
    try:
        df = newsarc.spark.articles(spark, [str(archive)])
        got = [r.asDict(recursive=True) for r in df.collect()]
        # Spark's own view: the instant as UTC epoch seconds, whatever the session zone.
        epochs = {r[0]: r[1] for r in df.selectExpr("conversion_record_id", "unix_micros(capture_time)").collect()}
    finally:
        spark.conf.set("spark.sql.session.timeZone", "UTC")
    assert by_id(got) == by_id(want)
    for w in want:
        assert epochs[w["conversion_record_id"]] == round(w["capture_time"].timestamp() * 1_000_000)
