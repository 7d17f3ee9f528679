#!/usr/bin/env python3
"""Build benchmark: sitrep against Hugo on the same synthetic briefs.

    python3 bench/build.py [--sizes 1000,10000,100000] [--runs 3] [--plain-only]

For each size, generates a synthetic site (every brief in it says it is
synthetic), its Hugo twin with equivalent pages (a page per brief, per
country, per group and per year, term lists, a home page; Hugo's default
RSS feeds and sitemap stand against sitrep's feeds, sitemap and data files),
and a copy of the sitrep site with everything on: search, and English and
French with a tenth of the briefs translated (`--plain-only` leaves it
out). That copy is compared with Hugo's twin, which has neither (so that
work counts against sitrep: the targets), and, up to 20,000 briefs, with
the twin made bilingual in the same way (a fourth tool, "hugo,
bilingual": the same briefs translated, a French page for each group).
Then times, under `/usr/bin/time -v`, each tool's runs alternately,
`--runs` times each:

- cold: a build into an output folder that does not exist (what every CI
  run does), on a file system made for that run (see below);
- warm: a build over its own existing output (the everyday local case).

Before each timed build, of either kind, the tool's input is read through
(so it is in the page cache, as after a checkout, whichever tool ran
before) and the disks are synced.

Prints the median wall time, CPU time (user + system) and peak memory of
each, and the ratios sitrep / Hugo against the targets: cold wall 0.25,
warm wall 0.15, peak memory 0.15 (the larger of the cold and warm peaks).

Then, for sitrep alone: a rebuild where nothing changed and one after one
brief's text changed, each with the number of files whose modification
time moved (counted here from the disk, not taken from sitrep's report).

Where the outputs go (`--disk`): a CI runner writes its site onto a fresh
file system, where nothing was ever deleted. On a machine's aged ext4
(this project's), creating a file or folder first looks at the free
inodes in its group, reading each one's table entry to skip those deleted
in the last seconds (`recently_deleted` in the kernel's inode allocator):
on the same 10,000 briefs and the same binary, a cold build took 1.2 s of
system time on one run and 3.6 s on the next, and the ratios moved by a
fifth between runs minutes apart. So by default (`--disk fresh`, when run
as root with `mkfs.ext4` and loop devices), each cold build writes onto an
ext4 file system made for it, in a sparse file under the work folder and
mounted on a loop device (journal and inode tables written in full by
`mkfs`, so no background initialisation runs during the timing); the warm
builds reuse the last one. `--disk same` writes into the work folder on
the machine's own file system instead: then nothing is deleted until
every size has been timed (outputs are moved aside, and the sites of
sizes already done wait in one folder), so that no build scans past the
inodes the last one freed.

With Pagefind on the PATH (`pagefind` or `pagefind_extended`; npm's
`pagefind` package), a fifth: the bilingual Hugo followed by Pagefind over
its output (an index per language of the brief pages, as sitrep makes),
which is how a Hugo site gets the search sitrep builds in; the search +
French copy is then also compared with it, in a row of its own.

It reports; it never fails on timing. It fails if a build fails. Zola is
not run: no `zola` binary is packaged for Debian, and the generator makes
no Zola twin.
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

import synthetic

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SITREP = os.path.join(REPO, "target", "release", "sitrep")
GENERATOR = os.path.join(REPO, "target", "release", "examples", "synthetic_site")
PAGEFIND = shutil.which("pagefind_extended") or shutil.which("pagefind")
BILINGUAL = "hugo, bilingual"
WITH_SEARCH = "hugo bilingual + pagefind"
# Hugo's bilingual twin is built up to this size: at 100,000 briefs Hugo
# alone peaks at 17-18 GiB of this machine's 24.
BILINGUAL_UP_TO = 20_000
TARGET_COLD = 0.25
TARGET_WARM = 0.15
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


def read_through(site):
    """Reads every file of `site` (but its output folders) so that the
    page cache holds the input, as after a checkout: a tool timed right
    after another whose build took most of the memory (Hugo's peaks at
    17 GiB at 100,000 briefs) would otherwise read it back from the disk."""
    for dirpath, dirnames, names in os.walk(site):
        dirnames[:] = [d for d in dirnames if d != "public"]
        for name in names:
            with open(os.path.join(dirpath, name), "rb") as f:
                while f.read(1 << 20):
                    pass


def median(rows, index):
    return statistics.median(row[index] for row in rows)


def discard(path, work):
    """Moves `path` into `work`'s folder of things to delete once everything is timed."""
    if os.path.lexists(path):
        discarded = os.path.join(work, "discarded")
        os.makedirs(discarded, exist_ok=True)
        os.rename(path, os.path.join(discarded, str(len(os.listdir(discarded)))))


