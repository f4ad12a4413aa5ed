import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

// out/test/ -> extension folder
const root = path.join(__dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

const TOKEN_TYPES = ["person", "place", "organization", "figure"];

test("semantic token types are declared and mapped to scopes", () => {
  const ids = pkg.contributes.semanticTokenTypes.map((t: { id: string }) => t.id);
  assert.deepEqual(ids, TOKEN_TYPES);
  const scopes = pkg.contributes.semanticTokenScopes[0].scopes;
  for (const t of TOKEN_TYPES) {
    assert.ok(Array.isArray(scopes[t]) && scopes[t].length > 0, `no TextMate scope for ${t}`);
  }
});

test("every contributed command is registered by the extension and vice versa", () => {
  const declared = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
  const src = fs.readFileSync(path.join(root, "out", "extension.js"), "utf8");
  const registered = [...src.matchAll(/registerCommand\("([^"]+)"/g)].map((m) => m[1]).sort();
  assert.deepEqual(registered, declared);
});

test("activation covers gazette.toml workspaces and plain text / markdown", () => {
  assert.deepEqual(pkg.activationEvents.sort(), [
    "onLanguage:markdown",
    "onLanguage:plaintext",
    "workspaceContains:**/gazette.toml",
  ]);
  assert.equal(pkg.main, "./out/extension.js");
  assert.ok(fs.existsSync(path.join(root, "LICENSE")));
  assert.ok(fs.existsSync(path.join(root, "README.md")));
});
