"""newsarc.extract: the CLI's Article JSON, from Python; bad input never crashes."""

import json
import os
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

import newsarc
from conftest import SEED, fixture_pages, run_cli


def canon(obj) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False)


def cli_extract_list(pairs, tmp_path):
    """`newsarc extract --input-list` over (path, url) pairs: one dict per page, in order."""
    lst = tmp_path / "list.tsv"
    lst.write_text("".join(f"{p}\t{u}\n" for p, u in pairs))
    out = run_cli("extract", "--input-list", lst, "--quiet").stdout
    rows = [json.loads(line) for line in out.splitlines()]
    for r in rows:
        r.pop("source")
    return rows


def devset_sample(step=8):
    """Every step-th page of the trafilatura devset in the folder NEWSARC_DEVSET names."""
    root = os.environ.get("NEWSARC_DEVSET")
    if not root:
        return []
    base = Path(root) / "trafilatura"
    data = json.loads((base / "evaldata-dev.json").read_text())
    pairs = [
        (base / "pages" / v["file"], url)
        for url, v in sorted(data.items())
        if url.startswith("http") and (base / "pages" / v["file"]).exists()
    ]
    assert pairs, f"no pages found under {base}"
    return pairs[::step]


def test_seed_page_equals_cli(tmp_path):
    path, url = SEED
    (cli,) = cli_extract_list([(path, url)], tmp_path)
    got = newsarc.extract(path.read_bytes(), url)
    assert canon(got) == canon(cli)
    assert got["title"].startswith("Third High-Level Conference")
    assert got["page_kind"] == "article"


def test_fixture_and_devset_pages_equal_cli(tmp_path):
    pairs = fixture_pages() + devset_sample()
    cli = cli_extract_list(pairs, tmp_path)
    assert len(cli) == len(pairs)
    for (path, url), want in zip(pairs, cli):
        got = newsarc.extract(Path(path).read_bytes(), url)
        assert canon(got) == canon(want), f"{path} differs from the CLI"


def test_text_input_is_read_as_utf8():
    path, url = SEED
    raw = path.read_bytes()
    assert newsarc.extract(raw.decode("utf-8"), url) == newsarc.extract(raw, url)
    # A page whose meta says Latin-1, handed over as already-decoded text: no mojibake.
    page = "<html><head><meta charset=iso-8859-1><title>Café crème à Zürich</title></head></html>"
    assert newsarc.extract(page, "https://e.com/a")["title"] == "Café crème à Zürich"


def test_captured_and_site_rules_options():
    path, url = SEED
    raw = path.read_bytes()
    a = newsarc.extract(raw, url, captured=datetime(2024, 5, 3, tzinfo=timezone.utc))
    b = newsarc.extract(raw, url, captured="2024-05-03T00:00:00Z")
    c = newsarc.extract(raw, url, captured=datetime(2024, 5, 3))  # naive = UTC
    assert a == b == c
    plain = newsarc.extract(raw, url, site_rules=False)
    assert plain["selectors"] is None
    assert a["selectors"] is not None  # hstoday has a shipped selector config
    repo_rules = Path(__file__).resolve().parents[2] / "selectors"
    assert newsarc.extract(raw, url, selectors=str(repo_rules)) == newsarc.extract(raw, url)


@pytest.mark.parametrize(
    "body",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,  # not HTML
        b"<html><body><p>caf\xe9 \xff\xfe invalid utf-8 \xc3</p></body></html>",
        b"",
        b"<html><body>" + b"<div>" * 3000 + b"deep",  # deeply nested, never closed
        b"<p>" + b"word " * 400_000,  # 2 MB of text in one paragraph
    ],
)
def test_bad_pages_give_a_result_not_a_crash(body):
    a = newsarc.extract(body, "https://e.com/x")
    assert a["url"] == "https://e.com/x"
    assert isinstance(a["body"], str)


def test_bad_arguments_raise_clear_errors(tmp_path):
    with pytest.raises(TypeError, match="bytes or str"):
        newsarc.extract(42)
    with pytest.raises(ValueError, match="not a date"):
        newsarc.extract(b"<html>", captured="yesterday-ish")
    with pytest.raises(ValueError, match="contradict"):
        newsarc.extract(b"<html>", site_rules=False, selectors="selectors")
    with pytest.raises(newsarc.NewsarcError, match="cannot read selector folder"):
        newsarc.extract(b"<html>", selectors=str(tmp_path / "missing"))
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "broken.toml").write_text("[site\nname = 1\n")
    with pytest.raises(newsarc.NewsarcError, match="broken.toml"):
        newsarc.extract(b"<html>", selectors=str(bad))


def test_extract_releases_the_gil():
    """Another Python thread keeps running while a big page is extracted."""
    page = b"<html><body>" + (b"<div><p>" + b"many words here " * 40 + b"</p></div>") * 3000
    done = threading.Event()
    count = 0

    def work():
        newsarc.extract(page, "https://e.com/big")
        done.set()

    t = threading.Thread(target=work)
    start = time.perf_counter()
    t.start()
    time.sleep(0.01)  # let the extraction begin
    while not done.is_set():
        count += 1
    t.join()
    elapsed = time.perf_counter() - start
    assert elapsed > 0.05, "the page extracted too fast to tell"
    assert count > 10_000, f"the main thread ran {count} loops in {elapsed:.2f}s: GIL held?"
