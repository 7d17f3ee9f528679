// Every page type of the sample site, built by the real binary and served
// by a plain static server, has zero axe-core violations at WCAG 2.1 AA in
// both colour schemes, and loads nothing from any other origin.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSite, launch, repo, staticServer } from "./harness.mjs";

const AXE = join(repo, "node_modules/axe-core/axe.min.js");
const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const PAGES = {
  home: "/",
  brief: "/briefs/2023-09-28-kandadji/",
  countries: "/countries/",
  country: "/countries/ne/",
  groups: "/groups/",
  group: "/groups/jnim/",
  archive: "/archive/",
  year: "/archive/2023/",
  "plain page": "/about/",
  "not found": "/no/such/page/",
};

let site, out, server, browser;

before(async () => {
  site = mkdtempSync(join(tmpdir(), "sitrep-a11y-"));
  for (const part of ["content", "templates", "static", "site.yaml"]) cpSync(join(repo, part), join(site, part), { recursive: true });
  out = buildSite(site);
  server = await staticServer(out);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
  rmSync(site, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

/** Opens `path` in a colour scheme; returns the page and every URL it requested. */
async function open(path, colorScheme) {
  const context = await browser.newContext({ colorScheme });
  const page = await context.newPage();
  const requested = [];
  page.on("request", (request) => requested.push(request.url()));
  await page.goto(server.url + path, { waitUntil: "load" });
  return { page, requested, close: () => context.close() };
}

async function violations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }, WCAG_AA);
}

for (const colorScheme of ["light", "dark"]) {
  for (const [kind, path] of Object.entries(PAGES)) {
    test(`${kind} page: no WCAG 2.1 AA violation (${colorScheme}) and no request to another origin`, async () => {
      const { page, requested, close } = await open(path, colorScheme);
      try {
        const scheme = await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches);
        assert.equal(scheme, colorScheme === "dark", "the colour scheme was emulated");
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

test("axe does report a violation (so the checks above can fail)", async () => {
  const { page, close } = await open("/", "light");
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
