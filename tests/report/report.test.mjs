// Opens a `gazette report` page in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core) and checks what a reader
// sees. Run through tests/report/run.sh, which writes the seed corpus's
// report first.
//
//   GAZETTE_REPORT=path/to/report.html   the page (default: artifacts/seeds.html)
//   GAZETTE_REPORT_CHECK=seeds|load      seeds: the seed corpus's assertions
//                                        load: only loading, errors, requests, time
//   CHROMIUM=/usr/bin/chromium           the browser
//   GAZETTE_REPORT_SHOT=file.png         also a 1200×820 screenshot of the top of
//                                        the page after the click (the README's picture)
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.join(here, "artifacts");
mkdirSync(artifacts, { recursive: true });
const report = path.resolve(process.env.GAZETTE_REPORT || path.join(artifacts, "seeds.html"));
const check = process.env.GAZETTE_REPORT_CHECK || "seeds";
const budgetMs = Number(process.env.GAZETTE_REPORT_BUDGET_MS || 2000);
const pageUrl = pathToFileURL(report).href;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  // Root in CI containers: Chromium's sandbox needs user namespaces.
  args: ["--no-sandbox"],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1300 } });
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // Every request other than the page itself is counted and refused.
  const left = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url === pageUrl) return route.continue();
    left.push(url);
    return route.abort();
  });
  page.on("request", (r) => {
    const url = r.url();
    if (url !== pageUrl && !url.startsWith("data:") && !left.includes(url)) left.push(url);
  });

  const t0 = Date.now();
  await page.goto(pageUrl, { waitUntil: "commit" });
  await page.waitForFunction(() => window.gazetteReport !== undefined, null, { timeout: 30000, polling: 20 });
  const waitedMs = Date.now() - t0;
  // From the start of the navigation to the network and timeline drawn.
  const openMs = Math.round(await page.evaluate(() => window.gazetteReport.readyAt));
  const renderMs = await page.evaluate(() => window.gazetteReport.renderMs);
  const timings = await page.evaluate(() => window.gazetteReport.timings);
  const counts = await page.evaluate(() => ({
    nodes: window.gazetteReport.cy.nodes().length,
    edges: window.gazetteReport.cy.edges().length,
    articles: window.gazetteReport.data.map.articles,
  }));
  console.log(
    `report: ${report}: ${counts.articles} articles, ${counts.nodes} nodes, ${counts.edges} edges shown; ` +
      `opened in ${openMs} ms (${waitedMs} ms as the test waited; script ${renderMs.toFixed(0)} ms: ` +
      Object.entries(timings)
        .map(([k, v]) => `${k} ${v.toFixed(0)}`)
        .join(", ") +
      ")",
  );
  assert.ok(waitedMs < budgetMs, `the page took ${waitedMs} ms to open (budget ${budgetMs} ms)`);
  assert.ok(counts.nodes > 0, "no node drawn");

  if (check === "seeds") {
    const names = await page.evaluate(() => window.gazetteReport.cy.nodes().map((n) => n.data("label")));
    for (const want of ["Jens Stoltenberg", "NATO", "Russland", "Ukraine"]) {
      assert.ok(names.includes(want), `no node ${want} among ${names.join(", ")}`);
    }
    const pairs = await page.evaluate(() =>
      window.gazetteReport.cy.edges().map((e) => [e.source().data("label"), e.target().data("label"), e.data("weight")]),
    );
    const weight = (a, b) => {
      const e = pairs.find(([x, y]) => (x === a && y === b) || (x === b && y === a));
      return e ? e[2] : 0;
    };
    // Stoltenberg is named in 3 seed articles, each also naming the NATO.
    assert.ok(weight("Jens Stoltenberg", "NATO") >= 3, `Stoltenberg–NATO: ${weight("Jens Stoltenberg", "NATO")}`);
    assert.ok(weight("Russland", "Ukraine") >= 3, `Russland–Ukraine: ${weight("Russland", "Ukraine")}`);
    assert.ok(weight("NATO", "Russland") >= 3, `NATO–Russland: ${weight("NATO", "Russland")}`);

    // The timeline: the seed articles' dates (a URL's, and two "Stand:" stamps).
    const dates = await page.$$eval("#timeline-table tr td:first-child", (tds) => tds.map((t) => t.textContent));
    for (const d of ["2022-01-20", "2022-02-16", "2022-03-16"]) {
      assert.ok(dates.includes(d), `timeline lacks ${d}: ${dates.join(", ")}`);
    }
    assert.ok(await page.locator("#timeline canvas").count(), "no timeline chart");

    // The figure groups: 30 members, 2 %.
    await page.waitForFunction(() => window.gazetteReport.figuresDrawn);
    const groups = await page.$$eval(".fig-group", (gs) => gs.map((g) => [g.dataset.key, g.textContent]));
    const members = groups.find(([k]) => k === "count:30:mitglied");
    assert.ok(members, `no 30-members group: ${groups.map((g) => g[0]).join(", ")}`);
    assert.match(members[1], /30/);
    const percent = groups.find(([k]) => k === "percent:2:%");
    assert.ok(percent, `no 2 % group: ${groups.map((g) => g[0]).join(", ")}`);
    assert.match(percent[1], /2 %|zwei Prozent|2%/);

    // A click on a node shows its card and its articles.
    const at = await page.evaluate(() => {
      const cy = window.gazetteReport.cy;
      const n = cy.nodes().filter((x) => x.data("label") === "Jens Stoltenberg")[0];
      const p = n.renderedPosition();
      const box = cy.container().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    });
    await page.mouse.click(at.x, at.y);
    await page.waitForFunction(() => document.getElementById("card-name").textContent !== "");
    assert.equal(await page.textContent("#card-name"), "Jens Stoltenberg");
    const card = await page.textContent("#card-text");
    assert.match(card, /Jens Stoltenberg · person/);
    assert.match(card, /mentions in \d+ articles/);
    assert.match(card, /first mentioned 2022-0\d-\d\d, last 2022-0\d-\d\d/);
    const articles = await page.$$eval("#card-articles li", (lis) => lis.map((l) => l.textContent));
    assert.ok(articles.some((a) => a.includes("002_d07edf60d334f49a.txt")), articles.join(" | "));
  }

  if (process.env.GAZETTE_REPORT_SHOT) {
    await page.setViewportSize({ width: 1200, height: 820 });
    await page.evaluate(() => window.gazetteReport.cy.resize().fit(undefined, 20));
    await page.screenshot({ path: process.env.GAZETTE_REPORT_SHOT });
  }
  await page.waitForFunction(() => window.gazetteReport.figuresDrawn);
  await page.screenshot({ path: path.join(artifacts, `${path.basename(report, ".html")}.png`), fullPage: true });
  assert.deepEqual(problems, [], "console errors or warnings");
  assert.deepEqual(left, [], "requests left the page");
  console.log("report browser test: ok");
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
