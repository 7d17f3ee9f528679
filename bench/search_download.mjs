#!/usr/bin/env node
// What a reader downloads for a first search: sitrep's Pagefind bundle
// against the single-file index Zola makes, on the same synthetic briefs.
//
//     node bench/search_download.mjs [--briefs 10000] [--query "motorcycles toll"]
//
// Generates a synthetic site (every brief in it says it is synthetic) with
// `search: true`, builds it with the release binary, serves the output
// with a plain static server, opens /search/?q=QUERY in Debian's Chromium
// and records every file the page fetches until the results are drawn.
// Each file is counted as a server would send it compressed (gzip -9 of
// its bytes; Pagefind's index files are gzipped already). Then it makes
// the index Zola would make of the same briefs (elasticlunr-rs, the
// library Zola uses, over titles and text: `examples/zola_search_index.rs`)
// and counts it the same way. Zola has no Debian package and no registry
// this machine reaches carries it, so its own binary is not run.
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { launch, repo, staticServer } from "../tests/browser/harness.mjs";

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const briefs = Number(option("--briefs", "10000"));
const query = option("--query", "motorcycles toll");

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: repo, encoding: "utf8", maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(" ")} failed:\n${result.stderr}`);
  return result.stdout;
}

const compressed = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;

run("cargo", ["build", "--release", "--quiet", "--bin", "sitrep", "--example", "synthetic_site", "--example", "zola_search_index"]);
const work = mkdtempSync(join(tmpdir(), "sitrep-bench-search-"));
try {
  const site = join(work, "site");
  const out = join(work, "public");
  run(join(repo, "target/release/examples/synthetic_site"), [String(briefs), site]);
  appendFileSync(join(site, "site.yaml"), "search: true\n");
  run(join(repo, "target/release/sitrep"), ["build", "--root", site, "--output", out]);

  const server = await staticServer(out);
  const browser = await launch();
  const page = await (await browser.newContext()).newPage();
  const fetched = [];
  page.on("requestfinished", (request) => fetched.push(new URL(request.url()).pathname));
  await page.goto(`${server.url}/search/?q=${encodeURIComponent(query)}`, { waitUntil: "load" });
  await page.waitForSelector(".pagefind-ui__result-link", { timeout: 60000 });
  await page.waitForTimeout(1000);
  const results = await page.locator(".pagefind-ui__result-link").count();
  await browser.close();
  server.stop();

  const search = fetched.filter((path) => path.includes("/pagefind/"));
  let raw = 0;
  let sent = 0;
  for (const path of new Set(search)) {
    const bytes = readFileSync(join(out, path));
    raw += bytes.length;
    sent += compressed(bytes);
  }

  const zolaFile = join(work, "search_index.en.js");
  run(join(repo, "target/release/examples/zola_search_index"), [site, zolaFile]);
  const zola = readFileSync(zolaFile);
  const zolaSent = compressed(zola);

  console.log(`${briefs} synthetic briefs; query "${query}" (${results} results drawn)`);
  console.log(`  sitrep (Pagefind): ${new Set(search).size} files fetched, ${kb(raw)} as stored, ${kb(sent)} compressed`);
  console.log(`  Zola's single file (elasticlunr-rs, title + text): ${kb(zola.length)} as stored, ${kb(zolaSent)} compressed`);
  console.log(`  ratio sitrep / Zola, compressed: ${(sent / zolaSent).toFixed(3)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
