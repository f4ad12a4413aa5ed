// Scenarios of the VS Code end-to-end test: drives code-server in Chromium
// with playwright-core and checks what the page shows. Started by run.sh,
// which prepares the workspace and passes:
//   E2E_URL        code-server URL with the workspace folder
//   E2E_WORK       temporary folder: corpus/, bin/gazette, entities.json, check.txt
//   E2E_ARTIFACTS  where screenshots and the log go
//   E2E_PLAYWRIGHT the playwright-core package folder
// Expectations (names, counts, articles, diagnostics) are read from the
// CLI's output on the same corpus (entities.json, check.txt).

import { createRequire } from "node:module";
import * as fs from "node:fs";
import * as path from "node:path";
import { expectations } from "./expect.mjs";

const env = (k) => {
  const v = process.env[k];
  if (!v) {
    throw new Error(`${k} is not set (start the test with run.sh)`);
  }
  return v;
};
const URL_ = env("E2E_URL");
const WORK = env("E2E_WORK");
const ARTIFACTS = env("E2E_ARTIFACTS");
const require = createRequire(import.meta.url);
const { chromium } = require(env("E2E_PLAYWRIGHT"));

const CORPUS = path.join(WORK, "corpus");
const SERVER = path.join(WORK, "bin", "gazette");
let exp;
try {
  exp = expectations({
    entitiesJson: fs.readFileSync(path.join(WORK, "entities.json"), "utf8"),
    checkText: fs.readFileSync(path.join(WORK, "check.txt"), "utf8"),
    corpusDir: CORPUS,
    readFile: (p) => fs.readFileSync(p, "utf8"),
  });
} catch (e) {
  console.error(`[vscode e2e] FAIL: no expectations from the CLI's output: ${e.message}`);
  process.exit(1);
}

/** Timeouts: generous (2 shared cores, a cold code-server) but bounded. */
const T = { ui: 20_000, server: 60_000, scenario: 180_000 };

const log = (...a) => console.log("[vscode e2e]", ...a);
let page;
let stepNo = 0;
const results = [];

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function shot(name) {
  const file = path.join(ARTIFACTS, `${String(stepNo).padStart(2, "0")}-${name}.png`);
  try {
    await page.screenshot({ path: file, timeout: 10_000 });
  } catch (e) {
    log(`(no screenshot ${file}: ${e.message.split("\n")[0]})`);
  }
  return file;
}

