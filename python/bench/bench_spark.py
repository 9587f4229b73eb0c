"""Spark local mode (2 cores) vs `newsarc export`, same archives, same run.

    NEWSARC_WHEEL_PROFILE=release bash .ci/python-package --co -q   # builds + installs the wheel
    cargo build --release
    .venv-py/bin/python python/bench/bench_spark.py DEVSET [RUNS] [COPIES]

Builds 4 archives by crawling the devset's pages (trafilatura + readability, ~600, each
served COPIES times under different URLs, each copy a distinct page) from 4 servers on 127.0.0.1 with the release CLI, then times, alternating: `newsarc export --format
parquet` over the 4 files, and `newsarc.spark.articles(...).write.parquet(...)` in a
local[2] session (start-up timed apart, once). Prints medians and the ratio of rows/s.

Before the timed runs, NEWSARC_BENCH_WARMUP (default 3) warm-up runs (a count, then full
writes) start the Python workers and let the JVM compile the write path; timed apart like the
start-up. NEWSARC_BENCH_WARMUP=1 (a count only) is the method of the first figures.

NEWSARC_BENCH_ALL=1: every parse (`--all-versions`). NEWSARC_BENCH_DISTINCT=1: each copy of a
page declares a canonical URL of its own (the page's, with `-copy-K` appended), so the copies
are distinct articles and the newest-per-URL rows are as many as the parses.
"""

import functools
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CLI = os.environ.get("NEWSARC_BIN", str(REPO / "target" / "release" / "newsarc"))
# NEWSARC_BENCH_ALL=1: every parse (--all-versions), not the newest per canonical URL (the
# copies of a page share its canonical URL, so the default keeps one row per devset page).
ALL = os.environ.get("NEWSARC_BENCH_ALL") == "1"
DISTINCT = os.environ.get("NEWSARC_BENCH_DISTINCT") == "1"
# Warm-up runs before the timed ones: a count, then WARMUP - 1 full writes (1: a count only).
WARMUP = int(os.environ.get("NEWSARC_BENCH_WARMUP", "3"))


def devset_pages(devset: Path):
    out = sorted((devset / "trafilatura" / "pages").glob("*.html"))
    out += sorted((devset / "readability").glob("*/source.html"))
    return out


def serve(root: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def copy_of(page: bytes, canonical, k: int) -> bytes:
    """Copy ``k`` of a page: a comment makes it a page of its own; with DISTINCT, its canonical
    URL (in every spelling the page uses: plain and JSON-escaped) gets ``-copy-K`` appended."""
    if DISTINCT and canonical and k > 0:
        mine = canonical.rstrip("/") + f"-copy-{k}" + ("/" if canonical.endswith("/") else "")
        for a, b in ((canonical, mine), (canonical.replace("/", "\\/"), mine.replace("/", "\\/"))):
            page = page.replace(a.encode(), b.encode())
    return page + f"<!-- copy {k} -->".encode()


def canonicals(pages):
    """The canonical URL newsarc reads from each page (None without one)."""
    if not DISTINCT:
        return {}
    import newsarc

    return {p: newsarc.extract(p.read_bytes(), "http://127.0.0.1/x.html")["canonical_url"] for p in pages}


def build_archives(pages, work: Path, copies: int, sites=4):
    files = []
    canon = canonicals(pages)
    for s in range(sites):
        root = work / f"site{s}"
        mine = [(k, p) for k in range(copies) for p in pages[s::sites]]
        links = []
        for i, (k, p) in enumerate(mine):
            name = f"news/2024/05/{i:04d}.html"
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            # Each copy differs by a comment: a page of its own, not a revisit of the first.
            (root / name).write_bytes(copy_of(p.read_bytes(), canon.get(p), k))
            links.append(f'<a href="/{name}">{i}</a>')
        # Index pages of 200 links each (a page's links are capped), all linked from the front.
        chunks = [links[i : i + 200] for i in range(0, len(links), 200)]
        for c, chunk in enumerate(chunks):
            (root / f"index-{c}.html").write_text("<html><body>" + " ".join(chunk) + "</body></html>")
        front = " ".join(f'<a href="/index-{c}.html">{c}</a>' for c in range(len(chunks)))
        (root / "index.html").write_text("<html><body>" + front + "</body></html>")
        server = serve(root)
        out = work / f"archive{s}"
        subprocess.run(
            [CLI, "crawl", f"http://127.0.0.1:{server.server_address[1]}/", "--out", str(out),
             "--rate", "1000", "--max-depth", "2", "--contact", "bench@example.org", "--quiet",
             "--per-host-concurrency", "8", "--concurrency", "8"],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        server.shutdown()
        files += sorted(str(f) for f in out.glob("*.warc.zst"))
    return files


def main():
    devset = Path(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    copies = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    work = Path(tempfile.mkdtemp(prefix="newsarc-spark-bench-"))
    files = build_archives(devset_pages(devset), work, copies)
    size = sum(Path(f).stat().st_size for f in files)
    print(f"{len(files)} archive files, {size / 1e6:.1f} MB")

    import newsarc.spark
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    t0 = time.perf_counter()
    spark = (
        SparkSession.builder.master("local[2]").appName("newsarc-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    spark.range(1).count()
    startup = time.perf_counter() - t0
    # Warm-up, timed apart like the start-up: Python workers started, and the JVM's JIT has
    # compiled the write path (the first runs of a fresh JVM are up to twice as slow).
    t0 = time.perf_counter()
    newsarc.spark.articles(spark, files).count()
    for w in range(WARMUP - 1):
        newsarc.spark.articles(spark, files, all_versions=ALL).write.parquet(str(work / f"warm{w}.parquet"))
    warmup = time.perf_counter() - t0

    ex, sp = [], []
    rows = None
    for r in range(runs):
        out = work / f"export{r}.parquet"
        t = time.perf_counter()
        subprocess.run([CLI, "export", *files, "--format", "parquet", "--out", str(out), "--quiet",
                        *(["--all-versions"] if ALL else [])],
                       check=True, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dt = time.perf_counter() - t
        n = int(subprocess.run([sys.executable, "-c", f"import pyarrow.parquet as pq; print(pq.read_metadata('{out}').num_rows)"],
                               capture_output=True, text=True, check=True).stdout)
        ex.append(n / dt)
        t = time.perf_counter()
        newsarc.spark.articles(spark, files, all_versions=ALL).write.parquet(
            str(work / f"spark{r}.parquet")
        )
        dt = time.perf_counter() - t
        rows = n
        sp.append(n / dt)
    spark.stop()
    e, s = statistics.median(ex), statistics.median(sp)
    print(f"{rows} rows ({'all versions' if ALL else 'newest per canonical URL'}{', distinct copies' if DISTINCT else ''}); Spark start-up {startup:.1f} s, warm-up ({WARMUP} runs) {warmup:.1f} s (apart)")
    print(f"newsarc export --format parquet: median {e:8.1f} rows/s  {sorted(round(x) for x in ex)}")
    print(f"newsarc.spark local[2] -> parquet: median {s:8.1f} rows/s  {sorted(round(x) for x in sp)}")
    print(f"ratio Spark / export: {s / e:.2f}")
    # Other work on the machine takes cores from Spark's two first: say how busy it was.
    print("load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
