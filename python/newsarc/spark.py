"""newsarc on Apache Spark: the rows of ``newsarc export`` as a DataFrame.

The plan is ``newsarc export``'s own, spread over Spark tasks, with the native code doing all
reading, parsing and filtering:

1. one task per archive file lists its responses and conversions (``_scan_file``: record ids,
   offsets, dates, the dedup key; no bodies);
2. Spark joins each conversion with its response (in any file) and keeps the newest parse of
   the newest capture per canonical URL (a window; skipped with ``all_versions=True``);
3. one task per conversion file reads the winners back by offset and builds the rows,
   keeping those the filters keep (``_rows_at``).

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


def _scan_of(files: Iterator[Tuple[int, str]], anonymous: bool) -> Iterator[tuple]:
    """Stage 1, one task: the responses ("r") and conversions ("c") of its files."""
    from newsarc import _native

    for index, path in files:
        responses, conversions = _native._scan_file(path, anonymous=anonymous)
        for rid, file, off, length, date in responses:
            yield ("r", index, file, off, length, date, rid, None, None, None)
        for file, off, length, date, cid, refers, key, kind in conversions:
            yield ("c", index, file, off, length, date, cid, refers, key, kind)


def _rows_from(part: Iterator[Any], names: List[str], filters: dict, anonymous: bool):
    """Stage 3, one task: the winners of its conversion files, read back as rows."""
    from newsarc import _native

    items = [
        (r.file, r.offset, r.length, r.date, r.id, r.refers_to, r.key, r.kind,
         r.r_file, r.r_offset, r.r_length, r.r_date)
        for r in part
    ]
    for start in range(0, len(items), 512):
        for row in _native._rows_at(items[start : start + 512], anonymous=anonymous, **filters):
            yield tuple(row[n] for n in names)


def _scan_schema():
    from pyspark.sql import types as T

    return T.StructType(
        [
            T.StructField("tag", T.StringType(), False),
            T.StructField(_FILE, T.IntegerType(), False),
            T.StructField("file", T.StringType(), False),
            T.StructField("offset", T.LongType(), False),
            T.StructField("length", T.LongType(), False),
            T.StructField("date", T.LongType(), True),
            T.StructField("id", T.StringType(), True),
            T.StructField("refers_to", T.StringType(), True),
            T.StructField("key", T.StringType(), True),
            T.StructField("kind", T.StringType(), True),
        ]
    )


def _scan(spark: Any, files: List[str], anonymous: bool):
    """Stage 1: one partition per archive file."""
    rdd = spark.sparkContext.parallelize(list(enumerate(files)), len(files))
    return spark.createDataFrame(rdd.mapPartitions(lambda p: _scan_of(p, anonymous)), _scan_schema())


def _stage_partitions(spark: Any, files: List[str]) -> int:
    """How many tasks the first stage runs for ``files`` (one per file)."""
    return _scan(spark, files, False).rdd.getNumPartitions()


def _stored(spark, files, names, all_versions, filters, anonymous):
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    scan = _scan(spark, files, anonymous)
    responses = scan.where(F.col("tag") == "r").select(
        F.col("id").alias("r_id"), F.col("file").alias("r_file"),
        F.col("offset").alias("r_offset"), F.col("length").alias("r_length"),
        F.col("date").alias("r_date"),
    )
    conversions = scan.where(F.col("tag") == "c")
    joined = conversions.join(responses, conversions.refers_to == responses.r_id, "left")
    if not all_versions:
        # export's choice: latest capture, then latest parse, then the later record.
        order = Window.partitionBy("key").orderBy(
            F.col("r_date").desc_nulls_last(), F.col("date").desc_nulls_last(),
            F.col(_FILE).desc(), F.col("offset").desc(),
        )
        joined = joined.withColumn("_rank", F.row_number().over(order)).where(F.col("_rank") == 1)
    winners = joined.repartition(len(files), "file")
    rows = winners.rdd.mapPartitions(lambda p: _rows_from(p, names, filters, anonymous))
    return spark.createDataFrame(rows, schema())


def _fresh(spark, files, names, all_versions, filters):
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    rdd = spark.sparkContext.parallelize(list(enumerate(files)), len(files))
    rows = rdd.mapPartitions(lambda part: _rows_of(part, names, dict(filters, reparse=True)))
    df = spark.createDataFrame(rows, _stage_schema())
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
