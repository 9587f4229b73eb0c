"""Type stubs of the native extension (built from python/src/*.rs)."""

from datetime import datetime
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

__version__: str
EXTRACTOR: str
"""The extractor label stored with every parse, e.g. ``newsarc/0.1.0``."""

class NewsarcError(Exception):
    """A damaged or unreadable archive, a bad selector folder, ...: the message names the
    file (and offset) and what to do."""

_Time = Union[datetime, str]

def extract(
    html: Union[bytes, str],
    url: Optional[str] = None,
    *,
    captured: Optional[_Time] = None,
    site_rules: bool = True,
    selectors: Optional[str] = None,
) -> Dict[str, Any]:
    """Extract one page: the Article object ``newsarc extract`` prints, minus its ``source``
    key. ``html``: bytes as received (any charset) or decoded text. ``url`` defaults to
    ``about:blank``. ``captured`` (naive = UTC) picks dated selector templates. Site rules:
    the shipped ones, the folder ``selectors``, or none with ``site_rules=False``. Releases
    the GIL while it works."""

class Record:
    """One WARC record."""

    type: str
    url: Optional[str]
    date: Optional[datetime]
    status: Optional[int]
    headers: List[Tuple[str, str]]
    warc_headers: List[Tuple[str, str]]
    payload: bytes
    """An HTTP body with transfer and content coding removed; else the record's block."""
    record_id: Optional[str]
    file: str
    offset: int
    length: int
    def header(self, name: str) -> Optional[str]:
        """The first HTTP header of that name (case-insensitive)."""

class Records(Iterator[Record]):
    problems: List[str]
    """With ``lenient=True``: the damaged stretches skipped so far (file, offset, reason)."""
    def __iter__(self) -> "Records": ...
    def __next__(self) -> Record: ...

def records(
    path: str,
    *,
    types: Optional[Sequence[str]] = None,
    lenient: bool = False,
    anonymous: bool = False,
) -> Records:
    """Iterate over the records of a ``.warc.zst`` / ``.warc.gz`` / ``.warc`` file: a
    path, an ``http(s)://`` URL or an ``s3://`` object (streamed; ``anonymous``: unsigned).
    ``types`` keeps only those WARC-Types. A damaged file raises :class:`NewsarcError`
    naming file and offset, unless ``lenient``: damage is skipped and listed in
    ``problems``."""

class Articles(Iterator[Dict[str, Any]]):
    problems: List[str]
    """What could not be read so far (``file@offset: reason``); those rows were skipped."""
    def __iter__(self) -> "Articles": ...
    def __next__(self) -> Dict[str, Any]: ...

def articles(
    paths: Union[str, Sequence[str]],
    *,
    reparse: bool = False,
    kinds: Optional[Union[str, Sequence[str]]] = None,
    site: Optional[str] = None,
    since: Optional[_Time] = None,
    until: Optional[_Time] = None,
    by_capture_date: bool = False,
    language: Optional[str] = None,
    min_words: Optional[int] = None,
    all_versions: bool = False,
    site_rules: bool = True,
    selectors: Optional[str] = None,
    anonymous: bool = False,
) -> Articles:
    """The rows of ``newsarc export`` over archive files or folders, as dicts keyed by
    :func:`columns` (timestamps as aware datetimes). Newest stored parse per canonical URL of
    the parsed kinds unless ``all_versions`` / ``kinds``; ``reparse=True`` parses the stored
    responses again now (newest capture per URL) with ``selectors`` / the shipped rules."""

def columns() -> List[Tuple[str, str]]:
    """The dataset columns as (name, type): ``str``, ``str!`` (never null), ``list[str]``,
    ``timestamp``, ``int``, ``int!``, ``float``, ``bool``."""

def archive_files(paths: Union[str, Sequence[str]], *, anonymous: bool = False) -> List[str]:
    """The archive files that files, folders, URLs and ``s3://`` prefixes stand for, in
    export order."""
