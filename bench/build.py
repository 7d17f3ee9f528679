#!/usr/bin/env python3
"""Build benchmark: sitrep against Hugo on the same synthetic briefs.

    python3 bench/build.py [--sizes 1000,10000,100000] [--runs 3]

For each size, generates a synthetic site (every brief in it says it is
synthetic) and its Hugo twin with equivalent pages (a page per brief, per
country, per group and per year, term lists, a home page; Hugo's default
RSS feeds and sitemap stand against sitrep's feeds, sitemap and data files),
builds each once to fill its output folder, then runs the two builds
alternately `--runs` times, each a cold process rebuilding over its existing
output (the everyday case), under `/usr/bin/time -v`. Prints the median wall
time, CPU time (user + system) and peak memory of each, and the ratios
sitrep / Hugo against the targets (wall 0.25, memory 0.15).

Then, for sitrep alone: a build into an empty output folder (everything
written), a rebuild where nothing changed, and a rebuild after one brief's
text changed, each with the number of files whose modification time moved
(counted here from the disk, not taken from sitrep's own report).

It reports; it never fails on timing. It fails if a build fails.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SITREP = os.path.join(REPO, "target", "release", "sitrep")
GENERATOR = os.path.join(REPO, "target", "release", "examples", "synthetic_site")
TARGET_WALL = 0.25
TARGET_MEMORY = 0.15


def timed(args, cwd=None):
    """Runs `args` under /usr/bin/time -v; returns (wall s, cpu s, peak MiB, stdout)."""
    result = subprocess.run(
        ["/usr/bin/time", "-v", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{result.stdout}\n{result.stderr}")
    report = result.stderr

    def field(name):
        match = re.search(rf"^\s*{re.escape(name)}: (.+)$", report, re.M)
        if not match:
            sys.exit(f"/usr/bin/time printed no `{name}`:\n{report}")
        return match.group(1).strip()

    clock = [float(part) for part in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
    wall = sum(part * 60**power for power, part in enumerate(reversed(clock)))
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    peak = int(field("Maximum resident set size (kbytes)")) / 1024
    return wall, cpu, peak, result.stdout


def files_changed_since(folder, since_ns):
    """How many files under `folder` were modified at or after `since_ns`, and how many there are."""
    changed = total = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            total += 1
            if os.stat(os.path.join(dirpath, name)).st_mtime_ns >= since_ns:
                changed += 1
    return changed, total


def timed_build(cmd, public):
    """Runs a build under `timed`; returns its figures and (files it changed, files in all)."""
    start = time.time_ns()
    figures = timed(cmd)
    return figures, files_changed_since(public, start)


def median(rows, index):
    return statistics.median(row[index] for row in rows)


def bench_size(size, runs, work):
    sitrep_site = os.path.join(work, f"sitrep-{size}")
    hugo_site = os.path.join(work, f"hugo-{size}")
    subprocess.run([GENERATOR, str(size), sitrep_site, "--hugo", hugo_site], check=True, stdout=subprocess.DEVNULL)
    sitrep_cmd = [SITREP, "build", "--root", sitrep_site]
    hugo_cmd = ["hugo", "--quiet", "--source", hugo_site, "--destination", "public"]
    # Fill both output folders first: the timed runs rebuild over them.
    timed(sitrep_cmd)
    timed(hugo_cmd)
    results = {"sitrep": [], "hugo": []}
    for _ in range(runs):
        results["sitrep"].append(timed(sitrep_cmd))
        results["hugo"].append(timed(hugo_cmd))

    # sitrep alone: into an empty folder, nothing changed, one brief's text changed.
    public = os.path.join(sitrep_site, "public")
    shutil.rmtree(public)
    rebuilds = [("into an empty folder", *timed_build(sitrep_cmd, public))]
    rebuilds.append(("nothing changed", *timed_build(sitrep_cmd, public)))
    brief = next(
        os.path.join(dirpath, name)
        for dirpath, _, names in sorted(os.walk(os.path.join(sitrep_site, "content", "briefs")))
        for name in sorted(names)
    )
    with open(brief, "a", encoding="utf-8") as f:
        f.write("\nOne more synthetic sentence, added by the benchmark.\n")
    rebuilds.append(("one brief's text changed", *timed_build(sitrep_cmd, public)))
    shutil.rmtree(sitrep_site)
    shutil.rmtree(hugo_site)
    return results, rebuilds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated brief counts")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each tool per size")
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    if not shutil.which("hugo"):
        sys.exit("hugo is not installed (Debian: apt-get install hugo)")
    subprocess.run(
        ["cargo", "build", "--quiet", "--locked", "--release", "--bin", "sitrep", "--example", "synthetic_site"],
        cwd=REPO,
        check=True,
    )
    hugo_version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]
    print(f"sitrep {subprocess.run([SITREP, '--version'], capture_output=True, text=True).stdout.strip()}, "
          f"hugo {hugo_version}, {os.cpu_count()} CPUs, {args.runs} alternating runs each, medians")
    print()
    print("| briefs | tool | wall s | CPU s | peak MiB | wall ratio (target ≤ 0.25) | memory ratio (target ≤ 0.15) |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    walls = {}
    extras = []
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-") as work:
        for size in sizes:
            results, rebuilds = bench_size(size, args.runs, work)
            s, h = results["sitrep"], results["hugo"]
            wall_ratio = median(s, 0) / median(h, 0)
            memory_ratio = median(s, 2) / median(h, 2)
            walls[size] = median(s, 0)
            print(f"| {size:,} | hugo | {median(h, 0):.2f} | {median(h, 1):.2f} | {median(h, 2):.0f} | | |")
            print(
                f"| {size:,} | sitrep | {median(s, 0):.2f} | {median(s, 1):.2f} | {median(s, 2):.0f} "
                f"| {wall_ratio:.2f}{'' if wall_ratio <= TARGET_WALL else ' (missed)'} "
                f"| {memory_ratio:.2f}{'' if memory_ratio <= TARGET_MEMORY else ' (missed)'} |"
            )
            sys.stdout.flush()
            extras.append((size, rebuilds, median(s, 0)))
    print()
    print("| briefs | sitrep build | wall s | peak MiB | ratio to the timed rebuild above | files written / total |")
    print("|---:|---|---:|---:|---:|---:|")
    for size, rebuilds, timed_wall in extras:
        for name, run, (written, total) in rebuilds:
            print(f"| {size:,} | {name} | {run[0]:.2f} | {run[2]:.0f} | {run[0] / timed_wall:.2f} | {written:,} / {total:,} |")
    ordered = sorted(walls)
    for small, large in zip(ordered, ordered[1:]):
        print(f"\ngrowth {small:,} → {large:,} briefs: sitrep wall × {walls[large] / walls[small]:.1f} "
              f"for × {large / small:.0f} briefs")


if __name__ == "__main__":
    main()
