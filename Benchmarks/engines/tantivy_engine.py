"""tantivy (PyPI `tantivy`) over the same items as council: English
stemming with positions, BM25, exact facet counts (terms aggregations over
the whole match set), snippets.

    tantivy_engine.py index FEED DIR    full index, or update: papers whose
                                        file has the same size and mtime are skipped
    tantivy_engine.py query DIR QUERIES PASSES
"""
import json
import os
import sys
import time

import tantivy

from common import papers_in_feed, read_items, stat

FACETS = ("council", "committee", "kind", "year", "portfolio")


def schema():
    b = tantivy.SchemaBuilder()
    b.add_text_field("title", stored=False, tokenizer_name="en_stem", index_option="position")
    b.add_text_field("text", stored=True, tokenizer_name="en_stem", index_option="position")
    b.add_text_field("id", stored=True, tokenizer_name="raw")
    b.add_text_field("source", stored=False, tokenizer_name="raw")
    for f in FACETS:
        b.add_text_field(f, stored=False, tokenizer_name="raw", fast=True)
    b.add_integer_field("date", stored=False, indexed=True, fast=True)
    return b.build()


def index(feed, path):
    os.makedirs(path, exist_ok=True)
    s = schema()
    idx = tantivy.Index(s, path=path, reuse=True)
    papers_file = os.path.join(path, "papers.json")
    known = json.load(open(papers_file)) if os.path.exists(papers_file) else {}
    writer = idx.writer(heap_size=256 * 1024 * 1024, num_threads=2)
    added = unchanged = items = 0
    for source, (file, offsets) in papers_in_feed(feed).items():
        size, mtime = stat(file)
        if known.get(source) == [size, mtime]:
            unchanged += 1
            continue
        if source in known:
            writer.delete_documents("source", source)
        for item in read_items(feed, offsets):
            doc = tantivy.Document()
            doc.add_text("title", item["title"])
            doc.add_text("text", item["text"])
            doc.add_text("id", item["id"])
            doc.add_text("source", source)
            for f in ("council", "committee", "kind", "year"):
                if item[f]:
                    doc.add_text(f, item[f])
            for p in item["portfolios"]:
                doc.add_text("portfolio", p)
            if item["date"]:
                doc.add_integer("date", int(item["date"].replace("-", "")))
            writer.add_document(doc)
            items += 1
        known[source] = [size, mtime]
        added += 1
    writer.commit()
    writer.wait_merging_threads()
    json.dump(known, open(papers_file, "w"))
    print(json.dumps({"indexed": added, "unchanged": unchanged, "items": items}))


def query(path, queries_file, passes):
    s = schema()
    idx = tantivy.Index(s, path=path, reuse=True)
    idx.reload()
    searcher = idx.searcher()
    queries = [json.loads(l) for l in open(queries_file)]
    built = []
    for q in queries:
        parts = [(tantivy.Occur.Must, idx.parse_query(q["tantivy"], ["title", "text"], field_boosts={"title": 4.0}))]
        for field, value in q.get("filters", {}).items():
            parts.append((tantivy.Occur.Must, tantivy.Query.term_query(s, field, value)))
        if "date_from" in q:
            lo, hi = int(q["date_from"].replace("-", "")), int(q["date_to"].replace("-", ""))
            parts.append((tantivy.Occur.Must, tantivy.Query.range_query(s, "date", tantivy.FieldType.Integer, lo, hi)))
        built.append(tantivy.Query.boolean_query(parts) if len(parts) > 1 else parts[0][1])
    aggs = {f: {"terms": {"field": f, "size": 100000, "segment_size": 100000}} for f in FACETS}
    ms, totals, snippet_bytes = [], [], 0
    batch_start = time.perf_counter()
    for p in range(passes):
        for query in built:
            start = time.perf_counter()
            result = searcher.search(query, 10, count=True)
            facets = searcher.aggregate(query, aggs)
            generator = tantivy.SnippetGenerator.create(searcher, query, s, "text")
            generator.set_max_num_chars(240)
            for _score, address in result.hits:
                doc = searcher.doc(address)
                snippet_bytes += len(generator.snippet_from_doc(doc).to_html().encode())
            ms.append((time.perf_counter() - start) * 1000)
            if p == 0:
                totals.append(result.count)
            del facets
    batch = time.perf_counter() - batch_start
    print(json.dumps({"engine": "tantivy", "queries": len(built), "passes": passes, "batch_seconds": batch,
                      "snippet_bytes": snippet_bytes, "ms": ms, "totals": totals}))


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "index":
        index(sys.argv[2], sys.argv[3])
    elif mode == "query":
        query(sys.argv[2], sys.argv[3], int(sys.argv[4]))
