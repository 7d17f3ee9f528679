// Search in a real browser (issue 14): a built site served by a plain
// static server, as GitHub Pages serves it. A word finds the briefs that
// hold it; filters by country and by armed group narrow them; the order can
// be by date; nothing is asked of another host; with JavaScript off, the
// page says so and links to the indices.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tempSite, openBuilt, serve, launch } from "./harness.mjs";

// Synthetic briefs: the word "checkpoint" is in four of them, in two
// countries, naming two groups.
const brief = (slug, title, date, country, group, text) =>
  [`content/briefs/${slug}.md`, `---\ntitle: ${title}\ndate: ${date}\ncountry: ${country}\narmed_groups: [${group}]\n---\n${text}\n`];
const files = Object.fromEntries([
  brief("a", "Synthetic attack on a checkpoint near Alpha", "2023-01-10", "NE", "Synthetic Front", "Gunmen attacked the checkpoint at dawn."),
  brief("b", "Synthetic ambush at Bravo", "2023-02-11", "NE", "Synthetic Front", "A convoy was ambushed; the checkpoint nearby was not touched."),
  brief("c", "Synthetic raid on Charlie", "2022-03-12", "ML", "Synthetic Brigade", "Raiders burned the market and the checkpoint."),
  brief("d", "Synthetic clash at Delta", "2021-04-13", "ML", "Synthetic Front", "Two patrols clashed at the checkpoint on the river road."),
  brief("e", "Synthetic abduction at Echo", "2023-05-14", "NE", "Synthetic Brigade", "Five people were taken from a bus; nothing else is known."),
]);
// A group name that would run script if a filter label were HTML.
const hostile = `Synthetic <img src=x onerror="document.documentElement.dataset.ran='filter'"> & Co`;
// The same, written with the escapes an editor might paste.
const escaped = `Synthetic &lt;img src=x onerror="document.documentElement.dataset.ran='entity'"&gt;`;
Object.assign(files, Object.fromEntries([
  brief("f", "Synthetic roadblock under a hostile name", "2020-06-15", "NE", JSON.stringify(hostile), "A roadblock was set up."),
  brief("g", "Synthetic roadblock under an escaped name", "2020-06-16", "NE", JSON.stringify(escaped), "Another roadblock."),
]));
files["site.yaml"] = "title: Browser search test site (synthetic)\nbase_url: /\nsearch: true\n";
files["content/groups/front.md"] = "---\nname: Synthetic Front\n---\nAn invented group for tests.\n";
files["content/groups/brigade.md"] = "---\nname: Synthetic Brigade\n---\nAn invented group for tests.\n";

/** The titles of the results on the page, once they have settled. */
async function results(page, count) {
  await page.waitForFunction((n) => document.querySelectorAll(".pagefind-ui__result-link").length === n, count, { timeout: 10000 });
  // Let a search still in flight finish before reading.
  await page.waitForTimeout(300);
  return (await page.locator(".pagefind-ui__result-link").allInnerTexts()).map((t) => t.trim());
}

async function filter(page, group, value) {
  const block = page.locator("details.pagefind-ui__filter-block", { hasText: group });
  if ((await block.getAttribute("open")) === null) await block.locator("summary").click();
  await block.locator("label", { hasText: value }).click();
}

test("a word finds its briefs, filters narrow them, and nothing leaves the site", async () => {
  const { server, browser, page, requested, close } = await openBuilt(files);
  try {
    // From the header's search box, as a reader would.
    await page.goto(`${server.url}/`);
    await page.locator("#site-search-q").fill("checkpoint");
    await page.locator(".site-search button").click();
    await page.waitForURL(/\/search\/\?q=checkpoint/);
    const all = await results(page, 4);
    assert.deepEqual(all.sort(), [
      "Synthetic ambush at Bravo",
      "Synthetic attack on a checkpoint near Alpha",
      "Synthetic clash at Delta",
      "Synthetic raid on Charlie",
    ]);

    await filter(page, "country", "Mali");
    assert.deepEqual((await results(page, 2)).sort(), ["Synthetic clash at Delta", "Synthetic raid on Charlie"]);
    await filter(page, "group", "Synthetic Front");
    assert.deepEqual(await results(page, 1), ["Synthetic clash at Delta"]);

    // Newest first, by the briefs' dates.
    await page.goto(`${server.url}/search/?q=checkpoint`);
    await results(page, 4);
    await page.locator("#search-order").selectOption("desc");
    await page.waitForURL(/order=desc/);
    assert.deepEqual(await results(page, 4), [
      "Synthetic ambush at Bravo",
      "Synthetic attack on a checkpoint near Alpha",
      "Synthetic raid on Charlie",
      "Synthetic clash at Delta",
    ]);
    // A result leads to its brief.
    await page.locator(".pagefind-ui__result-link").first().click();
    await page.waitForURL(/\/briefs\/b\/$/);

    const elsewhere = requested.filter((url) => new URL(url).origin !== server.url);
    assert.deepEqual(elsewhere, [], "requests to other hosts");

    // Without JavaScript: the page says so and links to the indices.
    const plain = await browser.newContext({ javaScriptEnabled: false });
    const noscript = await plain.newPage();
    await noscript.goto(`${server.url}/search/`);
    const said = await noscript.locator("main").innerText();
    assert.match(said, /needs JavaScript/);
    for (const path of ["/countries/", "/groups/", "/archive/"]) {
      assert.equal(await noscript.locator(`main a[href="${path}"]`).count(), 1, path);
    }
    await plain.close();
  } finally {
    await close();
  }
});

