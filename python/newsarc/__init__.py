"""newsarc: archive news sites into WARC, extract clean articles, export research datasets.

The work is done by newsarc's Rust code (the ``newsarc._native`` extension); this package
only exposes it:

- :func:`extract`: one HTML page -> the Article dict ``newsarc extract`` prints.
- :func:`records`: iterate over the records of a ``.warc.zst`` / ``.warc.gz`` / ``.warc``.
- :func:`articles`: the rows of ``newsarc export`` (stored parses, or a fresh parse).
- :mod:`newsarc.spark`: the same rows as a Spark DataFrame, one task per WARC file.
"""

from ._native import (
    EXTRACTOR,
    Articles,
    NewsarcError,
    Record,
    Records,
    __version__,
    archive_files,
    articles,
    columns,
    extract,
    records,
)

__all__ = [
    "EXTRACTOR",
    "Articles",
    "NewsarcError",
    "Record",
    "Records",
    "__version__",
    "archive_files",
    "articles",
    "columns",
    "extract",
    "records",
]
