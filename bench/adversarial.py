#!/usr/bin/env python3
"""Adversarial benchmark: how sitrep's work grows on hostile input.

    python3 bench/adversarial.py [--only NAME[,NAME...]]

Each case is one synthetic brief (it says it is synthetic) built to make a
naive implementation do more than linear work: thousands of identical
headings, thousands of broken links on one line, thousands of unknown
armed groups, a megabyte on one line, deep nesting, YAML alias bombs,
thousands of raw `<script>` tags. Each runs the release binary (`build`, or
`check` where the case is about messages) once on the hostile brief and
once on a benign twin of the same size (plain paragraphs), under
`/usr/bin/time -v`, and prints: wall time, peak memory, the files and bytes
written, the bytes of diagnostics printed, and the ratio of the hostile
run's time to its twin's. The goal the issue sets (issue 12) is each case
under 1 s and 200 MiB; the ratio shows whether the cost is the input's size
or its shape.

It reports; it never fails on figures. It fails if sitrep crashes (exit
code above 2) or is killed.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SITREP = os.path.join(REPO, "target", "release", "sitrep")

FRONT = "---\ntitle: Synthetic adversarial brief\ndate: 2023-01-01\ncountry: NE\nsummary: Synthetic input for a benchmark; this incident did not happen.\n"


def brief(front_extra, body):
    return FRONT + front_extra + "---\n" + body


def case_headings(n):
    return brief("", "## h\n\n" * n)


def case_broken_links(n):
    return brief("", " ".join("[x](/nope/)" for _ in range(n)) + "\n")


def case_unknown_groups(n):
    groups = ", ".join(f"Synthetic Group {i}" for i in range(n))
    return brief(f"armed_groups: [{groups}]\n", "Synthetic.\n")


def case_long_line(n):
    return brief("", "word " * (n // 5) + "[x](/nope/)\n")


def case_nesting(n):
    return brief("", ">" * n + " deep\n\n" + "".join("  " * i + "- item\n" for i in range(min(n, 2000))))


def case_yaml_aliases(n):
    # A "billion laughs": each level refers to the previous one ten times.
    lines = ["extra:", "  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, n):
        refs = ", ".join(f"*a{i - 1}" for _ in range(10))
        lines.append(f"  a{i}: &a{i} [{refs}]")
    return brief("\n".join(lines) + "\n", "Synthetic.\n")


def case_groups_in_many_briefs(n):
    """`n` unknown groups, 50 to a brief (the most a brief may name)."""
    files = {}
    for b in range(0, n, 50):
        groups = ", ".join(f"Synthetic Group {i}" for i in range(b, min(n, b + 50)))
        files[f"b{b}.md"] = brief(f"armed_groups: [{groups}]\n", "Synthetic.\n")
    return files


def case_scripts(n):
    return brief("", "<script>alert(1)</script>\n\n" * n)


CASES = [
    # name, command, generator, size
    ("headings-5000", "build", case_headings, 5000),
    ("headings-10000", "build", case_headings, 10000),
    ("broken-links-5000", "check", case_broken_links, 5000),
    ("unknown-groups-2500", "build", case_unknown_groups, 2500),
    ("unknown-groups-10000", "build", case_unknown_groups, 10000),
    ("long-line-1MB", "check", case_long_line, 1_000_000),
    ("groups-2500-in-50-briefs", "build", case_groups_in_many_briefs, 2500),
    ("nesting-10000", "build", case_nesting, 10000),
    ("yaml-aliases-9", "check", case_yaml_aliases, 9),
    ("scripts-5000", "check", case_scripts, 5000),
]


def size_of(text):
    return len(text.encode()) if isinstance(text, str) else sum(len(t.encode()) for t in text.values())


def benign_twin(text):
    """Plain paragraphs of the same size as `text`'s body (or bodies)."""
    if isinstance(text, dict):
        return {name: benign_twin(t) for name, t in text.items()}
    size = len(text.encode())
    para = "Synthetic benign paragraph of plain words for the same size.\n\n"
    body = para * max(1, (size - len(FRONT)) // len(para))
    return brief("", body)


def site(text):
    root = tempfile.mkdtemp(prefix="sitrep-adversarial-")
    os.makedirs(os.path.join(root, "content", "briefs"))
    with open(os.path.join(root, "site.yaml"), "w") as f:
        f.write("title: Synthetic adversarial site\n")
    files = text if isinstance(text, dict) else {"x.md": text}
    for name, body in files.items():
        with open(os.path.join(root, "content", "briefs", name), "w") as f:
            f.write(body)
    return root


def run(command, root):
    """Runs sitrep; returns (wall s, peak MiB, files, bytes written, diagnostics bytes)."""
    out = os.path.join(root, "public")
    args = [SITREP, command, "--root", root]
    report_file = os.path.join(root, "time.txt")
    result = subprocess.run(["/usr/bin/time", "-v", "-o", report_file, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with open(report_file) as f:
        report = f.read()
    status = re.search(r"Exit status: (\d+)", report)
    killed = re.search(r"Command terminated by signal (\d+)", report)
    if killed or (status and int(status.group(1)) > 2):
        sys.exit(f"sitrep crashed on {root}:\n{result.stderr[-3000:].decode(errors='replace')}\n{report}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", report)
    seconds = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", report).group(1)) / 1024
    printed = len(result.stdout) + len(result.stderr)
    files = written = 0
    for folder, _, names in os.walk(out):
        for name in names:
            files += 1
            written += os.path.getsize(os.path.join(folder, name))
    return seconds, peak, files, written, max(printed, 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="comma-separated case names")
    args = parser.parse_args()
    if not os.path.exists(SITREP):
        sys.exit("build the release binary first: cargo build --release")
    only = set(args.only.split(",")) if args.only else None
    print(f"{'case':<22} {'cmd':<6} {'input':>8} {'wall s':>7} {'twin s':>7} {'ratio':>6} {'peak MiB':>9} {'files':>7} {'written':>10} {'printed':>10}")
    for name, command, make, size in CASES:
        if only and name not in only:
            continue
        text = make(size)
        hostile = site(text)
        twin = site(benign_twin(text))
        try:
            wall, peak, files, written, printed = run(command, hostile)
            twin_wall = run(command, twin)[0]
        finally:
            shutil.rmtree(hostile, ignore_errors=True)
            shutil.rmtree(twin, ignore_errors=True)
        ratio = wall / twin_wall if twin_wall > 0 else float("nan")
        print(
            f"{name:<22} {command:<6} {size_of(text) / 1024:>6.0f}KB {wall:>7.2f} {twin_wall:>7.2f} {ratio:>6.1f}"
            f" {peak:>9.0f} {files:>7} {written / 1e6:>8.1f}MB {printed / 1e6:>8.2f}MB",
            flush=True,
        )


if __name__ == "__main__":
    main()
