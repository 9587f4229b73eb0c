"""Python extract() vs the CLI on one core, same pages, same run.

    NEWSARC_WHEEL_PROFILE=release bash .ci/python-package --co -q   # builds + installs the wheel
    cargo build --release
    .venv-py/bin/python python/bench/bench_extract.py DEVSET [RUNS]

DEVSET is a folder with trafilatura/evaldata-dev.json (+ pages/). Both sides read the pages
from disk once per run; the CLI runs with RAYON_NUM_THREADS=1 (one core) over an --input-list,
Python calls newsarc.extract() in one thread. Prints the medians and the ratio.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import newsarc

REPO = Path(__file__).resolve().parents[2]


def pages(devset: Path):
    base = devset / "trafilatura"
    data = json.loads((base / "evaldata-dev.json").read_text())
    return [
        (base / "pages" / v["file"], url)
        for url, v in sorted(data.items())
        if url.startswith("http") and (base / "pages" / v["file"]).exists()
    ]


def run_python(pairs):
    start = time.perf_counter()
    for path, url in pairs:
        newsarc.extract(path.read_bytes(), url)
    return len(pairs) / (time.perf_counter() - start)


def run_cli(pairs, cli):
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as f:
        f.write("".join(f"{p}\t{u}\n" for p, u in pairs))
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    start = time.perf_counter()
    subprocess.run(
        [cli, "extract", "--input-list", f.name, "--quiet"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=REPO,
    )
    return len(pairs) / (time.perf_counter() - start)


def main():
    devset = Path(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    cli = os.environ.get("NEWSARC_BIN", str(REPO / "target" / "release" / "newsarc"))
    pairs = pages(devset)
    os.chdir(REPO)  # the CLI's default selectors/ folder = the rules the wheel embeds
    py, rs = [], []
    run_python(pairs[:20])  # warm-up: page cache, rules compiled
    for _ in range(runs):  # alternating, so load hits both alike
        rs.append(run_cli(pairs, cli))
        py.append(run_python(pairs))
    p, c = statistics.median(py), statistics.median(rs)
    print(f"{len(pairs)} pages, {runs} runs each, one core")
    print(f"CLI    newsarc extract --input-list: median {c:7.1f} pages/s  {sorted(round(x) for x in rs)}")
    print(f"Python newsarc.extract():           median {p:7.1f} pages/s  {sorted(round(x) for x in py)}")
    print(f"ratio Python / CLI: {p / c:.2f}")


if __name__ == "__main__":
    main()
