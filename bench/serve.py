#!/usr/bin/env python3
"""Benchmark of `sitrep serve`: time from saving a file to the live-reload
event that tells open pages to reload.

    python3 bench/serve.py [--briefs 10000] [--edits 15] [--search] [--bilingual]

Generates a synthetic site (every brief in it says it is synthetic), starts
the release binary's `serve` on a free port, listens to the live-reload
stream as a browser would, then edits briefs and a template on disk and
times each save until its event arrives. Prints medians and their ratios to
the targets at 10,000 briefs: 50 ms for a text edit (timed three times: a
brief's title, which shows in lists too; the title of one of the newest
briefs, which the home page's map shows in every language; and a sentence
added to a brief's body), 100 ms for a date edit
(the brief moves in every list), 1.5 s from starting `serve` to the first
page served. `serve` lays the site out and serves at once, making each page
as it is first asked for, then makes and checks the whole site: the time
until that is done is printed too, and the edits wait for it. No peer is run here: Zola and Hugo previews
cannot be given the same input (their content formats differ), so the
target, not a peer, is the yardstick for this figure.

With --search the site has `search: true`; after the edits, the script also
times the search index after an edit: how soon the first request for it is
answered (by the index made before the edit, while `serve` makes the new
one) and how long the new one takes to be served.

With --bilingual the site is in English and French (`languages: [en, fr]`),
and every tenth brief has a French translation beside it (synthetic too).
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import queue
import urllib.request

import synthetic

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(*args):
    subprocess.run(args, cwd=REPO, check=True)


class Events(threading.Thread):
    """Reads the Server-Sent Events stream; puts (time, name) on a queue."""

    def __init__(self, port, base):
        super().__init__(daemon=True)
        self.queue = queue.Queue()
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(f"GET {base}__sitrep/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())

    def run(self):
        buffer = b""
        while True:
            chunk = self.sock.recv(65536)
            if not chunk:
                return
            now = time.perf_counter()
            buffer += chunk
            for match in re.finditer(rb"event: (\w+)", buffer):
                self.queue.put((now, match.group(1).decode()))
            buffer = buffer[buffer.rfind(b"\n") + 1:]

    def wait(self, name, since, timeout=30):
        deadline = time.perf_counter() + timeout
        while True:
            arrived, event = self.queue.get(timeout=max(0.01, deadline - time.perf_counter()))
            if event == name and arrived >= since:
                return arrived


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefs", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--search", action="store_true", help="turn search on (`search: true`)")
    parser.add_argument("--bilingual", action="store_true", help="English and French, a tenth of the briefs translated")
    parser.add_argument("--binary", help="the sitrep binary to time (to compare two builds of it); by default the "
                        "working tree's, built first")
    args = parser.parse_args()

    run("cargo", "build", "--release", "--quiet", "--example", "synthetic_site", "--bin", "sitrep")
    binary = os.path.abspath(args.binary) if args.binary else os.path.join(REPO, "target/release/sitrep")
    work = tempfile.mkdtemp(prefix="sitrep-bench-serve-")
    site = os.path.join(work, "site")
    try:
        run(os.path.join(REPO, "target/release/examples/synthetic_site"), str(args.briefs), site)
        if args.search:
            synthetic.add_search(site)
        if args.bilingual:
            synthetic.add_french(site)
        started = time.perf_counter()
        server = subprocess.Popen([binary, "serve", "--port", "0", "--root", site],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        first = server.stdout.readline()
        url = next(w for w in first.split() if w.startswith("http://"))
        with urllib.request.urlopen(url) as response:
            response.read()
        startup = time.perf_counter() - started
        port = int(url.split(":")[2].split("/")[0])
        base = "/" + url.split("/", 3)[3]
        completed = threading.Event()

        def read_output():
            for line in server.stdout:
                if "the whole site made" in line:
                    completed.set()

        threading.Thread(target=read_output, daemon=True).start()
        completed.wait(timeout=600)
        whole = time.perf_counter() - started
        events = Events(port, base)
        events.start()
        time.sleep(0.5)

        briefs = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(site, "content/briefs"))
                        for f in fs if not f.endswith(".fr.md"))
        edit_times = []
        for i in range(args.edits):
            path = briefs[(i * 7919) % len(briefs)]
            with open(path) as f:
                text = f.read()
            text = re.sub(r"^title: (.*)$", lambda m: f"title: {m.group(1)} (edit {i})", text, count=1, flags=re.M)
            saved = time.perf_counter()
            with open(path, "w") as f:
                f.write(text)
            edit_times.append(events.wait("reload", saved) - saved)
            time.sleep(0.3)

        # The same edit of the newest briefs, those an editor works on: each
        # is on the home page's map (and the latest ones in its list), so
        # the home page is made again, in every language.
        def date_of(path):
            with open(path) as f:
                found = re.search(r"^date: (\S+)$", f.read(), flags=re.M)
            return found.group(1) if found else ""

        newest = sorted(briefs, key=date_of, reverse=True)[:args.edits]
        newest_times = []
        for i, path in enumerate(newest):
            with open(path) as f:
                text = f.read()
            text = re.sub(r"^title: (.*)$", lambda m: f"title: {m.group(1)} (newest edit {i})", text, count=1,
                          flags=re.M)
            saved = time.perf_counter()
            with open(path, "w") as f:
                f.write(text)
            newest_times.append(events.wait("reload", saved) - saved)
            time.sleep(0.3)

        # Edits of a brief's text itself: a sentence added to its body.
        body_times = []
        for i in range(args.edits):
            path = briefs[(i * 6151 + 5) % len(briefs)]
            with open(path) as f:
                text = f.read()
            text = text.replace("\n---\n", f"\n---\nA synthetic sentence added by edit {i}.\n", 1)
            saved = time.perf_counter()
            with open(path, "w") as f:
                f.write(text)
            body_times.append(events.wait("reload", saved) - saved)
            time.sleep(0.3)

        # Edits that move the brief in every list (a corrected date).
        move_times = []
        for i in range(max(3, args.edits // 3)):
            path = briefs[(i * 104729 + 13) % len(briefs)]
            with open(path) as f:
                text = f.read()
            text = re.sub(r"^date: (\d{4})-(\d{2})-(\d{2})$", lambda m: f"date: {m.group(1)}-{m.group(2)}-{'01' if m.group(3) != '01' else '02'}",
                          text, count=1, flags=re.M)
            saved = time.perf_counter()
            with open(path, "w") as f:
                f.write(text)
            move_times.append(events.wait("reload", saved) - saved)
            time.sleep(0.3)

        index_time = None
        if args.search:
            # The search page's first request after an edit, as a browser on
            # the search page makes it, and how long the new index takes.
            entry_url = f"http://127.0.0.1:{port}{base}pagefind/pagefind-entry.json"

            def entry():
                with urllib.request.urlopen(entry_url, timeout=600) as r:
                    return r.read()

            before = entry()  # the index of the site as it is, made now
            path = briefs[1]
            with open(path) as f:
                text = f.read()
            saved = time.perf_counter()
            with open(path, "w") as f:
                f.write(text.replace("\n---\n", "\n---\nOne more synthetic sentence.\n", 1))
            events.wait("reload", saved)
            asked = time.perf_counter()
            entry()
            index_time = time.perf_counter() - asked
            while entry() == before:
                time.sleep(0.1)
            index_new = time.perf_counter() - asked

        template_times = []
        template = os.path.join(REPO, "templates/brief.html")
        os.makedirs(os.path.join(site, "templates"), exist_ok=True)
        for i in range(3):
            with open(template) as f:
                text = f.read().replace('<h1 id="brief-title">', f'<h1 id="brief-title" data-edit="{i}">')
            saved = time.perf_counter()
            with open(os.path.join(site, "templates/brief.html"), "w") as f:
                f.write(text)
            template_times.append(events.wait("reload", saved, timeout=120) - saved)
            time.sleep(0.5)
        server.terminate()
        server.wait()

        ms = lambda xs: [round(x * 1000, 1) for x in xs]
        edit_median = statistics.median(edit_times) * 1000
        print(f"sitrep serve on {args.briefs} synthetic briefs ({os.cpu_count()} cores)"
              + (", search on" if args.search else "") + (", English and French" if args.bilingual else ""))
        print(f"  start-up (until the home page is served): {startup * 1000:.0f} ms; the whole site made in "
              f"memory and its links checked after {whole:.2f} s")
        print(f"  brief title edit -> reload event, {len(edit_times)} edits: median {edit_median:.1f} ms "
              f"(min {min(ms(edit_times))}, max {max(ms(edit_times))}); includes the 10 ms debounce")
        newest_median = statistics.median(newest_times) * 1000
        print(f"  title edit of the newest briefs (on the home page's map) -> reload event, {len(newest_times)} "
              f"edits: median {newest_median:.1f} ms (min {min(ms(newest_times))}, max {max(ms(newest_times))})")
        body_median = statistics.median(body_times) * 1000
        print(f"  brief body edit -> reload event, {len(body_times)} edits: median {body_median:.1f} ms "
              f"(min {min(ms(body_times))}, max {max(ms(body_times))})")
        move_median = statistics.median(move_times) * 1000
        print(f"  brief date edit (the brief moves in every list) -> reload event, {len(move_times)} edits: "
              f"median {move_median:.1f} ms")
        print(f"  ratios to the targets: start-up {startup / 1.5:.2f} (1.5 s), text edit {edit_median / 50:.2f} "
              f"(title), {newest_median / 50:.2f} (newest briefs' titles) and {body_median / 50:.2f} (body) (50 ms), date edit {move_median / 100:.2f} (100 ms)")
        if index_time is not None:
            print(f"  search after an edit: first request answered in {index_time * 1000:.0f} ms (by the index "
                  f"made before the edit); the new index served {index_new:.1f} s after that request")
        print(f"  template edit -> reload event, {len(template_times)} edits: median "
              f"{statistics.median(template_times) * 1000:.0f} ms (every page re-rendered)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
