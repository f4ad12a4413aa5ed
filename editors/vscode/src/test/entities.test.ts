import * as assert from "node:assert/strict";
import { test } from "node:test";

import {
  describe,
  fromEntitiesResult,
  fromWorkspaceSymbols,
  isMethodNotFound,
} from "../entities";

const r = (l: number, c0: number, c1: number) => ({
  start: { line: l, character: c0 },
  end: { line: l, character: c1 },
});

test("gazette/entities result", () => {
  const list = fromEntitiesResult({
    entities: [
      {
        id: "per:jens-stoltenberg",
        name: "Jens Stoltenberg",
        kind: "person",
        mentions: [
          { uri: "file:///c/a.txt", range: r(4, 0, 16) },
          { uri: "file:///c/a.txt", range: r(9, 6, 17) },
          { uri: "file:///c/b.txt", range: r(1, 2, 13) },
          { uri: 7, range: r(1, 2, 13) },
        ],
      },
      { id: 12, name: "Brüssel", kind: "place", mentions: [] },
      { name: 5 },
      null,
    ],
  });
  assert.equal(list.length, 2);
  assert.equal(list[0].name, "Jens Stoltenberg");
  assert.equal(list[0].mentions.length, 3, "mention with a non-string uri is dropped");
  assert.deepEqual(list[0].mentions[2], { uri: "file:///c/b.txt", range: r(1, 2, 13) });
  assert.equal(list[1].id, "12");
  assert.deepEqual(describe(list[0]), {
    label: "Jens Stoltenberg",
    description: "person",
    detail: "3 mentions in 2 articles",
  });
  assert.equal(describe(list[1]).detail, "");
  assert.deepEqual(fromEntitiesResult(null), []);
  assert.deepEqual(fromEntitiesResult({ entities: "x" }), []);
});

test("workspace/symbol fallback: SymbolInformation and WorkspaceSymbol", () => {
  const list = fromWorkspaceSymbols([
    { name: "NATO", kind: 5, location: { uri: "file:///c/a.txt", range: r(0, 0, 4) } },
    { name: "Kiew", kind: 3, containerName: "place", location: { uri: "file:///c/b.txt" } },
    { name: "x", kind: 999, location: { uri: "file:///c/b.txt", range: { start: 1 } } },
    { kind: 5 },
  ]);
  assert.equal(list.length, 3);
  assert.equal(list[0].kind, "class");
  assert.deepEqual(list[0].mentions, [{ uri: "file:///c/a.txt", range: r(0, 0, 4) }]);
  assert.equal(list[1].kind, "place");
  assert.deepEqual(list[1].mentions, [{ uri: "file:///c/b.txt" }], "unresolved WorkspaceSymbol");
  assert.equal(list[2].kind, "symbol");
  assert.deepEqual(list[2].mentions, [{ uri: "file:///c/b.txt" }], "broken range is dropped");
  assert.notEqual(list[0].id, list[2].id);
  assert.deepEqual(fromWorkspaceSymbols(null), []);
});

test("method-not-found detection", () => {
  assert.equal(isMethodNotFound({ code: -32601, message: "Method not found" }), true);
  assert.equal(isMethodNotFound({ code: -32603 }), false);
  assert.equal(isMethodNotFound(new Error("boom")), false);
  assert.equal(isMethodNotFound(undefined), false);
});
