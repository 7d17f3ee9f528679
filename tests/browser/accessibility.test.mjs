// Every page type of the fixture site tests/fixtures/briefs (synthetic
// briefs with the features of the repository's sample site, whose content/
// is not used) and of a generated site, built by the real binary and served
// by a plain static server, has zero axe-core violations at WCAG 2.1 AA in
// both colour schemes, and loads nothing from any other origin.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSite, launch, removeBuilt, repo, staticServer, tempSite } from "./harness.mjs";

const AXE = join(repo, "node_modules/axe-core/axe.min.js");
const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const PAGES = {
  home: "/",
  brief: "/briefs/2023-08-14-synthetic-outpost/",
  countries: "/countries/",
  country: "/countries/ne/",
  groups: "/groups/",
  group: "/groups/synthetic-cell/",
  archive: "/archive/",
  year: "/archive/2023/",
  "plain page": "/about/",
  search: "/search/?q=synthetic",
  "not found": "/no/such/page/",
};

// The French fixture (tests/fixtures/french, `language: fr`): every page
// type, in French.
const FRENCH = {
  home: "/",
  brief: "/briefs/2023-09-28-village-alpha/",
  "retracted brief": "/briefs/2024-01-10-poste-delta/",
  countries: "/countries/",
  country: "/countries/td/",
  groups: "/groups/",
  group: "/groups/front-synthetique/",
  "group, page 2": "/groups/front-synthetique/page/2/",
  archive: "/archive/",
  year: "/archive/2022/",
  "plain page": "/a-propos/",
  search: "/search/?q=synth%C3%A9tique",
  "not found": "/pas/de/page/",
};

// The repository's sample site in French (`languages: [en, fr]`): its
// French pages, translated or not.
const SAMPLE_FRENCH = {
  home: "/fr/",
  "translated brief": "/fr/briefs/2023-09-28-kandadji/",
  "another translated brief": "/fr/briefs/2021-06-05-solhan/",
  countries: "/fr/countries/",
  country: "/fr/countries/ne/",
  groups: "/fr/groups/",
  group: "/fr/groups/jnim/",
  archive: "/fr/archive/",
  year: "/fr/archive/2021/",
  "plain page": "/fr/about/",
  search: "/fr/search/?q=soldats",
};

// A generated site: 45 synthetic briefs (none describes a real event) over
// two countries and three groups, so that indices run to a second page.
const GENERATED = {
  "brief": "/briefs/synthetic-07/",
  "country, page 2": "/countries/ne/page/2/",
  "group": "/groups/synthetic-front/",
  "year": "/archive/2024/",
  "home": "/",
};

function generatedSite() {
  const files = {
    "content/groups/synthetic-front.md": "---\nname: Synthetic Front\naliases: [SF]\n---\nAn invented group for tests.\n",
    "content/groups/synthetic-brigade.md": "---\nname: Synthetic Brigade\naffiliation: SF\n---\nAn invented group for tests.\n",
    "content/groups/synthetic-cell.md": "---\nname: Synthetic Cell\n---\nAn invented group for tests.\n",
  };
  const groups = ["Synthetic Front", "Synthetic Brigade", "SF", "Synthetic Cell"];
  for (let n = 1; n <= 45; n++) {
    const id = String(n).padStart(2, "0");
    const day = String(1 + (n % 28)).padStart(2, "0");
    const country = n % 3 === 0 ? "ML" : "NE";
    files[`content/briefs/synthetic-${id}.md`] = [
      "---",
      `title: Synthetic incident ${id}`,
      `date: 2024-${String(1 + (n % 12)).padStart(2, "0")}-${day}`,
      `country: ${country}`,
      "summary: A synthetic brief generated for testing; it describes no real event.",
      `armed_groups: [${groups[n % 4]}]`,
      `fatalities: {best: ${n}, low: ${n - 1}, high: ${n + 3}, claims: [{count: ${n * 3}, by: Synthetic spokesman}]}`,
      `sources: [{name: Synthetic Wire, url: "https://example.org/${n}", date: 2024-01-${day}}]`,
      "---",
      "A synthetic brief. It describes **no real event**.",
      "",
      "## What happened",
      "",
      "- a synthetic point",
      "- another synthetic point",
      "",
    ].join("\n");
  }
  return tempSite(files);
}

const sites = {};
let browser;

before(async () => {
  const fixture = mkdtempSync(join(tmpdir(), "sitrep-a11y-"));
  cpSync(join(repo, "tests/fixtures/briefs"), fixture, { recursive: true });
  const french = mkdtempSync(join(tmpdir(), "sitrep-a11y-fr-"));
  cpSync(join(repo, "tests/fixtures/french"), french, { recursive: true });
  const generated = generatedSite();
  for (const [name, root] of [["fixture", fixture], ["French", french], ["generated", generated.root]]) {
    const out = buildSite(root);
    sites[name] = { root, out, server: await staticServer(out) };
  }
  // The sample site is read where it is (the build writes elsewhere).
  const out = buildSite(repo);
  sites.sample = { root: null, out, server: await staticServer(out) };
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const { root, out, server } of Object.values(sites)) {
    server.stop();
    if (root) rmSync(root, { recursive: true, force: true });
    removeBuilt(out);
  }
});

/** Opens `path` of a site in a colour scheme; returns the page and every URL it requested. */
async function open(server, path, colorScheme) {
  const context = await browser.newContext({ colorScheme });
  const page = await context.newPage();
  const requested = [];
  page.on("request", (request) => requested.push(request.url()));
  const response = await page.goto(server.url + path, { waitUntil: "load" });
  return { page, requested, status: response.status(), close: () => context.close() };
}

async function violations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }, WCAG_AA);
}

for (const [name, pages] of [["fixture", PAGES], ["French", FRENCH], ["generated", GENERATED], ["sample", SAMPLE_FRENCH]]) {
  for (const colorScheme of ["light", "dark"]) {
    for (const [kind, path] of Object.entries(pages)) {
      test(`${name} site, ${kind} page: no WCAG 2.1 AA violation (${colorScheme}) and no request to another origin`, async () => {
        const server = sites[name].server;
        const { page, requested, status, close } = await open(server, path, colorScheme);
        try {
          assert.equal(status, kind === "not found" ? 404 : 200, path);
          const scheme = await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches);
          assert.equal(scheme, colorScheme === "dark", "the colour scheme was emulated");
          // The search page is checked with its results and filters drawn.
          if (kind === "search") await page.waitForSelector(".pagefind-ui__result-link", { timeout: 10000 });
          assert.deepEqual(await violations(page), [], `${kind} ${path}`);
          const elsewhere = requested.filter((url) => new URL(url).origin !== server.url);
          assert.deepEqual(elsewhere, [], `${kind} ${path} requested other origins`);
          assert.ok(requested.length >= 2, "the page and its stylesheet were requested");
        } finally {
          await close();
        }
      });
    }
  }
}

test("axe does report a violation (so the checks above can fail)", async () => {
  const { page, close } = await open(sites.fixture.server, "/", "light");
  try {
    await page.evaluate(() => {
      const img = document.createElement("img");
      img.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
      document.querySelector("main").append(img);
      document.querySelector("h1").style.color = "#eee";
    });
    const found = await violations(page);
    assert.ok(found.some((v) => v.startsWith("image-alt")), found.join("\n"));
    assert.ok(found.some((v) => v.startsWith("color-contrast")), found.join("\n"));
  } finally {
    await close();
  }
});