class FreshDisks:
    """File systems made for one cold build each: an ext4 in a sparse file
    under `work`, on a loop device, at most one per tool at a time."""

    def __init__(self, work, gib):
        self.work = work
        self.gib = gib
        self.mounted = {}
        self.made = 0

    @staticmethod
    def usable(work):
        """Why fresh file systems cannot be made here, or None if they can."""
        if os.geteuid() != 0:
            return "not run as root (mounting needs it)"
        if not shutil.which("mkfs.ext4") or not shutil.which("mount"):
            return "no mkfs.ext4 or mount (Debian: e2fsprogs, mount)"
        probe = FreshDisks(work, 1)
        try:
            probe.new("probe")
        except subprocess.CalledProcessError as e:
            return f"could not mount a loop device: {e.stderr.strip() if e.stderr else e}"
        finally:
            probe.close()
        return None

    def new(self, tool):
        """Unmounts `tool`'s last file system and makes it a new one; returns where it is mounted."""
        self.drop(tool)
        self.made += 1
        image = os.path.join(self.work, f"disk-{self.made}.img")
        mount = os.path.join(self.work, f"disk-{self.made}")
        with open(image, "wb") as f:
            f.truncate(self.gib << 30)
        run = lambda *args: subprocess.run(args, check=True, capture_output=True, text=True)
        run("mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0", image)
        os.makedirs(mount)
        try:
            run("mount", "-o", "loop", image, mount)
        except subprocess.CalledProcessError:
            os.rmdir(mount)
            os.remove(image)
            raise
        self.mounted[tool] = (image, mount)
        return mount

    def drop(self, tool):
        if tool in self.mounted:
            image, mount = self.mounted.pop(tool)
            subprocess.run(["umount", mount], check=True)
            os.rmdir(mount)
            os.remove(image)

    def close(self):
        for tool in list(self.mounted):
            self.drop(tool)


def bench_size(size, runs, work, full_copy, fresh):
    plain = os.path.join(work, f"sitrep-{size}")
    full = os.path.join(work, f"sitrep-full-{size}")
    hugo_site = os.path.join(work, f"hugo-{size}")
    bilingual = os.path.join(work, f"hugo-bilingual-{size}")
    subprocess.run([GENERATOR, str(size), plain, "--hugo", hugo_site], check=True, stdout=subprocess.DEVNULL)
    # Each tool's command for an output folder.
    tools = {
        "hugo": (lambda out: ["hugo", "--quiet", "--source", hugo_site, "--destination", out], hugo_site),
        "sitrep": (lambda out: [SITREP, "build", "--root", plain, "--output", out], plain),
    }
    if full_copy:
        shutil.copytree(plain, full)
        synthetic.add_search(full)
        translated = synthetic.add_french(full)
        tools["sitrep, search + French"] = (lambda out: [SITREP, "build", "--root", full, "--output", out], full)
        if size <= BILINGUAL_UP_TO:
            shutil.copytree(hugo_site, bilingual)
            synthetic.add_french_hugo(bilingual, translated)
            tools[BILINGUAL] = (lambda out: ["hugo", "--quiet", "--source", bilingual, "--destination", out],
                                bilingual)
            if PAGEFIND:
                tools[WITH_SEARCH] = (lambda out: ["sh", "-c", 'hugo --quiet --source "$1" --destination "$2" && '
                                                   '"$3" --site "$2" > /dev/null', "sh", bilingual, out, PAGEFIND],
                                      bilingual)
    results = {name: {"cold": [], "warm": []} for name in tools}
    outputs = {}
    try:
        for _ in range(runs):
            for name, (cmd, site) in tools.items():
                if fresh:
                    outputs[name] = os.path.join(fresh.new(name), "public")
                else:
                    outputs[name] = os.path.join(site, "public")
                    discard(outputs[name], work)
                read_through(site)
                os.sync()
                results[name]["cold"].append(timed(cmd(outputs[name])))
        for _ in range(runs):
            for name, (cmd, site) in tools.items():
                read_through(site)
                os.sync()
                results[name]["warm"].append(timed(cmd(outputs[name])))

        # sitrep alone: nothing changed, one brief's text changed.
        public = outputs["sitrep"]
        cmd = tools["sitrep"][0](public)
        rebuilds = [("nothing changed", *timed_build(cmd, public))]
        brief = next(
            os.path.join(dirpath, name)
            for dirpath, _, names in sorted(os.walk(os.path.join(plain, "content", "briefs")))
            for name in sorted(names)
        )
        with open(brief, "a", encoding="utf-8") as f:
            f.write("\nOne more synthetic sentence, added by the benchmark.\n")
        rebuilds.append(("one brief's text changed", *timed_build(cmd, public)))
    finally:
        if fresh:
            fresh.close()
    for site in (plain, full, hugo_site, bilingual):
        discard(site, work)
    return results, rebuilds


