import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

import {
  ANNOTATE_ANY,
  ANNOTATE_COMMANDS,
  ANNOTATE_KIND,
  annotationActions,
  kindOf,
  matchesKind,
  nothingHere,
} from "../annotate";

const root = path.join(__dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

test("kinds: one per annotation, matched as LSP matches context.only", () => {
  assert.equal(kindOf("person"), "refactor.annotate.person");
  assert.equal(kindOf(undefined), ANNOTATE_KIND);
  assert.ok(matchesKind("refactor.annotate.person", "refactor.annotate.person"));
  assert.ok(matchesKind("refactor.annotate.person", "refactor.annotate"));
  assert.ok(!matchesKind("refactor.annotate.person", "refactor.annotate.per"));
  assert.ok(!matchesKind("refactor.annotate.place", "refactor.annotate.person"));
  assert.ok(!matchesKind("refactor", "refactor.annotate"));
  assert.ok(!matchesKind(undefined, "refactor.annotate"));
  const whats = ANNOTATE_COMMANDS.map((c) => c.what);
  assert.deepEqual(whats, ["person", "place", "organisation", "other", "not-a-name", "confirm"]);
});

test("only annotation actions of the kind asked for, with an edit, are applied", () => {
  const edit = { documentChanges: [] };
  const result = [
    { title: "Annotate: organisation here", kind: "refactor.annotate.organisation", edit },
    { title: "Annotate: person here", kind: "refactor.annotate.person", edit },
    { title: "Add «Berlin» to gazette.toml", kind: "refactor", edit },
    { title: "no edit", kind: "refactor.annotate.person" },
    { title: "a command", command: "gazette.x", kind: "refactor.annotate.person" },
    null,
    7,
  ];
  assert.deepEqual(
    annotationActions(result, "refactor.annotate.person").map((a) => a.title),
    ["Annotate: person here"],
  );
  assert.deepEqual(
    annotationActions(result, ANNOTATE_KIND).map((a) => a.title),
    ["Annotate: organisation here", "Annotate: person here"],
  );
  assert.deepEqual(annotationActions(null, ANNOTATE_KIND), []);
  assert.deepEqual(annotationActions({}, ANNOTATE_KIND), []);
  assert.match(nothingHere("person"), /no "person" annotation here/);
});

test("every annotation command is contributed with its alt+a chord", () => {
  const all = [...ANNOTATE_COMMANDS, ANNOTATE_ANY];
  const cmds = new Map(pkg.contributes.commands.map((c: { command: string; title: string }) => [c.command, c]));
  const keys = new Map(
    pkg.contributes.keybindings.map((k: { command: string; key: string }) => [k.command, k.key]),
  );
  for (const c of all) {
    const declared = cmds.get(c.command) as { title: string; category: string } | undefined;
    assert.ok(declared, `${c.command} is not in package.json`);
    assert.equal(declared.title, c.title);
    assert.equal(declared.category, "gazette");
    assert.equal(keys.get(c.command), `alt+a ${c.key}`);
  }
  const chords = [...keys.values()];
  assert.equal(new Set(chords).size, chords.length, "two commands share a key");
});
