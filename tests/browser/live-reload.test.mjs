// Live reload in a real browser: a page open in headless Chromium follows
// edits on disk by itself, shows the problems overlay when a brief breaks,
// and recovers when it is fixed. The page is never reloaded by the test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tempSite, serve, launch, waitFor } from "./harness.mjs";

const brief = (title, date = "2023-01-01") =>
  `---\ntitle: ${title}\ndate: ${date}\ncountry: NE\n---\nA synthetic brief for tests.\n`;
const h1 = () => document.querySelector("h1")?.textContent;
const connected = () => window.sitrepLive?.connected === true;
const overlay = () => document.getElementById("sitrep-problems")?.innerText ?? null;

test("an open brief follows edits, shows problems and recovers", async () => {
  const site = tempSite({ "content/briefs/a.md": brief("Synthetic A") });
  const server = await serve(site.root);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    let navigations = 0;
    page.on("framenavigated", () => navigations++);
    await page.goto(`${server.url}briefs/a/`);
    assert.equal(await page.evaluate(h1), "Synthetic A");
    // Give the live-reload stream a moment to connect.
    await waitFor(page, connected, Boolean, "the event stream");

    site.write("content/briefs/a.md", brief("Synthetic A, edited"));
    await waitFor(page, h1, (t) => t === "Synthetic A, edited", "the edited title");
    assert.ok(navigations >= 2, "the page reloaded itself");

    site.write("content/briefs/a.md", "---\ntitle: Synthetic A\ndate: 28/09/2023\ncountry: NE\n---\n");
    const text = await waitFor(page, overlay, (t) => t !== null, "the problems overlay");
    assert.match(text, /`28\/09\/2023` is not a date/);
    assert.match(text, /content\/briefs\/a\.md:3:7/);
    // The last good page is still underneath.
    assert.equal(await page.evaluate(h1), "Synthetic A, edited");

    site.write("content/briefs/a.md", brief("Synthetic A, fixed"));
    await waitFor(page, h1, (t) => t === "Synthetic A, fixed", "the fixed title");
    assert.equal(await page.evaluate(overlay), null, "the overlay is gone");
  } finally {
    await browser.close();
    server.stop();
    site.remove();
  }
});

test("a page opened while the site is broken shows the overlay at once", async () => {
  const site = tempSite({
    "content/briefs/a.md": brief("Synthetic A"),
    "content/briefs/b.md": brief("Synthetic B"),
  });
  const server = await serve(site.root);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}briefs/b/`);
    await waitFor(page, connected, Boolean, "the event stream");
    site.write("content/briefs/a.md", "---\ntitle: Synthetic A\ndate: 2023-01-01\ncountry: Nigerr\n---\n");
    await waitFor(page, overlay, (t) => t !== null, "the overlay on the open page");

    const late = await browser.newPage();
    await late.goto(`${server.url}briefs/b/`);
    const text = await waitFor(late, overlay, (t) => t !== null, "the overlay on a new page");
    assert.match(text, /unknown country `Nigerr`/);
  } finally {
    await browser.close();
    server.stop();
    site.remove();
  }
});

test("a page opened before the whole site is made shows what checking it finds", async () => {
  // Enough synthetic briefs that the site is still being made and checked
  // when the page opens: `serve` answers as soon as the site is laid out.
  const files = { "content/briefs/a.md": `${brief("Synthetic A")}\nSee [a brief that is not there](/briefs/nowhere/).\n` };
  for (let i = 0; i < 400; i++) files[`content/briefs/s${i}.md`] = brief(`Synthetic ${i}`);
  const site = tempSite(files);
  const server = await serve(site.root, [], { whole: false });
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}briefs/s7/`);
    assert.equal(await page.evaluate(h1), "Synthetic 7");
    const text = await waitFor(page, overlay, (t) => t !== null, "the problems overlay");
    assert.match(text, /\/briefs\/nowhere\//);
    assert.match(text, /content\/briefs\/a\.md/);
  } finally {
    await browser.close();
    server.stop();
    site.remove();
  }
});