async function scenario(name, fn) {
  stepNo += 1;
  log(`-- scenario ${stepNo}: ${name}`);
  const t0 = Date.now();
  try {
    await withTimeout(fn(), T.scenario, name);
    await shot(slug(name));
    results.push({ name, ok: true, ms: Date.now() - t0 });
    log(`   ok (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    const file = await shot(`${slug(name)}-FAILED`);
    results.push({ name, ok: false, ms: Date.now() - t0, error: e.message });
    throw new Error(`scenario "${name}" failed: ${e.message}\n  screenshot: ${file}`);
  }
}

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
const norm = (s) => (s ?? "").replace(/\u00a0/g, " ");

/** Polls `probe` until it returns `[true, value]` and returns `value`; on
 * timeout the error names `what` and the last value seen. */
async function until(what, probe, ms = T.ui) {
  const end = Date.now() + ms;
  let seen;
  for (;;) {
    try {
      const r = await probe();
      if (Array.isArray(r) && r.length === 2 && typeof r[0] === "boolean") {
        if (r[0]) {
          return r[1];
        }
        seen = r[1];
      } else if (r) {
        return r;
      } else {
        seen = r;
      }
    } catch (e) {
      seen = `error: ${e.message.split("\n")[0]}`;
    }
    if (Date.now() > end) {
      const text = typeof seen === "string" ? seen : JSON.stringify(seen);
      throw new Error(`${what} (waited ${ms / 1000} s; last seen: ${(text ?? "").slice(0, 800)})`);
    }
    await page.waitForTimeout(250);
  }
}

async function textOf(selector) {
  const loc = page.locator(selector);
  const n = await loc.count();
  const out = [];
  for (let i = 0; i < n; i++) {
    const el = loc.nth(i);
    if (await el.isVisible()) {
      out.push(norm(await el.innerText()));
    }
  }
  return out.join("\n");
}

// --- VS Code helpers -------------------------------------------------------

const QUICK_INPUT = ".quick-input-widget";

async function quickInput(text) {
  const box = page.locator(`${QUICK_INPUT} input`);
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press("Escape");
    await page.keyboard.press("F1");
    try {
      await box.waitFor({ state: "visible", timeout: 3000 });
      // A view that takes the focus just then (the references view opens
      // asynchronously) closes the palette again: fill, and check it held.
      await box.fill(text, { timeout: 3000 });
      if ((await box.inputValue({ timeout: 3000 })) === text && (await box.isVisible())) {
        return box;
      }
      throw new Error("the command palette closed while typing");
    } catch (e) {
      if (attempt === 4) {
        throw new Error(`the command palette (F1) does not take input: ${e.message.split("\n")[0]}`);
      }
      // A view with its own key handling has the focus: give it to the
      // editor (or the workbench) and try again.
      const editor = page.locator(".editor-group-container.active .monaco-editor .view-lines").first();
      if (await editor.isVisible().catch(() => false)) {
        await editor.click({ position: { x: 5, y: 5 } });
      } else {
        await page.locator(".monaco-workbench").click({ position: { x: 700, y: 400 } });
      }
    }
  }
}

/** Runs a command from the command palette by its exact label. */
async function command(label) {
  await quickInput(`>${label}`);
  await until(`command palette offers "${label}"`, async () => {
    const labels = await textOf(`${QUICK_INPUT} .monaco-list-row .label-name`);
    return [labels.split("\n").some((l) => l.trim() === label), labels || "(no rows)"];
  });
  const rows = page.locator(`${QUICK_INPUT} .monaco-list-row`);
  const n = await rows.count();
  for (let i = 0; i < n; i++) {
    const l = norm(await rows.nth(i).locator(".label-name").first().innerText()).trim();
    if (l === label) {
      await rows.nth(i).click();
      return;
    }
  }
  throw new Error(`the command palette no longer offers "${label}"`);
}

async function openFile(relPath) {
  const base = path.basename(relPath);
  await quickInput(base);
  await until(`quick open lists ${base}`, async () => {
    const t = await textOf(`${QUICK_INPUT} .monaco-list-row`);
    return [t.includes(base), t || "(no rows)"];
  });
  await page.keyboard.press("Enter");
  await until(`editor tab ${base} is active`, async () => {
    const t = await activeTab();
    return [t === base, t];
  });
}

/** Moves the cursor to 1-based line and column (UTF-16 code units + 1). */
async function goTo(line, column) {
  await quickInput(`:${line}:${column}`);
  await page.keyboard.press("Enter");
  await until(`cursor at ${line}:${column}`, async () => {
    const s = await textOf(".statusbar-item[id='status.editor.selection']");
    return [s.includes(`Ln ${line}, Col ${column}`), s];
  });
}

async function activeTab() {
  const t = await textOf(".editor-group-container.active .tab.active .label-name");
  return t.trim();
}

async function editorText() {
  return textOf(".editor-group-container.active .monaco-editor .view-lines");
}

async function statusBarGazette() {
  const items = page.locator(".statusbar-item");
  const n = await items.count();
  for (let i = 0; i < n; i++) {
    const el = items.nth(i);
    const id = (await el.getAttribute("id")) ?? "";
    if (id.endsWith("gazette.status")) {
      return { el, text: norm(await el.innerText()).trim(), label: norm(await el.getAttribute("aria-label")) };
    }
  }
  return undefined;
}

async function notificationsText() {
  return textOf(".notifications-toasts .notification-toast, .notifications-center .notification-list-item");
}

/** Waits for a notification whose text satisfies `pred`: first among the
 * toasts, then (a toast can be hidden, e.g. by an Escape meant for
 * something else) in the notification center, which keeps them all. */
async function waitNotification(what, pred, ms = T.server) {
  try {
    return await until(what, async () => {
      const t = await notificationsText();
      return [pred(t), t || "(no notification)"];
    }, Math.min(ms, 15_000));
  } catch (e) {
    log(`   (no toast yet; looking in the notification center)`);
    await command("Notifications: Show Notifications");
    return await until(`${what} (notification center)`, async () => {
      const t = await notificationsText();
      return [pred(t), t || "(no notification)"];
    }, ms);
  }
}

async function hoverText() {
  return textOf(".monaco-hover:not(.hidden) .monaco-hover-content, .workbench-hover-container .hover-contents");
}

async function showHoverAt(m) {
  await goTo(m.line + 1, m.character + 1);
  await command("Show or Focus Hover");
}

function serverPids() {
  const out = [];
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) {
      continue;
    }
    try {
      if (fs.readlinkSync(`/proc/${d}/exe`) === SERVER) {
        out.push(Number(d));
      }
    } catch {
      // not ours, or gone
    }
  }
  return out.sort((a, b) => a - b);
}

// --- the corpus map (a webview) ---------------------------------------------

/** The corpus map's page: code-server nests each webview in two iframes;
 * the inner one holds the extension's HTML (`#graph`). */
async function corpusMapFrame() {
  for (const f of page.frames()) {
    try {
      if (await f.evaluate(() => document.title === "gazette: corpus map" && !!document.getElementById("graph"))) {
        return f;
      }
    } catch {
      // a frame that navigated or went away meanwhile
    }
  }
  return undefined;
}

/** The nodes Cytoscape.js draws on the map's canvas: label and box in CSS
 * pixels relative to `#graph`. The instance is read where Cytoscape keeps
 * it on its container (`_cyreg`); the page does not expose it otherwise. */
async function mapNodes(frame) {
  return frame.evaluate(() => {
    const cy = document.getElementById("graph")._cyreg?.cy;
    if (!cy) {
      return null;
    }
    return cy.nodes().map((n) => {
      const b = n.renderedBoundingBox({ includeLabels: false });
      return { label: n.data("label"), visible: n.visible(), x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 };
    });
  });
}

// --- the scenarios ---------------------------------------------------------

async function main() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.E2E_CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    timeout: 60_000,
  });
  const consoleLog = fs.createWriteStream(path.join(ARTIFACTS, "browser-console.log"));
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    page = await context.newPage();
    page.setDefaultTimeout(T.ui);
    page.on("console", (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    // Record every text the gazette status bar item shows, however briefly
    // (indexing the seed corpus takes milliseconds).
    await page.addInitScript(() => {
      window.__gazetteStatus = [];
      const seen = (t) => {
        const a = window.__gazetteStatus;
        if (t && a[a.length - 1] !== t) {
          a.push(t);
        }
      };
      const scan = () => {
        for (const el of document.querySelectorAll(".statusbar-item")) {
          if ((el.id || "").endsWith("gazette.status")) {
            seen(`${el.innerText.trim()} | ${el.getAttribute("aria-label") ?? ""}`);
          }
        }
      };
      new MutationObserver(scan).observe(document, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
    });

    await scenario("code-server loads the workspace", async () => {
      await page.goto(URL_, { timeout: T.server });
      await page.locator(".monaco-workbench").waitFor({ timeout: T.server });
      await until("explorer shows gazette.toml", async () => {
        const t = await textOf(".explorer-folders-view");
        return [t.includes("gazette.toml"), t];
      }, T.server);
    });

    await scenario("extension activates and shows indexing in the status bar", async () => {
      // No article is open: activation comes from workspaceContains:gazette.toml.
      const item = await until("gazette status bar item appears", statusBarGazette, T.server);
      log(`   status bar: ${item.text}`);
      const want = `${exp.articleCount} articles indexed`;
      const history = await until(`status bar reports "${want}"`, async () => {
        const h = await page.evaluate(() => window.__gazetteStatus);
        return [h.some((s) => s.includes(want)), h];
      }, T.server);
      log(`   status bar history: ${history.join(" / ")}`);
      if (!history.some((s) => /sync~spin\s+gazette: indexing/.test(s))) {
        throw new Error(`the status bar never showed indexing progress: ${history.join(" / ")}`);
      }
      const doubled = history.find((s) => /gazette:\s*gazette:/.test(s));
      if (doubled) {
        throw new Error(`the status bar says "gazette:" twice: ${doubled}`);
      }
      // A healthy start says nothing (before, the server answered the
      // extension's diagnostics settings with "unknown diagnostic setting").
      const said = await notificationsText();
      if (/gazette/i.test(said)) {
        throw new Error(`a notification appeared on a healthy start: ${said}`);
      }
      const now = await statusBarGazette();
      if (!/gazette/.test(now.text) || /sync~spin|indexing/.test(now.text)) {
        throw new Error(`status bar after indexing: "${now.text}"`);
      }
    });

    const ent = exp.hoverEntity;
    const from = exp.definitionFrom;
    await scenario(`hover on "${from.text}" shows the card of ${ent.name}`, async () => {
      await openFile(from.path);
      await showHoverAt(from);
      const card = await until(`hover card with "${exp.hoverCounts}"`, async () => {
        const t = await hoverText();
        return [t.includes(exp.hoverCounts), t || "(no hover)"];
      }, T.server);
      for (const want of [ent.name, ent.role].filter(Boolean)) {
        if (!card.includes(want)) {
          throw new Error(`hover card lacks "${want}": ${card}`);
        }
      }
      for (const a of exp.hoverArticles) {
        if (!card.includes(a)) {
          throw new Error(`hover card does not list article ${a}: ${card}`);
        }
      }
      await page.keyboard.press("Escape");
    });

    await scenario(`go to definition opens ${path.basename(exp.definition.path)}`, async () => {
      await goTo(from.line + 1, from.character + 1);
      await command("Go to Definition");
      const want = path.basename(exp.definition.path);
      await until(`active editor is ${want}`, async () => {
        const t = await activeTab();
        return [t === want, t];
      });
      await until(`cursor at the definition ${exp.definition.line + 1}:${exp.definition.character + 1}`, async () => {
        const s = await textOf(".statusbar-item[id='status.editor.selection']");
        return [s.includes(`Ln ${exp.definition.line + 1}, Col ${exp.definition.character + 1}`), s];
      });
      const text = await editorText();
      if (!text.includes(exp.definition.text)) {
        throw new Error(`the definition's text "${exp.definition.text}" is not on screen`);
      }
    });

    await scenario(`find all references lists ${exp.referenceFiles.length} articles`, async () => {
      await openFile(from.path);
      await goTo(from.line + 1, from.character + 1);
      await command("References: Find All References");
      const summary = exp.referenceSummary;
      // The summary line is drawn before the tree's rows: wait for both.
      const files = exp.referenceFiles.map((f) => path.basename(f));
      await until(`references view says "${summary}" and lists ${files.join(", ")}`, async () => {
        const s = await textOf(".part.sidebar");
        return [s.includes(summary) && files.every((f) => s.includes(f)), s || "(empty)"];
      });
    });


    await scenario(`the corpus map shows the entities and a click on ${ent.name} opens the definition`, async () => {
      await command("gazette: Show corpus map");
      const frame = await until("the corpus map's webview", corpusMapFrame, T.server);
      const want = `${exp.map.count} entities`;
      await until(`the corpus map says "${want}"`, async () => {
        const t = norm(await frame.locator("#shown").innerText());
        return [t.startsWith(want + ","), t || "(nothing yet)"];
      }, T.server);
      const graph = await frame.locator("#graph").boundingBox();
      const nodes = await until(`${exp.map.count} nodes drawn`, async () => {
        const n = await mapNodes(frame);
        const ok = Array.isArray(n) && n.length === exp.map.count;
        return [ok, ok ? n : n ? `${n.length} nodes` : "(no Cytoscape instance)"];
      });
      const inside = (n) => n.visible && n.x1 >= 0 && n.y1 >= 0 && n.x2 <= graph.width && n.y2 <= graph.height;
      for (const name of exp.map.names) {
        const n = nodes.find((x) => x.label === name);
        if (!n || !inside(n)) {
          throw new Error(`the map does not draw "${name}" inside its area: ${JSON.stringify(n ?? nodes.map((x) => x.label))}`);
        }
      }
      log(`   map: ${nodes.length} nodes, among them ${exp.map.names.join(", ")}`);
      // The timeline lists the seed articles' dates (front matter and
      // datelines), drawn as a chart; the figure panel has the groups the
      // seeds state in several articles (30 members, 2 %).
      const dates = ["2022-01-20", "2022-02-16", "2022-03-16"];
      await until(`the timeline lists ${dates.join(", ")}`, async () => {
        const t = await frame.locator("#timeline-table").innerText();
        return [dates.every((d) => t.includes(d)), t.slice(0, 200) || "(empty timeline)"];
      });
      if ((await frame.locator("#timeline canvas").count()) === 0) {
        throw new Error("the timeline has no chart");
      }
      const groups = await until("the figure panel shows the 30-members and 2 % groups", async () => {
        const g = await frame.locator(".fig-group").evaluateAll((gs) => gs.map((x) => [x.dataset.key, x.textContent]));
        const ok = g.some(([k, t]) => k === "count:30:mitglied" && t.includes("30")) && g.some(([k]) => k === "percent:2:%");
        return [ok, ok ? g : g.map(([k]) => k).join(", ") || "(no figure groups)"];
      });
      log(`   timeline: ${dates.join(", ")}; figures: ${groups.length} groups`);
      await shot("corpus-map");
      // Click the node where no other node covers it; where others do (the
      // layout is crowded and not the same each time), zoom in on it with
      // the mouse wheel, as a user would, and look again.
      const within = (p, o) =>
        ((p.x - (o.x1 + o.x2) / 2) / ((o.x2 - o.x1) / 2)) ** 2 + ((p.y - (o.y1 + o.y2) / 2) / ((o.y2 - o.y1) / 2)) ** 2 <= 1;
      let spot;
      for (let zoom = 0; ; zoom++) {
        const now = zoom === 0 ? nodes : await mapNodes(frame);
        const target = now.find((x) => x.label === ent.name);
        const others = now.filter((x) => x !== target);
        const cx = (target.x1 + target.x2) / 2;
        const cy = (target.y1 + target.y2) / 2;
        const w = (target.x2 - target.x1) / 4;
        const h = (target.y2 - target.y1) / 4;
        spot = [[0, 0], [w, 0], [-w, 0], [0, h], [0, -h]]
          .map(([dx, dy]) => ({ x: cx + dx, y: cy + dy }))
          .find((p) => inside(target) && !others.some((o) => within(p, o)));
        if (spot) {
          break;
        }
        if (zoom === 5 || !inside(target)) {
          throw new Error(`other nodes cover "${ent.name}" on the map: ${JSON.stringify(target)}`);
        }
        log(`   other nodes cover ${ent.name}: zooming in`);
        await page.mouse.move(graph.x + cx, graph.y + cy);
        await page.mouse.wheel(0, -300);
        await page.waitForTimeout(500);
      }
      await page.mouse.click(graph.x + spot.x, graph.y + spot.y);
      await until(`the map's card names ${ent.name}`, async () => {
        const t = norm(await frame.locator("#card-name").innerText()).trim();
        return [t === ent.name, t || "(empty card)"];
      });
      const def = exp.definition;
      const file = path.basename(def.path);
      await until(`active editor is ${file}`, async () => {
        const t = await activeTab();
        return [t === file, t];
      });
      // The definition is opened with the name selected.
      const sel = `Ln ${def.line + 1}, Col ${def.character + def.text.length + 1} (${def.text.length} selected)`;
      await until(`the selection is the definition "${def.text}" (${sel})`, async () => {
        const s = await textOf(".statusbar-item[id='status.editor.selection']");
        return [s.includes(sel), s];
      });
      const text = await editorText();
      if (!text.includes(def.text)) {
        throw new Error(`the definition's text "${def.text}" is not on screen`);
      }
      await shot("corpus-map-definition");
      // Leave one editor group for the scenarios after this one.
      await command("View: Close All Editor Groups");
    });

    const d = exp.variant;
    await scenario(`"${d.variant}" shows a diagnostic and its quick fix works`, async () => {
      await openFile(d.path);
      await page.keyboard.press("Escape");
      await page.keyboard.press("Control+Shift+M"); // View: Problems
      await until(`Problems panel shows "${d.message}"`, async () => {
        const t = await textOf(".markers-panel");
        return [t.includes(d.message), t || "(empty)"];
      }, T.server);
      // run.sh sets gazette.diagnostics.nameVariants to "warning" (the
      // CLI's default is information): the setting must reach the server.
      const row = await until("the diagnostic's row in the Problems panel", async () => {
        const html = await page.evaluate((msg) => {
          for (const r of document.querySelectorAll(".markers-panel .monaco-list-row")) {
            if (r.innerText.replace(/\u00a0/g, " ").includes(msg)) {
              return r.outerHTML;
            }
          }
          return "";
        }, d.message);
        return [html !== "", html];
      });
      if (!/codicon-warning/.test(row) || /codicon-info/.test(row)) {
        throw new Error(`the diagnostic is not shown as a warning (gazette.diagnostics.nameVariants): ${row.slice(0, 600)}`);
      }
      await shot("problems");
      await goTo(d.line, d.column);
      await command("Quick Fix...");
      const title = `«${d.canonical}»`;
      await until(`quick fix menu offers ${title}`, async () => {
        const t = await textOf(".action-widget");
        return [t.includes(title), t || "(no menu)"];
      });
      await shot("quick-fix-menu");
      // The menu is keyboard-driven (a pointer block covers it): move the
      // focus to the fix and press Enter.
      await until(`quick fix ${title} is focused`, async () => {
        const focused = norm(
          await page.locator(".action-widget .monaco-list-row.focused").first().getAttribute("aria-label"),
        );
        if (focused.includes(title)) {
          return [true, focused];
        }
        await page.keyboard.press("ArrowDown");
        return [false, focused];
      });
      await page.keyboard.press("Enter");
      await until(`line ${d.line} reads "${d.fixedLine}"`, async () => {
        const t = await editorText();
        return [t.includes(d.fixedLine), t];
      });
      const t = await editorText();
      if (t.includes(d.originalLine)) {
        throw new Error(`the original line is still there: "${d.originalLine}"`);
      }
      await until("the diagnostic is gone from the Problems panel", async () => {
        const p = await textOf(".markers-panel");
        return [!p.includes(d.message), p];
      }, T.server);
    });

    const r = exp.rename;
    await scenario(`rename "${r.from.text}" to "${r.newName}" changes ${path.basename(r.other.path)}`, async () => {
      await openFile(r.from.path);
      await goTo(r.from.line + 1, r.from.character + 1);
      await command("Rename Symbol");
      const box = page.locator(".rename-box input, .rename-box textarea").first();
      await box.waitFor({ state: "visible", timeout: T.ui });
      await box.fill(r.newName);
      await shot("rename-box");
      await page.keyboard.press("Enter");
      await until(`"${r.newName}" in ${path.basename(r.from.path)}`, async () => {
        const t = await editorText();
        return [t.includes(r.newName), t];
      }, T.server);
      await openFile(r.other.path);
      await goTo(r.other.line + 1, r.other.character + 1);
      await until(`"${r.otherExpected}" in ${path.basename(r.other.path)}`, async () => {
        const t = await editorText();
        return [t.includes(r.otherExpected), t];
      });
    });

    const an = exp.annotation;
    await scenario(`annotate "${an.name ?? "a place"}" by code action and the hover changes`, async () => {
      if (typeof an === "string") {
        throw new Error(`no mention to annotate: ${an}`);
      }
      // The card at mention `m` once `pred` holds (a screenshot of it
      // named `name`, if given).
      const hoverAt = async (m, what, pred, name) => {
        await openFile(m.path);
        await showHoverAt(m);
        const t = await until(what, async () => {
          const h = await hoverText();
          return [pred(h), h || "(no hover)"];
        }, T.server);
        if (name) {
          await shot(name);
        }
        await page.keyboard.press("Escape");
        return t;
      };
      // Before: the machine's card, no annotation.
      const before = await hoverAt(an.first, `hover card of "${an.name}"`, (h) => h.includes(an.name), "hover-before");
      if (before.includes("annotated here")) {
        throw new Error(`"${an.name}" is annotated before the test annotated it: ${before}`);
      }
      // 1. Through the Quick Fix menu (Ctrl+.): the server's code action.
      await goTo(an.first.line + 1, an.first.character + 1);
      await command("Quick Fix...");
      await until(`the code action menu offers "${an.menuTitle}"`, async () => {
        const t = await textOf(".action-widget");
        return [t.includes(an.menuTitle), t || "(no menu)"];
      });
      await shot("annotate-menu");
      await until(`"${an.menuTitle}" is focused`, async () => {
        const focused = norm(
          await page.locator(".action-widget .monaco-list-row.focused").first().getAttribute("aria-label"),
        );
        if (focused.includes(an.menuTitle)) {
          return [true, focused];
        }
        await page.keyboard.press("ArrowDown");
        return [false, focused];
      });
      await page.keyboard.press("Enter");
      const after = await hoverAt(
        an.first,
        `the hover says "${an.firstHover}"`,
        (h) => h.includes(an.firstHover),
        "annotated-hover",
      );
      if (!after.includes(an.name)) {
        throw new Error(`the annotated mention's card lost its entity "${an.name}": ${after}`);
      }
      // 2. Through the command (Alt+A P): another mention becomes a person.
      await openFile(an.second.path);
      await goTo(an.second.line + 1, an.second.character + 1);
      await command(an.command);
      await hoverAt(
        an.second,
        `the hover says "${an.secondHover}"`,
        (h) => h.includes(an.secondHover),
        "annotated-hover-command",
      );
      // The store holds both annotations, one line each.
      await openFile("gazette.annotations.jsonl");
      await until(`the store shows ${an.storeLabels.join(" and ")} for "${an.name}"`, async () => {
        const t = await editorText();
        return [an.storeLabels.every((l) => t.includes(l)) && t.includes(`"exact":"${an.name}"`), t || "(empty)"];
      });
    });

    await scenario("the server restarts after a crash and the extension says so", async () => {
      const before = serverPids();
      if (before.length !== 1) {
        throw new Error(`expected one running gazette server, found pids [${before}]`);
      }
      log(`   killing the server (pid ${before[0]})`);
      process.kill(before[0], "SIGKILL");
      await waitNotification(
        "a notification says the server stopped and is restarted",
        (t) => /gazette: the server stopped unexpectedly/.test(t) && /restart/i.test(t),
      );
      await shot("crash-notification");
      const after = await until("a new gazette server runs", async () => {
        const p = serverPids().filter((x) => !before.includes(x));
        return [p.length > 0, p];
      }, T.server);
      log(`   new server: pid ${after}`);
      await until("the status bar shows gazette ready again", async () => {
        const s = await statusBarGazette();
        return [Boolean(s && /gazette/.test(s.text) && !/circle-slash|restarting|sync~spin/.test(s.text)), s ? s.text : "(none)"];
      }, T.server);
      // And it answers again.
      await openFile(from.path);
      await showHoverAt(from);
      await until(`hover card with "${ent.name}" after the restart`, async () => {
        const t = await hoverText();
        return [t.includes(ent.name), t || "(no hover)"];
      }, T.server);
      await page.keyboard.press("Escape");
    });

    await scenario("a wrong gazette.path gives a clear message", async () => {
      const bad = path.join(WORK, "no-such-dir", "gazette");
      const dir = path.join(CORPUS, ".vscode");
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "settings.json"), JSON.stringify({ "gazette.path": bad }, null, 2));
      if (process.getuid && process.getuid() === 0) {
        const st = fs.statSync(CORPUS);
        fs.chownSync(dir, st.uid, st.gid);
        fs.chownSync(path.join(dir, "settings.json"), st.uid, st.gid);
      }
      const msg = await waitNotification(
        `an error notification names ${bad} and gazette.path`,
        (t) => t.includes(bad) && t.includes("gazette.path"),
      );
      await shot("wrong-path-notification");
      log(`   message: ${msg.split("\n").find((l) => l.includes(bad))}`);
      for (const noise of ["EPIPE", "failed"]) {
        if (msg.includes(noise)) {
          throw new Error(`besides the message, the user sees "${noise}": ${msg}`);
        }
      }
      await until("no gazette server runs", async () => [serverPids().length === 0, serverPids()], T.server);
      await until("the status bar shows the server is not running", async () => {
        const s = await statusBarGazette();
        return [Boolean(s && /not running/.test(s.label)), s ? `${s.text} | ${s.label}` : "(none)"];
      });
    });

    await scenario("a folder without gazette.toml starts no server", async () => {
      // The same articles, no gazette.toml: the extension activates (it
      // listens for plain text) but stays out of the way in "auto" mode.
      await page.goto(env("E2E_PLAIN_URL"), { timeout: T.server });
      await page.locator(".monaco-workbench").waitFor({ timeout: T.server });
      const first = path.basename(exp.definition.path);
      await until(`explorer shows ${first}`, async () => {
        const t = await textOf(".explorer-folders-view");
        return [t.includes(first) && !t.includes("gazette.toml"), t];
      }, T.server);
      await openFile(first);
      // Give a server every chance to appear before checking that none did.
      await page.waitForTimeout(5000);
      const pids = serverPids();
      if (pids.length) {
        throw new Error(`a gazette server runs without gazette.toml: pids ${pids}`);
      }
      const s = await statusBarGazette();
      if (s && (await s.el.isVisible())) {
        throw new Error(`the gazette status bar item is shown without gazette.toml: "${s.text}"`);
      }
    });
  } finally {
    fs.writeFileSync(path.join(ARTIFACTS, "results.json"), JSON.stringify(results, null, 2));
    await browser.close().catch(() => undefined);
    consoleLog.end();
  }
}

main().then(
  () => {
    log(`PASS: ${results.length} scenarios`);
    process.exit(0);
  },
  (e) => {
    console.error(`[vscode e2e] FAIL: ${e.message}`);
    process.exit(1);
  },
);
