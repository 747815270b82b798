#!/usr/bin/env python3
"""Turns bench/run.sh's measurements into a table (stdout) and bench/results/latest.md."""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess

TABLES = ("matomo_visits", "matomo_actions", "matomo_custom_dimensions", "matomo_conversions",
          "matomo_ecommerce_items", "matomo_raw_visits")


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work"), ap.add_argument("--part"), ap.add_argument("--visits", type=int)
    ap.add_argument("--runs", type=int), ap.add_argument("--out")
    args = ap.parse_args()
    work = args.work
    manifest = json.load(open(os.path.join(args.part, "_manifest.json")))
    mb = manifest["bytes"] / 1e6
    visits = manifest["visits"]
    compressed = sum(p["compressed_bytes"] for p in manifest["parts"]) / 1e6

    runs = {}  # name -> list of (wall, cpu, rss_mb)
    for line in open(os.path.join(work, "results.tsv")):
        name, run, wall, user, sys_, rss = line.split("\t")
        runs.setdefault(name, {})[int(run)] = (float(wall), float(user) + float(sys_), int(rss) / 1024)
    # Baseline A is the python step plus the COPY step of the same run.
    if "baseline_a_python" in runs:
        runs["baseline_a"] = {r: tuple(p + c if i < 2 else max(p, c) for i, (p, c) in
                                       enumerate(zip(runs["baseline_a_python"][r], runs["baseline_a_copy"][r])))
                              for r in runs["baseline_a_python"]}

    def med(name, i):
        return statistics.median(v[i] for v in runs[name].values())

    def all_of(name, i):
        return ", ".join(f"{v[i]:.1f}" for _, v in sorted(runs[name].items()))

    norm = json.load(open(os.path.join(work, "normalize.json")))
    per_rep = [b for b in norm["benchmarks"] if b.get("run_type") == "iteration"]
    norm_mbs = [b["bytes_per_second"] / 1e6 for b in per_rep]
    norm_med = statistics.median(norm_mbs) if norm_mbs else float("nan")
    ctx = norm.get("context", {})

    compare = [l.split("\t") for l in open(os.path.join(work, "compare.tsv")).read().splitlines() if l]
    extract = open(os.path.join(work, "extract.txt")).read().strip()

    rss = {}
    for n in (10000, 100000, 300000):
        if f"rss_{n}" in runs:
            m = json.load(open(os.path.join(work, f"landing-{n}", "site=1", "date=2026-11-25", "_manifest.json")))
            rss[n] = (runs[f"rss_{n}"][1][2], m["visits"], m["bytes"] / 1e6, runs[f"rss_{n}"][1][0])

    load_wall, load_cpu, load_rss = med("load", 0), med("load", 1), med("load", 2)
    rows = [
        ("matomo-etl load", "load"),
        ("floor: CREATE TABLE AS copies", "floor"),
        ("  the same copies within 96 MB (the load's memory_limit)", "floor_bounded"),
        ("baseline A: python -> CSV -> COPY", "baseline_a"),
        ("  A1: python -> CSV", "baseline_a_python"),
        ("  A2: DuckDB COPY of the CSV", "baseline_a_copy"),
        ("baseline B: DuckDB read_json + UNNEST", "baseline_b"),
    ]
    out = []
    out.append(f"| step | wall s (median) | CPU s (median) | raw JSON MB/s (wall) | visits/s (wall) | peak RSS MB | "
               f"wall s of each run |")
    out.append("|---|---:|---:|---:|---:|---:|---|")
    for label, name in rows:
        if name not in runs:
            continue
        w, c, r = med(name, 0), med(name, 1), med(name, 2)
        out.append(f"| {label} | {w:.2f} | {c:.2f} | {mb / w:.0f} | {visits / w:,.0f} | {r:.0f} | {all_of(name, 0)} |")
    table = "\n".join(out)

    def ratio_line(what, value, target, ok):
        return f"| {what} | {value} | {target} | {'met' if ok else 'MISSED'} |"

    floor_w, floor_c = med("floor", 0), med("floor", 1)
    a_w, a_c = med("baseline_a", 0), med("baseline_a", 1)
    b_w, b_c = med("baseline_b", 0), med("baseline_b", 1)
    targets = ["| target | measured | goal | |", "|---|---|---|---|"]
    targets.append(ratio_line("normalizer alone, MB/s per core", f"{norm_med:.0f} MB/s", ">= 300", norm_med >= 300))
    targets.append(ratio_line("load / floor (wall)", f"{load_wall / floor_w:.2f}x", "<= 1.5x", load_wall / floor_w <= 1.5))
    targets.append(ratio_line("load / floor (CPU)", f"{load_cpu / floor_c:.2f}x", "<= 1.5x", load_cpu / floor_c <= 1.5))
    if "floor_bounded" in runs:
        targets.append(f"| load / floor within the same 96 MB (wall) | {load_wall / med('floor_bounded', 0):.2f}x "
                       "| (not a target) | |")
    targets.append(ratio_line("baseline A / load (wall)", f"{a_w / load_wall:.1f}x", ">= 2x", a_w / load_wall >= 2))
    targets.append(ratio_line("baseline A / load (CPU)", f"{a_c / load_cpu:.1f}x", ">= 2x", a_c / load_cpu >= 2))
    targets.append(ratio_line("baseline B / load (wall)", f"{b_w / load_wall:.1f}x", ">= 2x", b_w / load_wall >= 2))
    targets.append(ratio_line("baseline B / load (CPU)", f"{b_c / load_cpu:.1f}x", ">= 2x", b_c / load_cpu >= 2))
    targets.append(ratio_line("load peak RSS", f"{load_rss:.0f} MB", "<= 300 MB", load_rss <= 300))
    if rss:
        # Flat: bounded at every size, and not growing with the day once DuckDB's memory_limit is full.
        # A 10,000-visit day holds less than the limit until its commit, so it peaks lower: comparing
        # with it would count the limit filling up as growth (and reward a small day using more).
        vals = [v[0] for v in rss.values()]
        flat = max(vals) <= 300
        if 100000 in rss and 300000 in rss:
            flat = flat and rss[300000][0] <= 1.15 * rss[100000][0]
        targets.append(ratio_line("RSS flat as the day grows",
                                  ", ".join(f"{n // 1000}k: {v[0]:.0f} MB" for n, v in rss.items()),
                                  "<= 300 MB; 300k within 1.15x of 100k", flat))
    if "partitions4_pg_1" in runs and "partitions4_pg_2" in runs:
        p1, p2 = med("partitions4_pg_1", 0), med("partitions4_pg_2", 0)
        targets.append(ratio_line("4 partitions into PostgreSQL, --threads 2 vs 1 (wall)", f"{p1 / p2:.2f}x faster",
                                  ">= 1.5x on 2 cores", p1 / p2 >= 1.5))
    if "partitions4_duckdb" in runs:
        d4 = med("partitions4_duckdb", 0)
        targets.append(f"| 4 partitions into DuckDB (one writer by design) | {d4:.2f} s, "
                       f"{d4 / load_wall:.2f}x one day of {args.visits:,} visits | (not a target) | |")
    targets = "\n".join(targets)

    cpu = sh("lscpu | sed -n 's/^Model name: *//p'") or platform.processor()
    load_avg = " ".join(open("/proc/loadavg").read().split()[:3])
    mem = sh("free -g | awk '/Mem:/ {print $2}'")
    version_file = os.path.join(work, "duckdb_version.txt")
    duckdb_ver = open(version_file).read().strip() if os.path.exists(version_file) else ""
    type_file = os.path.join(work, "build_type.txt")
    build_type = (open(type_file).read().strip() if os.path.exists(type_file) else "") or "?"
    md = []
    md.append("# matomo-etl benchmarks (`make bench`)\n")
    md.append(f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}")
    md.append(f"- machine: {cpu}, {os.cpu_count()} cores, {mem} GB RAM, {platform.platform()}; "
              f"load average at the end: {load_avg} (other work shares this machine: wall times are noisy, "
              "CPU seconds are steadier)")
    md.append(f"- git: {sh('git -C ' + os.path.dirname(os.path.abspath(__file__)) + ' rev-parse --short HEAD')}; "
              f"libduckdb {duckdb_ver or '(version unknown)'}; matomo-etl and metl_bench built {build_type}; Google Benchmark library: {ctx.get('library_build_type', '?')} build (Debian's)")
    md.append(f"- input: one day of one UTC site made by matomo-sim (--visits-per-day {args.visits}), landed by "
              f"`matomo-etl extract` with the default compression (zstd): {visits:,} visits, {mb:.0f} MB of raw "
              f"JSON, {compressed:.0f} MB of zstd parts")
    md.append(f"- runs: {args.runs} of each measurement; medians reported (the run of each is listed)")
    md.append("")
    md.append("## Load, floor and baselines (same input, same rows)\n")
    md.append(table)
    md.append("")
    md.append("Rows written (all three write the same rows; EXCEPT against matomo-etl's tables counts the "
              "differing ones):\n")
    md.append("| table | rows | differ in A | differ in B |")
    md.append("|---|---:|---:|---:|")
    for r in compare:
        md.append("| " + " | ".join(r) + " |")
    md.append("")
    md.append("## Normalizer alone\n")
    md.append(f"JSON to typed column batches, sink discarded, one thread, lines already decompressed in memory: "
              f"median {norm_med:.0f} MB/s per core ({', '.join(f'{x:.0f}' for x in norm_mbs)} MB/s), "
              f"{visits * norm_med / mb:,.0f} visits/s.")
    md.append("")
    if rss:
        md.append("## Peak RSS of `matomo-etl load` as the day grows\n")
        md.append("| visits | raw JSON MB | load wall s | peak RSS MB |")
        md.append("|---:|---:|---:|---:|")
        for n, (r, v, m, w) in rss.items():
            md.append(f"| {v:,} | {m:.0f} | {w:.1f} | {r:.0f} |")
        md.append("")
    several = [(label, name) for label, name in (
        ("DuckDB (one writer; the days in one transaction)", "partitions4_duckdb"),
        ("PostgreSQL, --threads 1", "partitions4_pg_1"),
        ("PostgreSQL, --threads 2", "partitions4_pg_2")) if name in runs]
    if several:
        md.append("## Several partitions\n")
        md.append(f"4 partitions (2 sites x 2 days of {args.visits // 4:,} visits) loaded into a fresh warehouse "
                  "(PostgreSQL: a throwaway server on this machine, fsync off; its CPU is not in the client's):\n")
        md.append("| warehouse | wall s (median) | client CPU s (median) | client peak RSS MB | wall s of each run |")
        md.append("|---|---:|---:|---:|---|")
        for label, name in several:
            md.append(f"| {label} | {med(name, 0):.2f} | {med(name, 1):.2f} | {med(name, 2):.0f} | {all_of(name, 0)} |")
        md.append("")
    md.append("## Extraction rate (bench/extract_rate.sh)\n")
    md.append("Matomo Cloud's limits on matomo-sim: 200 requests/min, 8 concurrent, pages of 1,000 visits, "
              "50 ms + 1 ms per visit of latency.\n")
    md.append("```\n" + (extract or "(skipped)") + "\n```")
    md.append("")
    md.append("## Targets\n")
    md.append(targets)
    md.append("")
    text = "\n".join(md)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    open(args.out, "w").write(text)
    print(table)
    print()
    print(f"normalizer alone: {norm_med:.0f} MB/s per core")
    for label, name in several:
        print(f"4 partitions, {label}: {med(name, 0):.2f} s")
    if rss:
        print("peak RSS of load: " + ", ".join(f"{n // 1000}k visits {v[0]:.0f} MB" for n, v in rss.items()))
    m = re.findall(r"^(requests:.*|steady-state.*|peak requests.*)$", extract, re.M)
    for line in m:
        print("extract: " + line)
    print()
    print(targets)
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
