"""Fixtures of the Python package's tests: the newsarc CLI to compare with, the repository's
fixture pages, and a real archive made by crawling those pages from a server on 127.0.0.1.

Nothing here touches the internet. ``NEWSARC_BIN`` names the CLI (default: the debug build
``cargo test`` leaves in ``target/``); ``NEWSARC_DEVSET`` optionally names a devset folder
whose pages are added to the extraction sample.
"""

import functools
import http.server
import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"


def newsarc_bin() -> Path:
    p = Path(os.environ.get("NEWSARC_BIN", REPO / "target" / "debug" / "newsarc"))
    assert p.exists(), f"{p} is missing: build the CLI first (cargo build) or set NEWSARC_BIN"
    return p


def run_cli(*args, check=True):
    """Run the newsarc CLI; returns the CompletedProcess (stdout/stderr as text)."""
    proc = subprocess.run(
        [str(newsarc_bin()), *map(str, args)], capture_output=True, text=True, cwd=REPO
    )
    if check:
        assert proc.returncode == 0, f"newsarc {args} -> {proc.returncode}\n{proc.stderr}"
    return proc


def fixture_pages():
    """(path, url) of every fixture page with a known URL (the expected JSON gives it)."""
    out = []
    for html in sorted(FIXTURES.glob("*/*.html")):
        expected = html.with_suffix(".json")
        if not expected.exists():
            expected = html.parent / "expected.json"
        url = json.loads(expected.read_text())["url"]
        out.append((html, url))
    return out


SEED = (FIXTURES / "hstoday" / "page.html", fixture_pages()[
    [p for p, _ in fixture_pages()].index(FIXTURES / "hstoday" / "page.html")
][1])


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """A news site on 127.0.0.1: a front page linking every fixture page as an article."""
    root = tmp_path_factory.mktemp("site")
    links = []
    for i, (html, _) in enumerate(fixture_pages()):
        name = f"news/2024/05/{i + 1:02d}/{html.parent.name}-{html.stem}.html"
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(html.read_bytes())
        links.append(f'<li><a href="/{name}">{html.parent.name} {html.stem}</a></li>')
    (root / "index.html").write_text(
        "<!doctype html><html lang=en><head><title>Front page</title></head><body><ul>"
        + "".join(links)
        + "</ul></body></html>"
    )
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def archive(site, tmp_path_factory):
    """A real newsarc archive: the site crawled (responses + article parses), then every
    page parsed again with --force into a second file (two parses per page, across files)."""
    out = tmp_path_factory.mktemp("archive")
    run_cli(
        "crawl", site, "--out", out, "--rate", "50", "--max-depth", "1",
        "--contact", "tests@example.org", "--fresh", "--quiet", check=False,
    )
    files = sorted(out.glob("*.warc.zst"))
    assert files, f"the crawl wrote no archive in {out}"
    run_cli("reparse", out, "--force", "--quiet")
    assert len(sorted(out.glob("*.warc.zst"))) == 2
    return out
