"""Side-by-side benchmark of council against what users would pick instead:
Xapian Omega's omindex, SQLite FTS5, tantivy, and the same Xapian work done
natively in C++ (the ceiling for this engine). See BENCHMARKS.md.

Usage: bench.py [--quick] [--reps N] [--passes N] CORPUS_DIR...
(run through Benchmarks/run, which installs the peers and builds the tools)
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, "engines"))
import queries as query_sets  # noqa: E402
from common import percentile  # noqa: E402

RESULTS = os.path.join(HERE, "results")
WORK = os.path.join(RESULTS, "work")
COUNCIL = os.environ.get("COUNCIL_BIN", os.path.join(REPO, ".build", "release", "council"))
NATIVE = os.path.join(WORK, "bin", "xapian_native")
PY = sys.executable
ENGINES = ["council", "xapian-native", "omindex", "sqlite-fts5", "tantivy"]


# MARK: - Measuring a process

def measure(cmd, stdin=None, env=None):
    """Run `cmd`; its wall time, CPU time (user + system), peak RSS (MB), stdout."""
    start = time.perf_counter()
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as inp:
        p = subprocess.Popen(cmd, stdin=inp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        out, err = p.communicate()
        _, status, usage = os.wait4(p.pid, 0) if p.returncode is None else (p.pid, p.returncode, None)
    wall = time.perf_counter() - start
    if p.returncode not in (0,):
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}): {err.decode()[-2000:]}")
    return wall, out.decode()


def measure_rusage(cmd, stdin=None):
    """Like measure, with CPU seconds and peak RSS from wait4."""
    start = time.perf_counter()
    inp = open(stdin, "rb") if stdin else open(os.devnull, "rb")
    p = subprocess.Popen(cmd, stdin=inp, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    inp.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({code}): {err.decode()[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024.0, "out": out.decode()}


def tree_bytes(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(root, f))
            except OSError:
                pass
    return total


# MARK: - The corpus and its two states

class Corpus:
    """A copy of the corpus under work/, with 1% of its files changed or
    restored on demand (same bytes and modification times every time)."""

    def __init__(self, source, work):
        self.source = os.path.abspath(source)
        self.name = os.path.basename(self.source.rstrip("/"))
        self.work = work
        self.dir = os.path.join(work, "corpus")
        if os.path.exists(self.dir):
            shutil.rmtree(self.dir)
        shutil.copytree(self.source, self.dir, copy_function=shutil.copy2)
        files = sorted(os.path.join(r, f) for r, _, fs in os.walk(self.dir) for f in fs
                       if f.lower().endswith((".txt", ".md", ".pdf", ".html", ".htm", ".docx")))
        self.files = files
        step = 100
        self.changed = files[::step][:max(1, len(files) // step)]
        self.stash = os.path.join(work, "stash")
        os.makedirs(self.stash, exist_ok=True)
        for i, f in enumerate(self.changed):
            shutil.copy2(f, os.path.join(self.stash, f"{i}.orig"))
            new = os.path.join(self.stash, f"{i}.changed")
            with open(f, "rb") as src, open(new, "wb") as dst:
                data = src.read()
                dst.write(data + b"\n\nBenchmark amendment: the committee noted the revised road safety budget.\n")
            st = os.stat(f)
            os.utime(new, ns=(st.st_atime_ns, st.st_mtime_ns + 3_600_000_000_000))

    def set_state(self, state):
        for i, f in enumerate(self.changed):
            shutil.copy2(os.path.join(self.stash, f"{i}.{state}"), f)


# MARK: - Engines

class Engine:
    def __init__(self, name, work):
        self.name = name
        self.dir = os.path.join(work, name)

    def reset(self):
        if os.path.exists(self.dir):
            shutil.rmtree(self.dir)
        os.makedirs(self.dir)


class Council(Engine):
    def index_cmd(self, corpus, state):
        return [COUNCIL, "index", "--quiet", "--db", os.path.join(self.dir, "index"), corpus.dir]

    def db_path(self):
        return os.path.join(self.dir, "index.d")

    def xapian_db(self):
        with open(os.path.join(self.dir, "index")) as f:
            for line in f:
                if line.startswith("auto "):
                    return os.path.join(self.dir, line.split(" ", 1)[1].strip())

    def query_cmd(self, qfile, passes):
        return [COUNCIL, "repl", "--timings", "--db", os.path.join(self.dir, "index")], council_stdin(qfile, passes)


class Native(Engine):
    feeds = {}

    def index_cmd(self, corpus, state):
        return [NATIVE, "index", Native.feeds[state], os.path.join(self.dir, "db")]

    def db_path(self):
        return os.path.join(self.dir, "db")

    def xapian_db(self):
        return self.db_path()

    def query_cmd(self, qfile, passes):
        return [NATIVE, "query", self.db_path(), qfile + ".xapian", str(passes)], None


class Omindex(Engine):
    def index_cmd(self, corpus, state):
        # Markdown papers read as plain text (omindex skips unknown types).
        return ["omindex", "--db", self.db_path(), "--url", "/", "--mime-type=md:text/plain", corpus.dir]

    def db_path(self):
        return os.path.join(self.dir, "db")

    def xapian_db(self):
        return self.db_path()

    query_cmd = None


class Fts5(Engine):
    feeds = {}

    def index_cmd(self, corpus, state):
        return [PY, os.path.join(HERE, "engines", "fts5_engine.py"), "index", Fts5.feeds[state], self.db_path()]

    def db_path(self):
        return os.path.join(self.dir, "items.db")

    xapian_db = None

    def compact(self):
        copy = self.db_path() + ".compact"
        shutil.copy2(self.db_path(), copy)
        subprocess.run([PY, os.path.join(HERE, "engines", "fts5_engine.py"), "compact", copy], check=True)
        size = tree_bytes(copy)
        os.remove(copy)
        return size

    def query_cmd(self, qfile, passes):
        return [PY, os.path.join(HERE, "engines", "fts5_engine.py"), "query", self.db_path(), qfile, str(passes)], None


class Tantivy(Engine):
    feeds = {}

    def index_cmd(self, corpus, state):
        return [PY, os.path.join(HERE, "engines", "tantivy_engine.py"), "index", Tantivy.feeds[state], self.db_path()]

    def db_path(self):
        return os.path.join(self.dir, "index")

    xapian_db = None
    compact = None

    def query_cmd(self, qfile, passes):
        return [PY, os.path.join(HERE, "engines", "tantivy_engine.py"), "query", self.db_path(), qfile, str(passes)], None


def council_stdin(qfile, passes):
    path = qfile + f".council.{passes}"
    with open(qfile) as f:
        lines = [json.loads(l)["council"] for l in f]
    with open(path, "w") as out:
        for _ in range(passes):
            for line in lines:
                out.write(line + "\n")
    return path


def xapian_compact_size(db):
    dst = db.rstrip("/") + ".compact"
    if os.path.exists(dst):
        shutil.rmtree(dst)
    subprocess.run(["xapian-compact", db, dst], check=True, stdout=subprocess.DEVNULL)
    size = tree_bytes(dst)
    shutil.rmtree(dst)
    return size


def parse_query_output(engine, out):
    if engine == "council":
        rows = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
        return {"ms": [r["ms"] for r in rows], "totals": [r["total"] for r in rows]}
    data = json.loads(out.strip().splitlines()[-1])
    return {"ms": data["ms"], "totals": data["totals"]}


# MARK: - One corpus

def prepare(corpus, work, log):
    """Index with council once in each state and export its items: the
    replay files for the native engine and the items feed for FTS5 and
    tantivy. Not timed."""
    prep = os.path.join(work, "prep")
    if os.path.exists(prep):
        shutil.rmtree(prep)
    os.makedirs(prep)
    index = os.path.join(prep, "index")
    for state in ("orig", "changed"):
        corpus.set_state(state)
        log(f"  preparing: council index ({state})")
        subprocess.run([COUNCIL, "index", "--quiet", "--db", index, corpus.dir], check=True)
        live = Council("prep", work)
        live.dir = prep
        replay, feed = os.path.join(prep, f"{state}.replay"), os.path.join(prep, f"{state}.jsonl")
        subprocess.run([NATIVE, "export", live.xapian_db(), replay, feed], check=True)
        Native.feeds[state] = replay
        Fts5.feeds[state] = feed
        Tantivy.feeds[state] = feed
    corpus.set_state("orig")
    qfile = os.path.join(prep, "queries.jsonl")
    with open(qfile, "w") as f:
        for q in query_sets.make(Fts5.feeds["orig"]):
            f.write(json.dumps(q) + "\n")
    # The very Xapian queries council runs, for the native engine.
    subprocess.run([COUNCIL, "repl", "--db", index, "--xapian-queries", qfile + ".xapian"],
                   stdin=open(council_stdin(qfile, 1)), stdout=subprocess.DEVNULL, check=True)
    return qfile


def run_corpus(path, reps, passes, log):
    name = os.path.basename(os.path.abspath(path).rstrip("/"))
    work = os.path.join(WORK, name)
    os.makedirs(work, exist_ok=True)
    log(f"{name}: copying the corpus")
    corpus = Corpus(path, work)
    qfile = prepare(corpus, work, log)
    classes = {"council": Council, "xapian-native": Native, "omindex": Omindex, "sqlite-fts5": Fts5, "tantivy": Tantivy}
    engines = [classes[n](n, work) for n in ENGINES]
    runs = {e.name: [] for e in engines}
    for rep in range(reps):
        order = engines[rep % len(engines):] + engines[:rep % len(engines)]
        if rep % 2:
            order.reverse()
        for e in order:
            r = {}
            e.reset()
            corpus.set_state("orig")
            full = measure_rusage(e.index_cmd(corpus, "orig"))
            noop = measure_rusage(e.index_cmd(corpus, "orig"))
            corpus.set_state("changed")
            changed = measure_rusage(e.index_cmd(corpus, "changed"))
            r.update(full=full["wall"], full_cpu=full["cpu"], full_rss=full["rss_mb"], noop=noop["wall"], changed=changed["wall"])
            r["size"] = tree_bytes(e.db_path())
            if rep == 0:
                if e.xapian_db:
                    r["compact_size"] = xapian_compact_size(e.xapian_db())
                elif getattr(e, "compact", None):
                    r["compact_size"] = e.compact()
            if e.query_cmd:
                cmd, stdin = e.query_cmd(qfile, passes + 1)
                q = measure_rusage(cmd, stdin=stdin)
                parsed = parse_query_output(e.name, q["out"])
                n = len(parsed["ms"]) // (passes + 1)
                timed = parsed["ms"][n:]  # the first pass warms up
                r.update(p50=percentile(timed, 50), p99=percentile(timed, 99), batch=sum(timed) / 1000.0 / passes,
                         query_rss=q["rss_mb"], totals=parsed["totals"][:n], queries=n)
            corpus.set_state("orig")
            runs[e.name].append(r)
            log(f"  rep {rep + 1} {e.name}: full {r['full']:.2f} s, no-op {r['noop']:.3f} s, 1% {r['changed']:.2f} s"
                + (f", p50 {r['p50']:.2f} ms, p99 {r['p99']:.2f} ms" if 'p50' in r else ""))
    return {"name": name, "path": os.path.abspath(path), "files": len(corpus.files), "changed_files": len(corpus.changed),
            "bytes": tree_bytes(corpus.dir), "queries": [json.loads(l) for l in open(qfile)], "runs": runs,
            "reps": reps, "passes": passes}


# MARK: - Reporting

def med(runs, key):
    values = [r[key] for r in runs if key in r]
    return statistics.median(values) if values else None


def fmt(v, unit="", digits=2):
    if v is None:
        return "—"
    return f"{v:.{digits}f}{unit}"


def table(result):
    runs = result["runs"]
    rows = []
    header = "| engine | full index | CPU | peak RSS | index size | compacted | no-op reindex | 1% changed | query p50 | query p99 | batch of queries |"
    rows.append(header)
    rows.append("|" + "---|" * 11)
    for e in ENGINES:
        rs = runs[e]
        size = med(rs, "size")
        comp = med(rs, "compact_size")
        rows.append(f"| {e} | {fmt(med(rs, 'full'), ' s')} | {fmt(med(rs, 'full_cpu'), ' s')} | {fmt(med(rs, 'full_rss'), ' MB', 0)} | "
                    f"{fmt(size / 1e6 if size else None, ' MB', 0)} | {fmt(comp / 1e6 if comp else None, ' MB', 0)} | "
                    f"{fmt(med(rs, 'noop'), ' s', 3)} | {fmt(med(rs, 'changed'), ' s')} | {fmt(med(rs, 'p50'), ' ms')} | "
                    f"{fmt(med(rs, 'p99'), ' ms')} | {fmt(med(rs, 'batch'), ' s', 3)} |")
    return "\n".join(rows)


def ratio(runs, a, b, key, key_b=None):
    """The median over repetitions of a's value over b's in the same
    repetition (engines run one after the other within a repetition, so
    the machine's load, shared with other work, cancels out best there)."""
    values = [ra[key] / rb[key_b or key] for ra, rb in zip(runs[a], runs[b])
              if ra.get(key) and rb.get(key_b or key)]
    return statistics.median(values) if values else float("nan")


def ratios(result):
    runs = result["runs"]
    c = lambda k: med(runs["council"], k)
    lines = []

    def line(text, value, target, ok):
        verdict = "" if ok is None else "met" if ok else "not met"
        lines.append(f"| {text} | {value} | {target} | {verdict} |")

    lines.append("| target | measured (median of per-repetition ratios) | goal | |")
    lines.append("|---|---|---|---|")
    r = ratio(runs, "council", "omindex", "full")
    line("full index, council / omindex", f"{r:.2f}x", "≤ 0.5x", r <= 0.5)
    r = ratio(runs, "council", "sqlite-fts5", "full")
    line("full index, council / SQLite FTS5", f"{r:.2f}x", "≤ 1x", r <= 1)
    r = ratio(runs, "council", "council", "noop", "full")
    line("no-op reindex / full index (council)", f"{100 * r:.2f}%", "≤ 2%", r <= 0.02)
    r = ratio(runs, "council", "council", "changed", "full")
    line("1% changed / full index (council)", f"{100 * r:.2f}%", "≤ 5%", r <= 0.05)
    line("query p50 (council)", f"{c('p50'):.2f} ms", "≤ 1 ms", c("p50") <= 1)
    line("query p99 (council)", f"{c('p99'):.2f} ms", "≤ 10 ms", c("p99") <= 10)
    r = ratio(runs, "council", "tantivy", "batch")
    line("batch of queries, council / tantivy", f"{r:.2f}x", "≤ 1x", r <= 1)
    r = ratio(runs, "council", "xapian-native", "p50")
    line("query p50, council / native Xapian (same Xapian query)", f"{r:.2f}x", "≤ 1.10x", r <= 1.10)
    r = ratio(runs, "council", "xapian-native", "batch")
    line("batch of queries, council / native Xapian", f"{r:.2f}x", "≤ 1.10x", r <= 1.10)
    r = ratio(runs, "council", "xapian-native", "full")
    line("full index, council (reads, extracts, indexes) / native Xapian (indexes council's items)", f"{r:.2f}x", "(for reference)", None)
    r = max(x["full_rss"] for x in runs["council"])
    line("peak memory while indexing (council)", f"{r:.0f} MB", "< 1 GB", r < 1024)
    return "\n".join(lines)


def totals_table(result):
    """Matches per query and engine: the engines do comparable work (they
    differ by stemmer and by council's synonyms)."""
    runs = result["runs"]
    rows = ["| # | kind | council query | council | native | FTS5 | tantivy |", "|---|---|---|---|---|---|---|"]
    get = lambda e: runs[e][0].get("totals", [])
    c, n, f, t = get("council"), get("xapian-native"), get("sqlite-fts5"), get("tantivy")
    for i, q in enumerate(result["queries"]):
        cell = lambda lst: str(lst[i]) if i < len(lst) else "—"
        rows.append(f"| {i + 1} | {q['kind']} | `{q['council'].replace('|', '/')}` | {cell(c)} | {cell(n)} | {cell(f)} | {cell(t)} |")
    return "\n".join(rows)


def chart(results, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(len(results), 3, figsize=(13, 3.2 * len(results)), squeeze=False)
    colours = {"council": "#c0392b", "xapian-native": "#7f8c8d", "omindex": "#2980b9", "sqlite-fts5": "#27ae60", "tantivy": "#8e44ad"}
    for row, result in enumerate(results):
        runs = result["runs"]
        names = [e for e in ENGINES]
        for col, (key, label) in enumerate([("full", "full index (s)"), ("p50", "query p50 (ms)"), ("p99", "query p99 (ms)")]):
            ax = axes[row][col]
            vals = [med(runs[e], key) or 0 for e in names]
            ax.bar(range(len(names)), vals, color=[colours[e] for e in names])
            ax.set_xticks(range(len(names)))
            ax.set_xticklabels(names, rotation=20, fontsize=8)
            ax.set_title(f"{result['name']}: {label}", fontsize=10)
            for i, v in enumerate(vals):
                if v:
                    ax.text(i, v, f"{v:.2f}", ha="center", va="bottom", fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=80)


def machine():
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = {}
    for name, cmd in [("omindex", ["omindex", "--version"]), ("xapian", ["xapian-config", "--version"])]:
        try:
            versions[name] = subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
        except Exception:
            versions[name] = "?"
    import sqlite3
    try:
        import tantivy
        versions["tantivy"] = getattr(tantivy, "__version__", "installed")
    except ImportError:
        versions["tantivy"] = "missing"
    versions["sqlite"] = sqlite3.sqlite_version
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem, 1), "kernel": platform.release(), "versions": versions}


