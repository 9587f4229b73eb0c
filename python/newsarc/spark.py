"""newsarc on Apache Spark: the rows of ``newsarc export`` as a DataFrame.

The plan is ``newsarc export``'s own, spread over Spark tasks, with the native code doing all
reading, parsing and filtering:

1. one task per archive file lists its responses and conversions (``_scan_file``: record ids,
   offsets, dates, the dedup key; no bodies, a few dozen bytes per record);
2. the driver joins each conversion with its response (in any file) and keeps the newest parse
   of the newest capture per canonical URL (``_select``: export's own choice, natively; all
   parses with ``all_versions=True``). The driver holds those few dozen bytes per record;
3. the winners, cut into one even share per core (``defaultParallelism``) in archive order,
   are read back by offset in ``mapInArrow`` tasks: the native code builds the rows, keeps
   those the filters keep and writes them with the export's own Parquet writer into memory
   (``_parquet_at``), and pyarrow hands that file on as Arrow batches. No row becomes a Python
   object, and Spark's rows are the export writer's.

No shuffle: two Spark jobs (scan, rows). The executors need ``pyarrow`` (as ``mapInArrow``
does).

So the rows equal what ``newsarc export`` writes for the same files. With ``reparse=True``
each task parses its file's responses instead (newest capture per URL within the file), and
the newest per canonical URL across files is again a Spark window. The schema is the
Parquet export's (timestamps as TimestampType, string lists as arrays, ``page_kind_confidence``
as float). A damaged record fails the job with the file and offset: a dataset must not lose
rows silently.

Paths are local paths or folders visible to every executor (a shared file system),
``http(s)://`` URLs or ``s3://`` objects and prefixes. The workers must run a Python with
``newsarc`` installed (``PYSPARK_PYTHON``). Example::

    from pyspark.sql import SparkSession
    import newsarc.spark

    spark = SparkSession.builder.master("local[2]").getOrCreate()
    df = newsarc.spark.articles(spark, ["archive/"], language="en")
    df.write.parquet("articles.parquet")
"""

from typing import Any, Iterator, List, Sequence, Tuple, Union

import newsarc

_TYPES = {
    "str": ("string", True),
    "str!": ("string", False),
    "list[str]": ("array", False),
    "timestamp": ("timestamp", True),
    "int": ("long", True),
    "int!": ("long", False),
    "float": ("float", True),
    "bool": ("boolean", False),
}

# Helper columns of the first stage (dropped before the DataFrame is returned).
_KEY, _KEEP, _FILE, _SEQ = "_key", "_keep", "_file", "_seq"


def schema():
    """The Spark schema of the dataset (the columns of ``newsarc.columns()``)."""
    from pyspark.sql import types as T

    fields = []
    for name, kind in newsarc.columns():
        base, nullable = _TYPES[kind]
        if base == "string":
            t = T.StringType()
        elif base == "array":
            t = T.ArrayType(T.StringType(), containsNull=False)
        elif base == "timestamp":
            t = T.TimestampType()
        elif base == "long":
            t = T.LongType()
        elif base == "float":
            t = T.FloatType()
        else:
            t = T.BooleanType()
        fields.append(T.StructField(name, t, nullable))
    return T.StructType(fields)


def _stage_schema():
    from pyspark.sql import types as T

    s = schema()
    for name, t in (
        (_KEY, T.StringType()),
        (_KEEP, T.BooleanType()),
        (_FILE, T.IntegerType()),
        (_SEQ, T.LongType()),
    ):
        s = s.add(name, t, False)
    return s


def _rows_of(
    files: Iterator[Tuple[int, str]], names: List[str], filters: dict
) -> Iterator[tuple]:
    """reparse=True, one task: its files parsed, each row marked with its key and verdict."""
    import newsarc as native  # imported on the executor

    for index, path in files:
        it = native.articles(path, _marked=True, **filters)
        for seq, row in enumerate(it):
            yield tuple(row[n] for n in names) + (row[_KEY], row[_KEEP], index, seq)
        if it.problems:
            raise native.NewsarcError("; ".join(it.problems[:5]))


def _scan_task(files: Iterator[Tuple[int, str]], anonymous: bool) -> Iterator[tuple]:
    """Stage 1, one task: (index, responses, conversions) of its files (no bodies)."""
    from newsarc import _native

    for index, path in files:
        yield (index,) + tuple(_native._scan_file(path, anonymous=anonymous))


# Winners per native call in a row task: one in-memory Parquet file each (bounds memory).
_CHUNK = 1024


