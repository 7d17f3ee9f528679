// Lighthouse 12.2.3 (pinned; runs on this machine's Node 20) with Debian's
// Chromium: performance, accessibility, best practices and SEO each score at
// least 95 on a brief page and a country page of the fixture site
// tests/fixtures/briefs (synthetic briefs), of the French fixture, and of
// the French half of the repository's sample site (content/, whose
// translated briefs are under /fr/), each built by the real binary and
// served by a plain static server. The scores are printed in the test log.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { CHROMIUM, buildSite, removeBuilt, repo, staticServer } from "./harness.mjs";

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const MINIMUM = 0.95;

let site, out, server, chrome, frSite, frOut, frServer, sampleOut, sampleServer;

before(async () => {
  site = mkdtempSync(join(tmpdir(), "sitrep-lighthouse-"));
  cpSync(join(repo, "tests/fixtures/briefs"), site, { recursive: true });
  out = buildSite(site);
  server = await staticServer(out);
  // The French fixture (`language: fr`).
  frSite = mkdtempSync(join(tmpdir(), "sitrep-lighthouse-fr-"));
  cpSync(join(repo, "tests/fixtures/french"), frSite, { recursive: true });
  frOut = buildSite(frSite);
  frServer = await staticServer(frOut);
  // The repository's sample site, whose French pages are under /fr/.
  sampleOut = buildSite(repo);
  sampleServer = await staticServer(sampleOut);
  chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH ?? CHROMIUM,
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
});

after(async () => {
  await chrome?.kill();
  server?.stop();
  frServer?.stop();
  sampleServer?.stop();
  for (const folder of [site, frSite]) if (folder) rmSync(folder, { recursive: true, force: true });
  for (const built of [out, frOut, sampleOut]) if (built) removeBuilt(built);
});

for (const [kind, path, which] of [
  ["brief", "/briefs/2023-08-14-synthetic-outpost/", "fixture"],
  ["country", "/countries/ne/", "fixture"],
  ["French brief", "/briefs/2023-09-28-village-alpha/", "french"],
  ["French country", "/countries/td/", "french"],
  ["sample site's French brief", "/fr/briefs/2023-09-28-kandadji/", "sample"],
  ["sample site's French country", "/fr/countries/ne/", "sample"],
]) {
  test(`Lighthouse scores of the ${kind} page are all at least ${MINIMUM * 100}`, async () => {
    const servers = { fixture: server, french: frServer, sample: sampleServer };
    const result = await lighthouse(servers[which].url + path, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: CATEGORIES,
    });
    const lhr = result.lhr;
    assert.equal(lhr.runtimeError, undefined, JSON.stringify(lhr.runtimeError));
    const scores = Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c].score]));
    console.log(`lighthouse ${kind} ${path}: ${CATEGORIES.map((c) => `${c} ${Math.round(scores[c] * 100)}`).join(", ")}`);
    const failing = Object.values(lhr.audits)
      .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "notApplicable")
      .map((a) => `${a.id}: ${a.title} (${a.score})`);
    for (const category of CATEGORIES) {
      assert.ok(scores[category] >= MINIMUM, `${kind} ${category} scored ${scores[category]}; audits below full marks:\n${failing.join("\n")}`);
    }
  });
}

test("Lighthouse does mark down a poor page (so the checks above can fail)", async () => {
  mkdirSync(join(out, "poor"), { recursive: true });
  writeFileSync(join(out, "poor/index.html"), "<html><body><img src=x.png><p><a href=#>click here</a></body></html>");
  const { lhr } = await lighthouse(`${server.url}/poor/`, {
    port: chrome.port,
    output: "json",
    logLevel: "error",
    onlyCategories: ["accessibility", "seo"],
  });
  assert.ok(lhr.categories.accessibility.score < MINIMUM, `accessibility ${lhr.categories.accessibility.score}`);
  assert.ok(lhr.categories.seo.score < MINIMUM, `seo ${lhr.categories.seo.score}`);
});