def main():
    global ENGINES
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="one repetition, one timed pass of queries")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--report-only", action="store_true", help="rewrite results.md and engines.png from the saved results")
    ap.add_argument("corpora", nargs="*")
    args = ap.parse_args()
    ENGINES = [e for e in args.engines.split(",") if e]
    reps, passes = (1, 1) if args.quick else (args.reps, args.passes)
    os.makedirs(WORK, exist_ok=True)
    logfile = open(os.path.join(RESULTS, "run.log"), "a")

    def log(text):
        line = time.strftime("%H:%M:%S ") + text
        print(line, flush=True)
        logfile.write(line + "\n")
        logfile.flush()

    info = machine()
    log(f"machine: {info}")
    for c in args.corpora:
        if args.report_only:
            break
        result = run_corpus(c, reps, passes, log)
        result["machine"] = info
        with open(os.path.join(RESULTS, f"{result['name']}.json"), "w") as f:
            json.dump(result, f, indent=1)
    # Report every corpus measured so far (each run keeps its CORPUS.json).
    results = []
    for name in sorted(os.listdir(RESULTS)):
        if name.endswith(".json") and name != "scale.json":
            results.append(json.load(open(os.path.join(RESULTS, name))))
    info = results[0]["machine"] if results else info
    md = [f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB, Linux {info['kernel']}; "
          + ", ".join(f"{k} {v}" for k, v in info["versions"].items()) + "."]
    for r in results:
        md.append(f"\n### {r['name']} ({r['files']} files, {r['bytes'] / 1e6:.0f} MB; {r['reps']} repetitions, "
                  f"{r['passes']} timed passes of {len(r['queries'])} queries; medians)\n")
        md.append(table(r))
        md.append("\n" + ratios(r))
        md.append("\n<details><summary>Matches per query</summary>\n\n" + totals_table(r) + "\n\n</details>")
    with open(os.path.join(RESULTS, "results.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    chart(results, os.path.join(RESULTS, "engines.png"))
    log("wrote " + os.path.join(RESULTS, "results.md"))


if __name__ == "__main__":
    main()
