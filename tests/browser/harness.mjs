// Shared set-up for the browser tests: a temporary site, `sitrep serve` on a
// free port, and Debian's Chromium driven by playwright-core.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readFileSync, statSync, writeFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const SITREP = process.env.SITREP_BIN ?? join(repo, "target/debug/sitrep");
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** A site in a temporary folder; `write` puts a file in it. */
export function tempSite(files) {
  const root = mkdtempSync(join(tmpdir(), "sitrep-browser-"));
  const write = (rel, text) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  write("site.yaml", "title: Browser test site (synthetic)\nbase_url: /\n");
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  return { root, write, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * Starts `sitrep serve --port 0`; resolves with its URL and a stop function
 * once the whole site is made and checked (a site laid out is served at
 * once, each page made when asked for, and made whole just after), or at
 * once with `{ whole: false }`.
 */
export function serve(root, extra = [], { whole = true } = {}) {
  const child = spawn(SITREP, ["serve", "--port", "0", "--root", root, ...extra], {
    env: { ...process.env, SITREP_TODAY: "2026-01-15" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr.resume();
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error("sitrep serve printed no URL")), 15000);
    lines.once("line", (line) => {
      const url = line.split(/\s+/).find((w) => w.startsWith("http://"));
      const served = () => {
        clearTimeout(timer);
        resolvePromise({ url, stop: () => child.kill() });
      };
      if (!whole || !line.includes("(ready in")) {
        served();
        lines.on("line", () => {}); // keep draining, as a terminal would
        return;
      }
      lines.on("line", (next) => {
        if (next.includes("the whole site made")) served();
      });
    });
    child.once("error", reject);
  });
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Polls `read()` in the page (surviving reloads) until `check(value)` holds. */
export async function waitFor(page, read, check, what, timeout = 10000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await page.evaluate(read);
      if (check(last)) return last;
    } catch {
      // The page is reloading; try again.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
}

/**
 * Builds the site at `root` into a folder inside a temporary one with the
 * real binary; returns the folder. `removeBuilt` removes the temporary
 * folder, with the standby copy the writer keeps beside the output.
 */
export function buildSite(root, extra = []) {
  const out = join(mkdtempSync(join(tmpdir(), "sitrep-built-")), "public");
  const run = spawnSync(SITREP, ["build", "--root", root, "--output", out, ...extra], {
    env: { ...process.env, SITREP_TODAY: "2026-01-15" },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`sitrep build failed:\n${run.stderr}`);
  return out;
}

/** Removes what `buildSite` made. */
export function removeBuilt(out) {
  rmSync(dirname(out), { recursive: true, force: true });
}

/** A plain static file server over `dir` (not sitrep's) on a free port. */
export function staticServer(dir) {
  const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".xml": "application/xml" };
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path.endsWith("/")) path += "index.html";
    const file = normalize(join(dir, path));
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": types[".html"] });
      res.end(existsSync(join(dir, "404.html")) ? readFileSync(join(dir, "404.html")) : "not found");
      return;
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((resolvePromise) => {
    server.listen(0, "127.0.0.1", () => {
      resolvePromise({ url: `http://127.0.0.1:${server.address().port}`, stop: () => server.close() });
    });
  });
}

/**
 * Builds a site of `files` with the real binary, serves the output with a
 * plain static server (as GitHub Pages would) and opens a page in Chromium
 * that records every URL it requests; `close` undoes all of it.
 */
export async function openBuilt(files) {
  const site = tempSite(files);
  const out = buildSite(site.root);
  const server = await staticServer(out);
  const browser = await launch();
  const page = await (await browser.newContext()).newPage();
  const requested = [];
  page.on("request", (request) => requested.push(request.url()));
  const close = async () => {
    await browser.close();
    server.stop();
    site.remove();
    removeBuilt(out);
  };
  return { server, browser, page, requested, close };
}
