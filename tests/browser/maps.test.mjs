// Incident maps in a real browser (issue 14): on a built site served by a
// plain static server, a country page shows one point per located brief,
// each a link that takes a reader (by mouse or keyboard) to its brief, and
// the page asks no other host for anything.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openBuilt } from "./harness.mjs";

// Synthetic briefs in Niger: ten with points (some known only roughly),
// two without.
const places = [
  [13.51, 2.11], [14.2, 1.45], [16.97, 7.99], [13.8, 8.99], [13.32, 12.61],
  [18.74, 7.39], [14.9, 5.26], [12.25, 2.9], [15.1, 10.3], [17.5, 12.0],
];
const files = {};
places.forEach(([lat, lon], i) => {
  const precision = ["exact", "near", "region"][i % 3];
  files[`content/briefs/b${i}.md`] =
    `---\ntitle: Synthetic brief ${i}\ndate: 2023-01-${String(i + 1).padStart(2, "0")}\ncountry: NE\n` +
    `location: Synthetic place ${i}\ncoordinates: {lat: ${lat}, lon: ${lon}}\ngeo_precision: ${precision}\nfatalities: ${i * 7}\n---\nSynthetic.\n`;
});
files["content/briefs/nowhere1.md"] = "---\ntitle: Synthetic unplaced 1\ndate: 2023-02-01\ncountry: NE\n---\nSynthetic.\n";
files["content/briefs/nowhere2.md"] = "---\ntitle: Synthetic unplaced 2\ndate: 2023-02-02\ncountry: NE\n---\nSynthetic.\n";

test("a country's map has a point per located brief, each leading to it, and no request leaves the site", async () => {
  const { server, page, requested, close } = await openBuilt(files);
  try {
    const response = await page.goto(`${server.url}/countries/ne/`);
    assert.equal(response.status(), 200);

    const points = await page.$$eval(".map-points a", (links) =>
      links.map((a) => ({ href: a.getAttribute("href"), label: a.getAttribute("aria-label") })),
    );
    assert.equal(points.length, places.length, "one point per located brief");
    const expected = places.map((_, i) => `/briefs/b${i}/`).sort();
    assert.deepEqual(points.map((p) => p.href).sort(), expected);
    for (const p of points) {
      const i = p.href.match(/b(\d+)/)[1];
      assert.ok(p.label.startsWith(`Synthetic brief ${i}, `), p.label);
      assert.match(p.label, new RegExp(`Synthetic place ${i}, ${i * 7} killed$`));
    }
    // Every point is drawn on screen, inside the map.
    const map = await page.locator(".map svg").boundingBox();
    for (const box of await page.locator(".map-points circle").evaluateAll((cs) => cs.map((c) => c.getBoundingClientRect().toJSON()))) {
      assert.ok(box.width > 0 && box.x >= map.x - 1 && box.x + box.width <= map.x + map.width + 1, JSON.stringify(box));
    }
    assert.match(await page.locator(".map figcaption").innerText(), /10 located briefs; 2 without coordinates/);

    // A click on the smallest point (drawn last, on top) opens its brief.
    await page.locator(".map-points a").last().click();
    await page.waitForURL(/\/briefs\/b\d+\/$/);
    const clicked = page.url().match(/b(\d+)/)[1];
    assert.equal(await page.locator("h1").innerText(), `Synthetic brief ${clicked}`);

    // By keyboard: Tab reaches the points, Enter follows one.
    await page.goto(`${server.url}/countries/ne/`);
    const onPoint = () => document.activeElement?.closest(".map-points") !== null;
    let presses = 0;
    while (!(await page.evaluate(onPoint)) && presses < 80) {
      await page.keyboard.press("Tab");
      presses++;
    }
    assert.ok(await page.evaluate(onPoint), "Tab never reached a point of the map");
    const focused = await page.evaluate(() => document.activeElement.getAttribute("href"));
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname === focused);

    const elsewhere = requested.filter((url) => new URL(url).origin !== server.url);
    assert.deepEqual(elsewhere, [], "requests to other hosts");
  } finally {
    await close();
  }
});
