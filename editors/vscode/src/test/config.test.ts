import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

import {
  configurationItem,
  configurationPush,
  DEFAULTS,
  objectReader,
  readSettings,
  serverCommand,
  serverSettings,
  shouldStart,
} from "../config";

const none = () => undefined;

test("empty settings give the defaults", () => {
  assert.deepEqual(readSettings(none), DEFAULTS);
});

test("defaults agree with package.json contributes.configuration", () => {
  // out/test/ -> extension folder
  const pkgPath = path.join(__dirname, "..", "..", "package.json");
  const pkg = JSON.parse(fs.readFileSync(pkgPath, "utf8"));
  const props: Record<string, { default: unknown }> = pkg.contributes.configuration.properties;
  const fromPkg: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(props)) {
    fromPkg[key.replace(/^gazette\./, "")] = spec.default;
  }
  assert.deepEqual(readSettings(objectReader(fromPkg)), DEFAULTS);
  // Every setting the module reads is declared in package.json.
  for (const key of [
    "enable",
    "path",
    "include",
    "exclude",
    "diagnostics.enable",
    "diagnostics.nameVariants",
    "diagnostics.figureDisagreement",
    "diagnostics.unknownName",
    "maxFileSize",
    "trace.server",
  ]) {
    assert.ok(`gazette.${key}` in props, `gazette.${key} missing from package.json`);
  }
  assert.equal(Object.keys(props).length, 10, "package.json declares a setting config.ts ignores");
});

test("values are normalised and invalid ones fall back to defaults", () => {
  const s = readSettings(
    objectReader({
      enable: true,
      path: "  /opt/gazette/bin/gazette ",
      include: ["**/*.txt", " **/*.txt ", "", 3, "news/**"],
      exclude: "archive/**",
      "diagnostics.enable": "yes",
      diagnostics: { nameVariants: "WARNING", figureDisagreement: "loud", unknownName: "info" },
      maxFileSize: "2048.7",
      trace: { server: "verbose" },
    }),
  );
  assert.equal(s.enable, "always");
  assert.equal(s.path, "/opt/gazette/bin/gazette");
  assert.deepEqual(s.include, ["**/*.txt", "news/**"]);
  assert.deepEqual(s.exclude, ["archive/**"]);
  assert.equal(s.diagnostics.enable, true, "non-boolean falls back to default");
  assert.equal(s.diagnostics.nameVariants, "warning");
  assert.equal(s.diagnostics.figureDisagreement, "warning", "unknown severity -> default");
  assert.equal(s.diagnostics.unknownName, "information");
  assert.equal(s.maxFileSize, 2048);
  assert.equal(s.trace.server, "verbose");
  assert.equal(readSettings(objectReader({ maxFileSize: -1 })).maxFileSize, DEFAULTS.maxFileSize);
  assert.equal(readSettings(objectReader({ enable: false })).enable, "never");
  assert.equal(readSettings(objectReader({ path: "   " })).path, null);
});

test("server settings carry what the server needs and nothing editor-only", () => {
  const s = readSettings(objectReader({ path: "/x/gazette", exclude: ["a/**"], maxFileSize: 10 }));
  const init = serverSettings(s) as unknown as Record<string, unknown>;
  assert.deepEqual(Object.keys(init).sort(), ["diagnostics", "exclude", "include", "maxFileSize"]);
  assert.deepEqual(init.exclude, ["a/**"]);
  assert.equal(init.maxFileSize, 10);
  // A copy: mutating it does not change the settings.
  (init.exclude as string[]).push("b/**");
  assert.deepEqual(s.exclude, ["a/**"]);
});