def _arrow_task(
    batches: Iterator[Any], filters: dict, anonymous: bool, chunk: int = _CHUNK
) -> Iterator[Any]:
    """Stage 2, one task: its share of the winners read back natively as Arrow batches (the
    export's Parquet writer, in memory, read by pyarrow): no row becomes a Python object."""
    import pickle

    import pyarrow as pa
    import pyarrow.parquet as pq
    from newsarc import _native

    for batch in batches:
        for blob in batch.column(0).to_pylist():
            items = pickle.loads(blob)
            for start in range(0, len(items), chunk):
                data = _native._parquet_at(items[start : start + chunk], anonymous=anonymous, **filters)
                yield from pq.read_table(pa.BufferReader(data)).to_batches()


def _shares(groups: List[list], parts: int) -> List[list]:
    """The winners (grouped by file, in archive order) cut into at most ``parts`` runs of
    nearly equal length, each still in archive order (a run reads few files, sequentially)."""
    items = [item for group in groups for item in group]
    parts = max(1, min(parts, len(items)))
    step, extra = divmod(len(items), parts)
    out, start = [], 0
    for p in range(parts):
        end = start + step + (1 if p < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def _scan(spark: Any, files: List[str], anonymous: bool):
    """Stage 1: one partition per archive file."""
    return spark.sparkContext.parallelize(list(enumerate(files)), len(files)).mapPartitions(
        lambda p: _scan_task(p, anonymous)
    )


def _stage_partitions(spark: Any, files: List[str]) -> int:
    """How many tasks the first stage runs for ``files`` (one per file)."""
    return _scan(spark, files, False).getNumPartitions()


def _stored(spark, files, names, all_versions, filters, anonymous):
    import pickle

    from newsarc import _native

    scans = sorted(_scan(spark, files, anonymous).collect())
    groups = _native._select([(r, c) for _, r, c in scans], all_versions)
    if not groups:
        return spark.createDataFrame([], schema())
    # One row per task (a local relation gets min(rows, default parallelism) partitions).
    shares = _shares(groups, spark.sparkContext.defaultParallelism)
    work = spark.createDataFrame([(pickle.dumps(s),) for s in shares], "items binary")
    chunk = _CHUNK  # read here, on the driver (tests make it small)
    return work.mapInArrow(lambda b: _arrow_task(b, filters, anonymous, chunk), schema())


def _fresh(spark, files, names, all_versions, filters):
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    rdd = spark.sparkContext.parallelize(list(enumerate(files)), len(files))
    rows = rdd.mapPartitions(lambda part: _rows_of(part, names, dict(filters, reparse=True)))
    df = spark.createDataFrame(rows, _stage_schema(), verifySchema=False)
    if not all_versions:
        order = Window.partitionBy(_KEY).orderBy(
            F.col("capture_time").desc_nulls_last(), F.col("parsed_time").desc_nulls_last(),
            F.col(_FILE).desc(), F.col(_SEQ).desc(),
        )
        df = df.withColumn("_rank", F.row_number().over(order)).where(F.col("_rank") == 1)
    return df.where(F.col(_KEEP)).select(*names)


_FILTERS = ("kinds", "site", "since", "until", "by_capture_date", "language", "min_words")


def articles(
    spark: Any,
    paths: Union[str, Sequence[str]],
    *,
    all_versions: bool = False,
    reparse: bool = False,
    anonymous: bool = False,
    site_rules: bool = True,
    selectors: Any = None,
    **filters: Any,
):
    """The dataset rows of the archives ``paths`` (files, folders, URLs, ``s3://`` prefixes)
    as a DataFrame with :func:`schema`.

    Filters are :func:`newsarc.articles`' (``kinds``, ``site``, ``since``, ``until``,
    ``by_capture_date``, ``language``, ``min_words``), applied after the newest parse per
    canonical URL is chosen, as ``newsarc export`` applies them. ``reparse=True`` parses the
    stored responses now (``site_rules``, ``selectors`` choose the rules); ``anonymous``:
    unsigned requests for public buckets.
    """
    from newsarc import _native

    # Bad filters fail here, on the driver, with newsarc's message.
    _native._rows_at([], **filters)
    files = newsarc.archive_files(paths, anonymous=anonymous)
    names = [n for n, _ in newsarc.columns()]
    if not files:
        return spark.createDataFrame([], schema())
    if reparse:
        opts = dict(filters, anonymous=anonymous, site_rules=site_rules, selectors=selectors)
        return _fresh(spark, files, names, all_versions, opts)
    if selectors is not None or not site_rules:
        raise ValueError("selectors= and site_rules= choose the rules of a fresh parse: pass reparse=True")
    return _stored(spark, files, names, all_versions, filters, anonymous)
