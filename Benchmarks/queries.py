"""The fixed mixed query set, made from a corpus's items (so any corpus
directory can be measured) and written in each engine's syntax.

Ten each of: single words, AND of two words, OR of two words, phrases,
phrases with a facet filter (committee or kind), words within a date
range (a year). Words are picked by document frequency across the range
from common to rare, deterministically.
"""
import collections
import json
import re

WORD = re.compile(r"[a-z]+")
STOP = set("""that this with from have were will been which their they there these those would should could other about
also into than then them such only more most some what when where while shall must upon said each being under after over
before through during between against within without members member council councils committee meeting noted report
agreed resolved item items page minutes agenda""".split())


def make(feed, per_kind=10):
    df = collections.Counter()
    bigrams = collections.Counter()
    committees, kinds, years = collections.Counter(), collections.Counter(), collections.Counter()
    with open(feed, encoding="utf-8") as f:
        for n, line in enumerate(f):
            item = json.loads(line)
            words = WORD.findall(item["text"].lower())
            df.update(set(w for w in words if len(w) >= 4 and w not in STOP))
            if n % 4 == 0:
                for a, b in zip(words, words[1:]):
                    if len(a) >= 4 and len(b) >= 4 and a not in STOP and b not in STOP and a != b:
                        bigrams[(a, b)] += 1
            if item["committee"]:
                committees[item["committee"]] += 1
            if item["kind"]:
                kinds[item["kind"]] += 1
            if item["year"]:
                years[item["year"]] += 1
    ranked = [w for w, c in df.most_common() if c >= 3]
    phrases = [p for p, c in bigrams.most_common(400) if c >= 3]

    def spread(items, k, offset=0):
        if not items:
            return []
        step = max(1, len(items) // (k + 1))
        return [items[min(len(items) - 1, offset + step * (i + 1) // 3)] for i in range(k)]

    singles = spread(ranked[:3000], per_kind)
    pairs_and = list(zip(spread(ranked[:600], per_kind, 1), spread(ranked[:3000], per_kind, 7)))
    pairs_or = list(zip(spread(ranked[:3000], per_kind, 3), spread(ranked[:6000], per_kind, 11)))
    chosen_phrases = spread(phrases, 2 * per_kind)
    facet_values = [("committee", c) for c, _ in committees.most_common(3)] + [("kind", k) for k, _ in kinds.most_common(2)]
    top_years = [y for y, _ in years.most_common(per_kind)] or ["2017"]

    queries = []

    def add(kind, council, fts5, tantivy, **extra):
        q = {"kind": kind, "council": council, "fts5": fts5, "tantivy": tantivy}
        q.update(extra)
        queries.append(q)

    for w in singles:
        add("word", w, w, w)
    for a, b in pairs_and:
        add("and", f"{a} AND {b}", f"{a} AND {b}", f"+{a} +{b}")
    for a, b in pairs_or:
        add("or", f"{a} OR {b}", f"{a} OR {b}", f"{a} {b}")
    for a, b in chosen_phrases[:per_kind]:
        add("phrase", f'"{a} {b}"', f'"{a} {b}"', f'"{a} {b}"')
    for i, (a, b) in enumerate(chosen_phrases[per_kind:2 * per_kind]):
        if not facet_values:
            break
        field, value = facet_values[i % len(facet_values)]
        add("phrase+facet", f'"{a} {b}" {field}:"{value}"', f'"{a} {b}"', f'"{a} {b}"', filters={field: value})
    for i, w in enumerate(spread(ranked[:2000], per_kind, 5)):
        y = top_years[i % len(top_years)]
        add("date range", f"{w} date:{y}-01-01..{y}-12-31", w, w, date_from=f"{y}-01-01", date_to=f"{y}-12-31")
    return queries


if __name__ == "__main__":
    import sys
    for q in make(sys.argv[1]):
        print(json.dumps(q))
