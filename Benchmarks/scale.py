"""Scale run: a synthetic corpus (synth.py) grown in stages up to a number
of items, indexed by council at each stage (only the new papers are read,
as a nightly run would), with query latency measured at each size.

    scale.py [--items 10000,30000,100000,300000,1000000] [--source DIR] QUERIES.jsonl

Writes Benchmarks/results/scale.json, scale.md and scale.png after each
stage, so a run stopped early still reports the sizes it reached.
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "engines"))
sys.path.insert(0, HERE)
import synth  # noqa: E402
from bench import COUNCIL, RESULTS, WORK, council_stdin, measure_rusage  # noqa: E402
from common import percentile  # noqa: E402


def items_per_file(source):
    """Items per paper of the source corpus, from a council index of a sample."""
    work = os.path.join(WORK, "scale", "sample")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    files = synth.sources([source])[::max(1, len(synth.sources([source])) // 300)]
    for i, f in enumerate(files):
        shutil.copy(f, os.path.join(work, f"{i}{os.path.splitext(f)[1]}"))
    out = subprocess.run([COUNCIL, "index", "--json", "--db", os.path.join(work, "index"), work], capture_output=True, text=True).stdout
    summary = json.loads(out.strip().splitlines()[-1])
    return summary["items"] / max(1, summary["added"])


def chart(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 3.6))
    x = [r["items"] for r in rows]
    a.plot(x, [r["cumulative_seconds"] for r in rows], "o-", color="#c0392b")
    a.set_xscale("log")
    a.set_xlabel("items in the index")
    a.set_ylabel("index time, cumulative (s)")
    a.set_title("council: indexing time against size")
    b.plot(x, [r["p99"] for r in rows], "o-", color="#8e44ad", label="p99")
    b.plot(x, [r["p50"] for r in rows], "o-", color="#27ae60", label="p50")
    b.set_xscale("log")
    b.set_xlabel("items in the index")
    b.set_ylabel("query latency (ms)")
    b.set_title("council: query latency against size")
    b.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=80)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", default="10000,30000,100000,300000,1000000")
    ap.add_argument("--source", default=os.path.join(os.path.dirname(os.path.dirname(HERE)), "shared", "corpora", "limerick"))
    ap.add_argument("--passes", type=int, default=2)
    ap.add_argument("queries")
    args = ap.parse_args()
    targets = [int(t) for t in args.items.split(",")]
    work = os.path.join(WORK, "scale")
    corpus, index = os.path.join(work, "corpus"), os.path.join(work, "index")
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(index + ".d", ignore_errors=True)
    if os.path.exists(index):
        os.remove(index)
    per_file = items_per_file(args.source)
    rows, cumulative, items = [], 0.0, 0
    log = open(os.path.join(RESULTS, "run.log"), "a")
    for target in targets:
        files = math.ceil(target / per_file)
        start = time.perf_counter()
        synth.grow(corpus, files, [args.source])
        generated = time.perf_counter() - start
        run = measure_rusage([COUNCIL, "index", "--json", "--db", index, corpus])
        summary = json.loads(run["out"].strip().splitlines()[-1])
        items += summary["items"]
        cumulative += run["wall"]
        cmd = [COUNCIL, "repl", "--timings", "--db", index]
        q = measure_rusage(cmd, stdin=council_stdin(args.queries, args.passes + 1))
        ms = [json.loads(l)["ms"] for l in q["out"].splitlines() if l.startswith("{")]
        n = len(ms) // (args.passes + 1)
        timed = ms[n:]
        size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(index + ".d") for f in fs)
        row = {"target": target, "files": files, "items": items, "stage_seconds": run["wall"], "stage_cpu": run["cpu"],
               "cumulative_seconds": cumulative, "peak_rss_mb": run["rss_mb"], "added": summary["added"],
               "p50": percentile(timed, 50), "p99": percentile(timed, 99), "index_bytes": size, "generate_seconds": generated}
        rows.append(row)
        line = (f"{time.strftime('%H:%M:%S')} scale: {items} items ({files} files): stage {run['wall']:.1f} s, cumulative "
                f"{cumulative:.1f} s, peak RSS {run['rss_mb']:.0f} MB, p50 {row['p50']:.2f} ms, p99 {row['p99']:.2f} ms")
        print(line, flush=True)
        log.write(line + "\n")
        log.flush()
        json.dump(rows, open(os.path.join(RESULTS, "scale.json"), "w"), indent=1)
        with open(os.path.join(RESULTS, "scale.md"), "w") as f:
            f.write("| items | papers | stage index time | cumulative index time | items/s (stage) | peak RSS | index size | query p50 | query p99 |\n")
            f.write("|---|---|---|---|---|---|---|---|---|\n")
            prev = 0
            for r in rows:
                rate = (r["items"] - prev) / r["stage_seconds"]
                prev = r["items"]
                f.write(f"| {r['items']:,} | {r['files']:,} | {r['stage_seconds']:.1f} s | {r['cumulative_seconds']:.1f} s | {rate:.0f} | "
                        f"{r['peak_rss_mb']:.0f} MB | {r['index_bytes'] / 1e9:.2f} GB | {r['p50']:.2f} ms | {r['p99']:.2f} ms |\n")
        chart(rows, os.path.join(RESULTS, "scale.png"))


if __name__ == "__main__":
    main()