def mark(ratio, target):
    return f"{ratio:.2f}{'' if ratio <= target else ' (missed)'}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated brief counts")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each tool per size, cold and warm")
    parser.add_argument("--plain-only", action="store_true",
                        help="skip the copy with search and French (at 100,000 briefs its search index alone "
                             "takes minutes and gigabytes)")
    parser.add_argument("--disk", choices=["fresh", "same"], default="fresh",
                        help="where the outputs go: a new ext4 for each cold build (as on a CI runner; needs "
                             "root and loop devices, else falls back to `same`), or the work folder's own "
                             "file system")
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
    work_folder = tempfile.TemporaryDirectory(prefix="sitrep-bench-")
    work = work_folder.name
    fresh = None
    where = "outputs in the work folder's own file system"
    if args.disk == "fresh":
        why_not = FreshDisks.usable(work)
        if why_not:
            where += f" (no fresh file systems: {why_not})"
        else:
            # Room for the largest output with its staging copy, sparse.
            fresh = FreshDisks(work, max(4, max(sizes) // 8000))
            where = "each cold build on a new ext4 (loop device), warm builds over the last one"
    print(f"sitrep {subprocess.run([SITREP, '--version'], capture_output=True, text=True).stdout.strip()}, "
          f"hugo {hugo_version}, {os.cpu_count()} CPUs, {args.runs} alternating runs each, medians; {where}")
    if not args.plain_only:
        print(f"\n{BILINGUAL}: Hugo's twin in English and French, the same briefs translated "
              f"(up to {BILINGUAL_UP_TO:,} briefs)")
    if PAGEFIND and not args.plain_only:
        pagefind_version = subprocess.run([PAGEFIND, "--version"], capture_output=True, text=True).stdout.strip()
        print(f"{WITH_SEARCH}: {pagefind_version} ({PAGEFIND}) over the bilingual Hugo's output")
    print()
    print("| briefs | tool | cold wall s | cold CPU s | warm wall s | warm CPU s | peak MiB "
          f"| cold ratio (≤ {TARGET_COLD}) | warm ratio (≤ {TARGET_WARM}) | memory ratio (≤ {TARGET_MEMORY}) |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    growth = {}
    extras = []
    with work_folder:
        for size in sizes:
            results, rebuilds = bench_size(size, args.runs, work, not args.plain_only, fresh)
            hugo = results["hugo"]
            hugo_peak = max(median(hugo["cold"], 2), median(hugo["warm"], 2))
            for name, runs in results.items():
                c, w = runs["cold"], runs["warm"]
                peak = max(median(c, 2), median(w, 2))
                row = (f"| {size:,} | {name} | {median(c, 0):.2f} | {median(c, 1):.2f} | {median(w, 0):.2f} "
                       f"| {median(w, 1):.2f} | {peak:.0f} ")
                peers = [] if name.startswith("hugo") else [("", hugo, hugo_peak)]
                if name == "sitrep, search + French":
                    for like in (BILINGUAL, WITH_SEARCH):
                        if like in results:
                            peer = results[like]
                            peer_peak = max(median(peer["cold"], 2), median(peer["warm"], 2))
                            peers.append((f" (against {like})", peer, peer_peak))
                if not peers:
                    print(row + "| | | |")
                for against, peer, peer_peak in peers:
                    print(row.replace(f"| {name} |", f"| {name}{against} |")
                          + f"| {mark(median(c, 0) / median(peer['cold'], 0), TARGET_COLD)} "
                          f"| {mark(median(w, 0) / median(peer['warm'], 0), TARGET_WARM)} "
                          f"| {mark(peak / peer_peak, TARGET_MEMORY)} |")
                if peers:
                    growth.setdefault(name, {})[size] = (median(c, 0), median(w, 0), peak)
            sys.stdout.flush()
            extras.append((size, rebuilds, median(results["sitrep"]["warm"], 0)))
    print()
    print("| briefs | sitrep rebuild | wall s | peak MiB | ratio to the warm build above | files written / total |")
    print("|---:|---|---:|---:|---:|---:|")
    for size, rebuilds, warm_wall in extras:
        for name, run, (written, total) in rebuilds:
            print(f"| {size:,} | {name} | {run[0]:.2f} | {run[2]:.0f} | {run[0] / warm_wall:.2f} | {written:,} / {total:,} |")
    for name, by_size in growth.items():
        ordered = sorted(by_size)
        for small, large in zip(ordered, ordered[1:]):
            (c1, w1, p1), (c2, w2, p2) = by_size[small], by_size[large]
            print(f"\n{name}, {small:,} → {large:,} briefs (× {large / small:.0f}): cold wall × {c2 / c1:.1f}, "
                  f"warm wall × {w2 / w1:.1f}, peak {p1:.0f} → {p2:.0f} MiB")


if __name__ == "__main__":
    main()