test("server command", () => {
  const ctx = { workspaceFolder: "/ws", home: "/home/u" };
  const cmd = (p: unknown) => serverCommand(readSettings(objectReader({ path: p })), ctx);
  assert.deepEqual(cmd(undefined), { command: "gazette", args: ["lsp"] });
  assert.deepEqual(cmd(""), { command: "gazette", args: ["lsp"] });
  assert.deepEqual(cmd("gazette-dev"), { command: "gazette-dev", args: ["lsp"] });
  assert.deepEqual(cmd("/usr/local/bin/gazette"), { command: "/usr/local/bin/gazette", args: ["lsp"] });
  assert.deepEqual(cmd("~/bin/gazette"), { command: "/home/u/bin/gazette", args: ["lsp"] });
  assert.deepEqual(cmd("target/debug/gazette"), { command: "/ws/target/debug/gazette", args: ["lsp"] });
  assert.deepEqual(cmd("${workspaceFolder}/target/release/gazette"), {
    command: "/ws/target/release/gazette",
    args: ["lsp"],
  });
  // Without a workspace folder a relative path is left alone.
  assert.deepEqual(serverCommand(readSettings(objectReader({ path: "bin/gazette" }))), {
    command: "bin/gazette",
    args: ["lsp"],
  });
});

test("gating on gazette.enable and gazette.toml", () => {
  assert.equal(shouldStart("auto", true), true);
  assert.equal(shouldStart("auto", false), false);
  assert.equal(shouldStart("always", false), true);
  assert.equal(shouldStart("never", true), false);
});

test("workspace/configuration answers", () => {
  const s = readSettings(objectReader({ diagnostics: { unknownName: "off" }, path: "/x" }));
  const whole = configurationItem("gazette", s) as Record<string, unknown>;
  assert.deepEqual(whole, serverSettings(s));
  assert.ok(!("path" in whole));
  // The server's group names (singular nameVariant), not the setting names.
  assert.deepEqual(configurationItem("gazette.diagnostics", s), {
    nameVariant: "information",
    unknownName: "off",
    figureDisagreement: "warning",
  });
  assert.equal(configurationItem("gazette.diagnostics.unknownName", s), "off");
  assert.equal(configurationItem("gazette.noSuchKey", s), null);
  assert.equal(configurationItem("editor", s), undefined, "other sections are left to VS Code");
  assert.equal(configurationItem("gazetteer", s), undefined);
  assert.equal(configurationItem(undefined, s), undefined);
});

test("diagnostic settings are sent with the server's group names", () => {
  // The groups the server knows (crates/core/src/kb/mod.rs, DIAGNOSTIC_GROUPS):
  // anything else it reports as "unknown diagnostic setting".
  const kbSource = fs.readFileSync(
    path.join(__dirname, "..", "..", "..", "..", "crates", "core", "src", "kb", "mod.rs"),
    "utf8",
  );
  const m = /DIAGNOSTIC_GROUPS: &\[&str\] = &\[([^\]]*)\]/.exec(kbSource);
  assert.ok(m, "DIAGNOSTIC_GROUPS not found in kb/mod.rs");
  const groups = [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]);
  const on = serverSettings(
    readSettings(objectReader({ diagnostics: { nameVariants: "warning", unknownName: "off", figureDisagreement: "error" } })),
  );
  assert.deepEqual(on.diagnostics, { nameVariant: "warning", unknownName: "off", figureDisagreement: "error" });
  const off = serverSettings(readSettings(objectReader({ diagnostics: { enable: false } })));
  assert.deepEqual(off.diagnostics, { nameVariant: "off", unknownName: "off", figureDisagreement: "off", kb: "off" });
  for (const key of [...Object.keys(on.diagnostics), ...Object.keys(off.diagnostics)]) {
    assert.ok(groups.includes(key), `the server has no diagnostic group "${key}" (it has ${groups.join(", ")})`);
  }
});

test("a configuration push carries the normalised settings under gazette", () => {
  const s = readSettings(objectReader({ diagnostics: { enable: false }, include: "*.md", path: "/x" }));
  const push = configurationPush(s);
  assert.deepEqual(Object.keys(push), ["gazette"]);
  assert.deepEqual(push.gazette, serverSettings(s));
  assert.deepEqual(push.gazette.include, ["*.md"]);
  assert.ok(!("path" in push.gazette), "editor-only settings stay in the editor");
  assert.equal(push.gazette.diagnostics.nameVariant, "off");
});
