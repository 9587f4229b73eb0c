"""newsarc on Apache Spark: the rows of ``newsarc export`` as a DataFrame.

Each WARC file is one Spark task: the executor opens it with newsarc's native reader and
parses or reads the stored parses there (``newsarc.articles``), so only the rows travel.
Choosing the newest parse per canonical URL across files, and then applying the filters
(decided per row by the native code, as ``newsarc export`` decides them), is a Spark window
over the rows: the result is the same set of rows ``newsarc export`` writes for the same
files. The schema is the Parquet export's (timestamps as TimestampType, string lists as
arrays, ``page_kind_confidence`` as float).

Paths are local paths or folders visible to every executor (a shared file system). Example::

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
    """One task: every row of its files, each marked with its dedup key and filter verdict."""
    import newsarc as native  # imported on the executor

    for index, path in files:
        it = native.articles(path, _marked=True, **filters)
        for seq, row in enumerate(it):
            yield tuple(row[n] for n in names) + (row[_KEY], row[_KEEP], index, seq)
        if it.problems:
            # A damaged record must not vanish silently: fail the task, naming it.
            raise newsarc.NewsarcError("; ".join(it.problems[:5]))


def _stage(spark: Any, files: List[str], filters: dict):
    """The first stage: one partition per archive file, each row marked (key, keep, order)."""
    names = [n for n, _ in newsarc.columns()]
    rdd = spark.sparkContext.parallelize(list(enumerate(files)), len(files))
    rows = rdd.mapPartitions(lambda part: _rows_of(part, names, filters))
    return spark.createDataFrame(rows, _stage_schema())


def _stage_partitions(spark: Any, files: List[str]) -> int:
    """How many tasks the first stage runs for ``files`` (one per file)."""
    return _stage(spark, files, {}).rdd.getNumPartitions()


def articles(
    spark: Any,
    paths: Union[str, Sequence[str]],
    *,
    all_versions: bool = False,
    **filters: Any,
):
    """The dataset rows of the archives ``paths`` (files or folders) as a DataFrame.

    Takes the keyword arguments of :func:`newsarc.articles` (``kinds``, ``site``, ``since``,
    ``until``, ``by_capture_date``, ``language``, ``min_words``, ``reparse``,
    ``site_rules``, ``selectors``, ``anonymous``). One Spark task per archive file; paths may
    be local (visible to every executor), ``http(s)://`` URLs or ``s3://`` objects/prefixes.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    # Bad filters fail here, on the driver, with newsarc's message.
    newsarc.articles([], **filters)
    files = newsarc.archive_files(paths, anonymous=filters.get("anonymous", False))
    names = [n for n, _ in newsarc.columns()]
    if not files:
        return spark.createDataFrame([], schema())
    df = _stage(spark, files, filters)
    if not all_versions:
        # export's choice: latest capture, then latest parse, then the later record.
        order = Window.partitionBy(_KEY).orderBy(
            F.col("capture_time").desc_nulls_last(),
            F.col("parsed_time").desc_nulls_last(),
            F.col(_FILE).desc(),
            F.col(_SEQ).desc(),
        )
        df = df.withColumn("_rank", F.row_number().over(order)).where(F.col("_rank") == 1)
    return df.where(F.col(_KEEP)).select(*names)
