"""SQLite FTS5 (Python's sqlite3) over the same items as council: one row
per item, Porter stemming, positions (detail=full), BM25 with titles
weighing 4x, exact facet counts over the whole match set, snippets.

    fts5_engine.py index FEED DB    full index, or update: papers whose file
                                    has the same size and mtime are skipped
    fts5_engine.py query DB QUERIES PASSES
"""
import json
import sqlite3
import sys
import time

from common import papers_in_feed, read_items, stat

SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS items USING fts5(title, text, tokenize='porter unicode61');
CREATE TABLE IF NOT EXISTS meta(rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, source TEXT, council TEXT, committee TEXT,
                                kind TEXT, date TEXT, year TEXT);
CREATE INDEX IF NOT EXISTS meta_source ON meta(source);
CREATE TABLE IF NOT EXISTS portfolios(rowid INTEGER, portfolio TEXT);
CREATE INDEX IF NOT EXISTS portfolios_rowid ON portfolios(rowid);
CREATE TABLE IF NOT EXISTS papers(source TEXT PRIMARY KEY, path TEXT, size INTEGER, mtime INTEGER);
"""


def index(feed, path):
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    known = {row[0]: (row[1], row[2]) for row in db.execute("SELECT source, size, mtime FROM papers")}
    added = unchanged = items = 0
    db.execute("BEGIN")
    for source, (file, offsets) in papers_in_feed(feed).items():
        size, mtime = stat(file)
        if known.get(source) == (size, mtime):
            unchanged += 1
            continue
        old = [r[0] for r in db.execute("SELECT rowid FROM meta WHERE source = ?", (source,))]
        for rowid in old:
            db.execute("DELETE FROM items WHERE rowid = ?", (rowid,))
            db.execute("DELETE FROM portfolios WHERE rowid = ?", (rowid,))
        db.execute("DELETE FROM meta WHERE source = ?", (source,))
        for item in read_items(feed, offsets):
            cur = db.execute("INSERT INTO meta(id, source, council, committee, kind, date, year) VALUES (?,?,?,?,?,?,?)",
                             (item["id"], source, item["council"], item["committee"], item["kind"], item["date"], item["year"]))
            rowid = cur.lastrowid
            db.execute("INSERT INTO items(rowid, title, text) VALUES (?,?,?)", (rowid, item["title"], item["text"]))
            for p in item["portfolios"]:
                db.execute("INSERT INTO portfolios VALUES (?,?)", (rowid, p))
            items += 1
        db.execute("INSERT OR REPLACE INTO papers VALUES (?,?,?,?)", (source, file, size, mtime))
        added += 1
    db.execute("COMMIT")
    db.close()
    print(json.dumps({"indexed": added, "unchanged": unchanged, "items": items}))


def compact(path):
    db = sqlite3.connect(path)
    db.execute("INSERT INTO items(items) VALUES('optimize')")
    db.commit()
    db.execute("VACUUM")
    db.close()


def query(path, queries_file, passes):
    db = sqlite3.connect(path)
    db.execute("CREATE TEMP TABLE m(rowid INTEGER PRIMARY KEY)")
    queries = [json.loads(l) for l in open(queries_file)]
    ms, totals, snippet_bytes = [], [], 0
    batch_start = time.perf_counter()
    for p in range(passes):
        for q in queries:
            start = time.perf_counter()
            where, args = ["items MATCH ?"], [q["fts5"]]
            for field, value in q.get("filters", {}).items():
                where.append(f"meta.{field} = ?")
                args.append(value)
            if "date_from" in q:
                where.append("meta.date BETWEEN ? AND ?")
                args += [q["date_from"], q["date_to"]]
            db.execute("DELETE FROM temp.m")
            db.execute("INSERT INTO temp.m SELECT items.rowid FROM items JOIN meta ON meta.rowid = items.rowid WHERE "
                       + " AND ".join(where), args)
            total = db.execute("SELECT count(*) FROM temp.m").fetchone()[0]
            facets = {}
            for field in ("council", "committee", "kind", "year"):
                facets[field] = db.execute(f"SELECT {field}, count(*) c FROM meta JOIN temp.m USING(rowid) "
                                           f"WHERE {field} != '' GROUP BY {field} ORDER BY c DESC").fetchall()
            facets["portfolio"] = db.execute("SELECT portfolio, count(*) c FROM portfolios JOIN temp.m USING(rowid) "
                                             "GROUP BY portfolio ORDER BY c DESC").fetchall()
            hits = db.execute("SELECT items.rowid, meta.id, snippet(items, 1, '<b>', '</b>', '…', 40) FROM items "
                              "JOIN meta ON meta.rowid = items.rowid WHERE items MATCH ? AND items.rowid IN temp.m "
                              "ORDER BY bm25(items, 4.0, 1.0) LIMIT 10", (q["fts5"],)).fetchall()
            snippet_bytes += sum(len(h[2].encode()) for h in hits)
            ms.append((time.perf_counter() - start) * 1000)
            if p == 0:
                totals.append(total)
    batch = time.perf_counter() - batch_start
    print(json.dumps({"engine": "sqlite-fts5", "queries": len(queries), "passes": passes, "batch_seconds": batch,
                      "snippet_bytes": snippet_bytes, "ms": ms, "totals": totals}))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "index":
        index(sys.argv[2], sys.argv[3])
    elif mode == "compact":
        compact(sys.argv[2])
    elif mode == "query":
        query(sys.argv[2], sys.argv[3], int(sys.argv[4]))
