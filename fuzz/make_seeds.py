#!/usr/bin/env python3
"""Writes the generated seed files under fuzz/seeds/ (the hand-written ones are committed as
they are): WARC files in every container the reader sniffs, HTTP messages, and the test
fixture pages (scripts and styles stripped to keep them small) for `extract`.

Needs python3 and the `zstd` command. Run from anywhere: python3 fuzz/make_seeds.py
"""

import base64
import gzip
import hashlib
import os
import re
import struct
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SEEDS = os.path.join(HERE, "seeds")


def put(target, name, data):
    d = os.path.join(SEEDS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def sha1(b):
    return "sha1:" + base64.b32encode(hashlib.sha1(b).digest()).decode()


def record(rtype, uri, block, content_type, payload=None, extra=()):
    n = {"warcinfo": 1, "request": 2, "response": 3, "revisit": 4, "resource": 5,
         "metadata": 6, "conversion": 7}[rtype]
    h = [
        "WARC/1.1",
        f"WARC-Type: {rtype}",
        f"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-00000000000{n}>",
        "WARC-Date: 2024-05-03T10:00:00.123456Z",
    ]
    if uri:
        h.append(f"WARC-Target-URI: {uri}")
    h += list(extra)
    h.append(f"WARC-Block-Digest: {sha1(block)}")
    if payload is not None:
        h.append(f"WARC-Payload-Digest: {sha1(payload)}")
    h += [f"Content-Type: {content_type}", f"Content-Length: {len(block)}"]
    return ("\r\n".join(h) + "\r\n\r\n").encode() + block + b"\r\n\r\n"


def records():
    url = "https://news.example.com/2024/05/story?id=7"
    html = b"<html><head><title>Story</title></head><body><h1>Story</h1><p>Text</p></body></html>"
    chunked = b"2a\r\n" + html[:42] + b"\r\n" + format(len(html) - 42, "x").encode() + b"\r\n" + html[42:] + b"\r\n0\r\n\r\n"
    gz = gzip.compress(html, mtime=0)
    resp = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n" + chunked)
    resp_gz = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
               + f"Content-Length: {len(gz)}\r\n\r\n".encode() + gz)
    req = b"GET /2024/05/story?id=7 HTTP/1.1\r\nHost: news.example.com\r\n\r\n"
    info = b"software: newsarc/0.1.0\r\nformat: WARC File Format 1.1\r\n"
    conv = b'{"url":"' + url.encode() + b'","title":"Story","body":"Text"}'
    return [
        record("warcinfo", None, info, "application/warc-fields"),
        record("request", url, req, "application/http; msgtype=request"),
        record("response", url, resp, "application/http; msgtype=response", html),
        record("response", url + "&gz", resp_gz, "application/http; msgtype=response", gz),
        record("revisit", url, b"HTTP/1.1 304 Not Modified\r\n\r\n",
               "application/http; msgtype=response", None,
               ["WARC-Profile: http://netpreserve.org/warc/1.1/revisit/identical-payload-digest",
                f"WARC-Refers-To-Target-URI: {url}"]),
        record("resource", "https://news.example.com/logo.txt", b"logo", "text/plain"),
        record("conversion", url, conv, "application/json",
               None, ["WARC-Refers-To: <urn:uuid:00000000-0000-4000-8000-000000000003>"]),
        record("metadata", url, b"via: https://news.example.com/\r\n", "application/warc-fields"),
    ]


def zstd_frames(recs, dict_path=None):
    out = b""
    with tempfile.TemporaryDirectory() as tmp:
        for i, r in enumerate(recs):
            p = os.path.join(tmp, f"r{i}")
            with open(p, "wb") as f:
                f.write(r)
            cmd = ["zstd", "-q", "-c", "-19", p]
            if dict_path:
                cmd[4:4] = ["-D", dict_path]
            out += subprocess.run(cmd, check=True, capture_output=True).stdout
    return out


def warc_seeds():
    recs = records()
    put("warc_read", "plain.warc", b"".join(recs))
    put("warc_read", "per-record.warc.gz", b"".join(gzip.compress(r, mtime=0) for r in recs))
    put("warc_read", "whole-file.warc.gz", gzip.compress(b"".join(recs), mtime=0))
    put("warc_read", "per-record.warc.zst", zstd_frames(recs))
    # A raw-content dictionary in a skippable frame (magic 0x184D2A5D) at offset 0.
    dictionary = b"".join(recs[1:3]) * 2
    with tempfile.NamedTemporaryFile() as d:
        d.write(dictionary)
        d.flush()
        frames = zstd_frames(recs, d.name)
    skippable = struct.pack("<II", 0x184D2A5D, len(dictionary)) + dictionary
    put("warc_read", "dictionary.warc.zst", skippable + frames)
    # The same dictionary stored zstd-compressed in the skippable frame (what the writer does).
    packed = subprocess.run(["zstd", "-q", "-c", "-19"], input=dictionary, check=True,
                            capture_output=True).stdout
    skippable = struct.pack("<II", 0x184D2A5D, len(packed)) + packed
    put("warc_read", "compressed-dictionary.warc.zst", skippable + frames)
    # Damage for the lenient path: a cut tail and garbage between records.
    whole = b"".join(recs)
    put("warc_read", "garbage-and-cut.warc", recs[0] + b"\x00garbage\n" + whole[len(recs[0]):-40])


def http_seeds():
    for i, r in enumerate(records()[1:5]):
        block = r.split(b"\r\n\r\n", 1)[1][:-4]
        put("http_head", f"message{i}.http", block)
    put("http_head", "folded.http",
        b"HTTP/1.0 301 Moved\nLocation: /x\nX-Long: a\n  b\n\tc\nContent-Type: TEXT/HTML ; q=1\n\nbody")


def extract_seeds():
    # The first byte picks the variant (see fuzz_targets/extract.rs): bit 0 = site rules,
    # bits 1-4 = the site (selectors/ in file-name order).
    sites = sorted(f[:-5] for f in os.listdir(os.path.join(ROOT, "selectors")) if f.endswith(".toml"))
    for i, site in enumerate(sites):
        d = os.path.join(ROOT, "tests", "fixtures", site)
        page = next(f for f in sorted(os.listdir(d)) if f.endswith(".html"))
        with open(os.path.join(d, page), "rb") as f:
            html = f.read()
        html = re.sub(rb"(?is)<(script|style|svg)\b[^>]*>.*?</\1\s*>", b"", html)
        html = re.sub(rb"(?s)<!--.*?-->", b"", html)
        html = re.sub(rb"\s+\n", b"\n", html)
        put("extract", f"{site}.html", bytes([(i << 1) | 1]) + html)
    put("extract", "plain.html", b"\x12<p>Hello <b>world</b></p>")


if __name__ == "__main__":
    warc_seeds()
    http_seeds()
    extract_seeds()