test("the preview searches what is on disk now, edits included", async () => {
  const site = tempSite(files);
  const server = await serve(site.root);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}search/?q=abduction`);
    assert.deepEqual(await results(page, 1), ["Synthetic abduction at Echo"]);
    // A new word in a brief: the next search finds it.
    site.write(...brief("e", "Synthetic abduction at Echo", "2023-05-14", "NE", "Synthetic Brigade", "Five people were taken from a bus near the quarry."));
    const deadline = Date.now() + 10000;
    let found = [];
    while (Date.now() < deadline && found.length === 0) {
      // The edit's live reload may interrupt this navigation: then try again.
      const went = await page.goto(`${server.url}search/?q=quarry`).catch((e) => e);
      if (went instanceof Error) {
        if (!/ERR_ABORTED/.test(went.message)) throw went;
        continue;
      }
      await page.waitForTimeout(800);
      found = (await page.locator(".pagefind-ui__result-link").allInnerTexts()).map((t) => t.trim());
    }
    assert.deepEqual(found, ["Synthetic abduction at Echo"]);
  } finally {
    await browser.close();
    server.stop();
    site.remove();
  }
});

test("a group name that is HTML shows as text in the filters and runs nothing", async () => {
  const { server, page, close } = await openBuilt(files);
  try {
    await page.goto(`${server.url}/search/?q=roadblock`);
    assert.deepEqual((await results(page, 2)).sort(), ["Synthetic roadblock under a hostile name", "Synthetic roadblock under an escaped name"]);
    // The filters are filled in after the results: wait for them.
    const filter = page.locator("details.pagefind-ui__filter-block", { hasText: "group" }).locator("label");
    await filter.first().waitFor({ state: "attached", timeout: 10000 });
    const labels = await filter.allInnerTexts();
    // Shown as written, but for <, > and &, which filter values never carry.
    const shown = hostile.replaceAll("&", "＆").replaceAll("<", "‹").replaceAll(">", "›");
    assert.ok(labels.some((l) => l.startsWith(shown)), JSON.stringify(labels));
    assert.equal(await page.evaluate(() => document.documentElement.dataset.ran ?? null), null, "the group name ran");
    assert.equal(await page.locator("#search img").count(), 0, "the group name made an element");
  } finally {
    await close();
  }
});

// sitrep writes the index itself (src/render/search/bundle.rs): past 1,024
// pages the results' texts are grouped into files of several pages, and the
// words spread over chunks. Every synthetic brief here holds a word of its
// own (five letters, so that none starts another) and the word "synthetic".
const code = (n) => "qz" + [2, 1, 0].map((p) => String.fromCharCode(97 + (Math.floor(n / 26 ** p) % 26))).join("");
test("on a site of 1,100 briefs, each brief's own word finds it and a common word finds them all", async () => {
  const many = { "site.yaml": "title: Browser search test site, many briefs (synthetic)\nbase_url: /\nsearch: true\n" };
  for (let n = 0; n < 1100; n++) {
    const country = ["NE", "ML", "BF"][n % 3];
    Object.assign(many, Object.fromEntries([
      brief(`s${n}`, `Synthetic brief ${n}`, `2023-01-${String(1 + (n % 28)).padStart(2, "0")}`, country, "Synthetic Front",
        `A synthetic brief made for the search test, marked ${code(n)}; patrols, convoys and markets are named in it.`),
    ]));
  }
  const { server, page, close } = await openBuilt(many);
  try {
    for (const n of [0, 1, 549, 1023, 1024, 1099]) {
      await page.goto(`${server.url}/search/?q=${code(n)}`);
      assert.deepEqual(await results(page, 1), [`Synthetic brief ${n}`], code(n));
      const excerpt = await page.locator(".pagefind-ui__result-excerpt").first().innerHTML();
      assert.match(excerpt, new RegExp(`<mark>${code(n)};?</mark>`), excerpt);
    }
    await page.goto(`${server.url}/search/?q=convoys`);
    await page.waitForFunction(() => /1,?100 results/.test(document.querySelector(".pagefind-ui__message")?.textContent ?? ""), null, { timeout: 15000 });
  } finally {
    await close();
  }
});

// A French site: accents are set aside and words are stemmed the French
// way, so a query finds other forms of its words.
test("a French site finds a word without its accents and in another form", async () => {
  const french = {
    "site.yaml": "title: Site d'essai de recherche (synthétique)\nbase_url: /\nsearch: true\nlanguage: fr\n",
    "content/groups/front.md": "---\nname: Synthetic Front\n---\nUn groupe inventé pour les tests.\n",
  };
  Object.assign(french, Object.fromEntries([
    brief("a", "Attaque synthétique contre l’armée à Ségou", "2023-01-10", "ML", "Synthetic Front", "Des hommes armés ont attaqué un poste de l'armée près de Ségou."),
    brief("b", "Embuscade synthétique à Gao", "2023-02-11", "ML", "Synthetic Front", "Un convoi est tombé dans une embuscade au nord de Gao."),
  ]));
  const { server, page, close } = await openBuilt(french);
  try {
    // (The pages' own words, "Groupes armés", would make "armee" find both.)
    for (const query of ["segou", "Ségou", "SEGOU", "attaques"]) {
      await page.goto(`${server.url}/search/?q=${encodeURIComponent(query)}`);
      assert.deepEqual(await results(page, 1), ["Attaque synthétique contre l’armée à Ségou"], query);
    }
    const excerpt = await page.locator(".pagefind-ui__result-excerpt").first().innerText();
    assert.match(excerpt, /Ségou/, excerpt);
    await page.goto(`${server.url}/search/?q=embuscades`);
    assert.deepEqual(await results(page, 1), ["Embuscade synthétique à Gao"]);
  } finally {
    await close();
  }
});
