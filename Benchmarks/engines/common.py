"""Shared by the peer engines: reading the items feed and the query set."""
import json
import os
import re

PATH_RE = re.compile(r'"path":"((?:[^"\\]|\\.)*)"')


def papers_in_feed(feed):
    """{source: (path, [line offsets])} of the items feed (JSON Lines written
    by `xapian_native export`), read without parsing each item."""
    papers = {}
    with open(feed, "rb") as f:
        offset = 0
        for line in f:
            head = line[:8000].decode("utf-8", "replace")
            source = head.split('"source":"', 1)[1].split('"', 1)[0]
            path = json.loads('"' + PATH_RE.search(head).group(1) + '"')
            papers.setdefault(source, (path, []))[1].append(offset)
            offset += len(line)
    return papers


def read_items(feed, offsets):
    with open(feed, "rb") as f:
        for offset in offsets:
            f.seek(offset)
            yield json.loads(f.readline())


def stat(path):
    try:
        st = os.stat(path)
        return st.st_size, st.st_mtime_ns
    except OSError:
        return -1, 0


def percentile(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)
