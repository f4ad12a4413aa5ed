import * as assert from "node:assert/strict";
import { test } from "node:test";

import { cleanFilters, CorpusMapController, GRAPH_METHOD, MapHost, webviewHtml } from "../corpusMap";
import { LspLocation } from "../entities";

const def = (uri: string, line: number) => ({
  uri,
  range: { start: { line, character: 0 }, end: { line, character: 16 } },
});

/** A host recording what the controller does; the server answers `answer`. */
function host(answer: (params: unknown) => unknown) {
  const calls = {
    requests: [] as [string, unknown][],
    posts: [] as unknown[],
    opened: [] as LspLocation[],
    references: [] as LspLocation[],
    errors: [] as string[],
  };
  const h: MapHost = {
    request: async (method, params) => {
      calls.requests.push([method, params]);
      return answer(params);
    },
    post: (m) => void calls.posts.push(m),
    open: async (l) => void calls.opened.push(l),
    references: async (l) => void calls.references.push(l),
    error: (m) => void calls.errors.push(m),
  };
  return { h, calls };
}

const MAP = {
  articles: 5,
  dated: 3,
  nodes: [
    { name: "NATO", kind: "org", articles: 5, definition: def("file:///c/gazette.toml", 12) },
    { name: "Jens Stoltenberg", kind: "person", articles: 4, definition: def("file:///c/001.txt", 4) },
    { name: "Kiew", kind: "place", articles: 1, definition: null },
  ],
  edges: [{ source: 0, target: 1, weight: 4 }],
};

test("request → render → click → jump", async () => {
  const { h, calls } = host(() => MAP);
  const c = new CorpusMapController(h);
  await c.onMessage({ type: "ready" });
  assert.deepEqual(calls.requests, [[GRAPH_METHOD, {}]]);
  assert.deepEqual(calls.posts, [{ type: "map", map: MAP, filters: {} }]);
  // A click on Jens Stoltenberg (node 1) opens his definition.
  await c.onMessage({ type: "open", node: 1 });
  assert.deepEqual(calls.opened, [def("file:///c/001.txt", 4)]);
  await c.onMessage({ type: "references", node: 0 });
  assert.deepEqual(calls.references, [def("file:///c/gazette.toml", 12)]);
  // No location: said, nothing opened; unknown indexes and messages are ignored.
  await c.onMessage({ type: "open", node: 2 });
  await c.onMessage({ type: "open", node: 7 });
  await c.onMessage({ type: "open", node: "1" });
  assert.equal(calls.opened.length, 1);
  assert.equal(calls.errors.length, 3);
  await c.onMessage({ type: "nonsense" });
  await c.onMessage(null);
  assert.equal(calls.requests.length, 1);
});

test("filters go to the server, cleaned, and the newest answer wins", async () => {
  const answers: ((v: unknown) => void)[] = [];
  const { h, calls } = host(() => new Promise((resolve) => answers.push(resolve)));
  const c = new CorpusMapController(h);
  const first = c.onMessage({ type: "filter", filters: { kinds: ["person"], topN: 10 } });
  const second = c.onMessage({
    type: "filter",
    filters: { kinds: ["person", "planet"], from: "2022-02-01", to: "<b>", minCount: 0, topN: 5 },
  });
  assert.deepEqual(calls.requests[1], [GRAPH_METHOD, { kinds: ["person"], from: "2022-02-01", topN: 5 }]);
  answers[1]({ nodes: [MAP.nodes[1]], edges: [] });
  answers[0](MAP);
  await Promise.all([first, second]);
  assert.equal(calls.posts.length, 1, "the older answer is dropped");
  // Node 0 is now Jens Stoltenberg: indexes refer to the map last posted.
  await c.onMessage({ type: "open", node: 0 });
  assert.deepEqual(calls.opened, [def("file:///c/001.txt", 4)]);
});

test("a failed request is posted as an error", async () => {
  const { h, calls } = host(() => {
    throw { code: -32602, message: "kinds: unknown kind" };
  });
  await new CorpusMapController(h).onMessage({ type: "ready" });
  assert.deepEqual(calls.posts, [{ type: "error", message: "kinds: unknown kind" }]);
});

test("filters from the webview are checked", () => {
  assert.deepEqual(cleanFilters(null), {});
  assert.deepEqual(cleanFilters({ kinds: "person", minCount: 2.5, topN: 1e9 }), {});
  assert.deepEqual(cleanFilters({ kinds: [1, "org"], minCount: 3 }), { kinds: ["org"], minCount: 3 });
});

test("the webview page allows only the extension's scripts", () => {
  const html = webviewHtml({
    cspSource: "vscode-resource:",
    nonce: "abc123",
    scripts: ["vscode-resource:/media/corpusMap.js"],
    styles: ['vscode-resource:/media/x".css'],
  });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? "";
  assert.match(csp, /^default-src 'none'; script-src 'nonce-abc123'; style-src vscode-resource:;/);
  assert.ok(!csp.includes("unsafe"), csp);
  assert.match(html, /<script nonce="abc123" src="vscode-resource:\/media\/corpusMap.js"><\/script>/);
  assert.ok(html.includes('href="vscode-resource:/media/x&quot;.css"'));
  assert.ok(!/<script>/.test(html), "no inline script");
  // The three panels of the report: network, timeline, figures.
  for (const id of ["graph", "card-articles", "timeline", "timeline-table", "figures"]) {
    assert.ok(html.includes(`id="${id}"`), id);
  }
});
