// Unit tests of the e2e test's expectations (run by `npm test`): they must
// follow the CLI's output, not the seed corpus.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";

import { NEAR_START, annotationTarget, expectations, listArticles, parseCheckLine } from "./expect.mjs";

test("check lines are parsed into path, position, code and message", () => {
  assert.deepEqual(
    parseCheckLine("/c/a b.txt:37:25: info[name-variant] «Vladimir Putin» is a variant spelling (1×) of «Wladimir Putin» (3× in the corpus)"),
    {
      path: "/c/a b.txt",
      line: 37,
      column: 25,
      severity: "info",
      code: "name-variant",
      message: "«Vladimir Putin» is a variant spelling (1×) of «Wladimir Putin» (3× in the corpus)",
    },
  );
  assert.equal(parseCheckLine("gazette: 2 diagnostics in 6 files"), undefined);
});

function corpus(t, files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gazette-e2e-expect-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const mention = (dir, file, text, line, character) => ({
  path: path.join(dir, file),
  byte_start: line * 1000 + character,
  byte_end: line * 1000 + character + text.length,
  text,
  line,
  character,
});

test("expectations are computed from the CLI output", (t) => {
  const dir = corpus(t, {
    "a.txt": "Anna Berg kam.\nBerg sprach.\n",
    "b.md": "Die Ärztin Anne Berg und Berg.\n",
    "sub/c.txt": "Nichts.\n",
    "gazette.toml": "",
    "notes.csv": "not an article",
  });
  const entities = {
    entities: [
      {
        name: "Anne Berg",
        role: "Ärztin",
        mentions: [
          // Out of order on purpose, and one mention in the knowledge base.
          mention(dir, "b.md", "Anne Berg", 0, 11),
          mention(dir, "a.txt", "Berg", 1, 0),
          mention(dir, "gazette.toml", "Anne Berg", 3, 8),
          mention(dir, "b.md", "Berg", 0, 25),
          mention(dir, "a.txt", "Anna Berg", 0, 0),
        ],
      },
      { name: "Anna Lind", role: null, mentions: [mention(dir, "b.md", "Anna Lind", 1, 0)] },
      { name: "Nur im Wissen", role: null, mentions: [mention(dir, "gazette.toml", "Nur im Wissen", 5, 0)] },
    ],
  };
  const check = [
    `${path.join(dir, "a.txt")}:1:1: info[name-variant] «Anna Berg» is a variant spelling (1×) of «Anne Berg» (1× in the corpus)`,
    "gazette: 1 diagnostic in 3 files",
  ].join("\n");
  const e = expectations({
    entitiesJson: JSON.stringify(entities),
    checkText: check,
    corpusDir: dir,
    readFile: (p) => fs.readFileSync(p, "utf8"),
    entityName: "Anne Berg",
    variantText: "Anna Berg",
  });
  assert.equal(e.articleCount, 3);
  assert.deepEqual(e.hoverEntity, { name: "Anne Berg", role: "Ärztin" });
  assert.equal(e.hoverCounts, "4 mentions in 2 articles");
  assert.deepEqual(e.hoverArticles, ["a.txt", "b.md"]);
  assert.equal(e.referenceSummary, "4 results in 2 files");
  // The first full-name mention in path order is in b.md (a.txt spells it
  // differently); hover and definition start from another article.
  assert.equal(path.basename(e.definition.path), "b.md");
  assert.equal(e.definition.character, 11);
  assert.equal(path.basename(e.definitionFrom.path), "a.txt");
  assert.equal(e.variant.canonical, "Anne Berg");
  assert.equal(e.variant.originalLine, "Anna Berg kam.");
  assert.equal(e.variant.fixedLine, "Anne Berg kam.");
  assert.equal(e.rename.from.text, "Berg");
  assert.equal(path.basename(e.rename.from.path), "a.txt");
  assert.equal(path.basename(e.rename.other.path), "b.md");
  assert.equal(e.rename.newName, "Berg-E2E");
  assert.equal(e.rename.otherExpected, "Anne Berg-E2E");
  // Named in no article (only the knowledge base): not on the map.
  assert.deepEqual(e.map, { count: 2, names: ["Anne Berg", "Anna Lind"] });
});

test("the corpus map's expected names are those sure to be in its top 60", (t) => {
  const dir = corpus(t, { "a.txt": "x\n", "b.txt": "x\n", "c.txt": "x\n" });
  const ent = (name, files) => ({ name, role: null, mentions: files.map((f) => mention(dir, f, name, 0, 0)) });
  const many = Array.from({ length: 70 }, (_, i) => ent(`E${i}`, ["c.txt"]));
  const entities = { entities: [...many, ent("Anna Berg", ["a.txt", "b.txt"]), ent("Top", ["a.txt", "b.txt", "c.txt"])] };
  const e = expectations({
    entitiesJson: JSON.stringify(entities),
    checkText: `${path.join(dir, "a.txt")}:1:1: info[name-variant] «x» is a variant spelling (1×) of «y» (1× in the corpus)`,
    corpusDir: dir,
    readFile: (p) => fs.readFileSync(p, "utf8"),
    entityName: "Anna Berg",
    variantText: "x",
  });
  assert.deepEqual(e.map, { count: 60, names: ["Anna Berg", "Top"] });
});

test("a name the CLI does not report fails with a clear message", (t) => {
  const dir = corpus(t, { "a.txt": "x\n" });
  assert.throws(
    () =>
      expectations({
        entitiesJson: JSON.stringify({ entities: [] }),
        checkText: "",
        corpusDir: dir,
        readFile: (p) => fs.readFileSync(p, "utf8"),
        entityName: "Jens Stoltenberg",
      }),
    /does not list "Jens Stoltenberg"/,
  );
});

test("a diagnostic whose position does not hold the variant is refused", (t) => {
  const dir = corpus(t, { "a.txt": "Anna Berg\n", "b.txt": "Anna Berg\n" });
  const entities = {
    entities: [
      {
        name: "Anna Berg",
        role: null,
        mentions: [mention(dir, "a.txt", "Anna Berg", 0, 0), mention(dir, "b.txt", "Anna Berg", 0, 0)],
      },
    ],
  };
  assert.throws(
    () =>
      expectations({
        entitiesJson: JSON.stringify(entities),
        checkText: `${path.join(dir, "a.txt")}:1:3: info[name-variant] «Anna Berg» is a variant spelling (1×) of «Anne Berg» (1× in the corpus)`,
        corpusDir: dir,
        readFile: (p) => fs.readFileSync(p, "utf8"),
        entityName: "Anna Berg",
        variantText: "Anna Berg",
      }),
    /is not at/,
  );
});

test("articles are the .txt and .md files below the corpus", (t) => {
  const dir = corpus(t, { "x/y.md": "", "a.txt": "", "gazette.toml": "", "b.csv": "" });
  assert.deepEqual(
    listArticles(dir).map((p) => path.relative(dir, p)),
    ["a.txt", path.join("x", "y.md")],
  );
});

test("the annotation scenario takes the place named in the most articles, off the busy lines", (t) => {
  const dir = corpus(t, { "a.txt": "", "b.txt": "", "c.txt": "" });
  const m = (file, text, line, character) => mention(dir, file, text, line, character);
  const entities = [
    { name: "Paris", kind: "place", mentions: [m("a.txt", "Paris", 0, 0), m("a.txt", "Paris", 2, 0)] },
    {
      name: "Brüssel",
      kind: "place",
      mentions: [
        m("c.txt", "Brüssel", 4, 3),
        m("a.txt", "Brüssels", 1, 0), // inflected: not spelt as the name
        m("a.txt", "Brüssel", 3, 9), // a busy line
        m("gazette.toml", "Brüssel", 0, 0),
        m("b.txt", "Brüssel", 2, 0),
      ],
    },
    { name: "NATO", kind: "org", mentions: [m("a.txt", "NATO", 0, 0), m("b.txt", "NATO", 0, 0), m("c.txt", "NATO", 0, 0)] },
  ];
  const a = annotationTarget(entities, [{ path: path.join(dir, "a.txt"), line: 3 }, undefined]);
  assert.equal(a.name, "Brüssel");
  assert.deepEqual([path.basename(a.first.path), a.first.line], ["b.txt", 2]);
  assert.deepEqual([path.basename(a.second.path), a.second.line], ["c.txt", 4]);
  assert.equal(a.menuTitle, "Annotate: organisation here");
  assert.equal(a.command, "gazette: Annotate as person");
  // Only one usable mention of each place: no target, and why.
  const none = annotationTarget([entities[1]], [
    { path: path.join(dir, "b.txt"), line: 2 },
    { path: path.join(dir, "a.txt"), line: 3 },
  ]);
  assert.match(none, /no place is named twice/);
});

test("the annotation scenario prefers mentions near the start of their line", (t) => {
  const dir = corpus(t, { "a.txt": "", "b.txt": "" });
  const m = (file, text, line, character) => mention(dir, file, text, line, character);
  const far = NEAR_START; // ends past the column limit
  const entities = [
    {
      name: "Brüssel",
      kind: "place",
      mentions: [m("a.txt", "Brüssel", 0, far), m("a.txt", "Brüssel", 5, 2), m("b.txt", "Brüssel", 1, far), m("b.txt", "Brüssel", 3, 40)],
    },
  ];
  const a = annotationTarget(entities, []);
  assert.deepEqual([path.basename(a.first.path), a.first.line], ["a.txt", 5]);
  assert.deepEqual([path.basename(a.second.path), a.second.line], ["b.txt", 3]);
  // Far mentions still serve when there is nothing else.
  const only = annotationTarget([{ ...entities[0], mentions: [entities[0].mentions[0], entities[0].mentions[2]] }], []);
  assert.deepEqual([only.first.line, only.second.line], [0, 1]);
});
