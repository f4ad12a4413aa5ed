import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";

import { executableProblem, progressLabel, RestartPolicy, serverExecutable } from "../server";

test("the server is started as `<exe> lsp`, without the --stdio the stdio transport adds", () => {
  const exe = serverExecutable({ command: "/opt/gazette", args: ["lsp"] });
  assert.deepEqual(exe, { command: "/opt/gazette", args: ["lsp"] });
  assert.ok(!("transport" in exe), "a transport makes vscode-languageclient append --stdio");
  const debug = serverExecutable({ command: "gazette", args: ["lsp"] }, { RUST_LOG: "gazette=debug" });
  assert.deepEqual(debug.options, { env: { RUST_LOG: "gazette=debug" } });
  assert.deepEqual(debug.args, ["lsp"]);
});

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gazette-ext-test-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test("a missing gazette.path is named in the message", (t) => {
  const dir = tempDir(t);
  const missing = path.join(dir, "nope", "gazette");
  const msg = executableProblem({ command: missing, args: ["lsp"] }, missing, { platform: "linux" });
  assert.ok(msg, "expected a problem");
  assert.match(msg, /`gazette\.path`/);
  assert.ok(msg.includes(missing), msg);
  assert.match(msg, /does not exist/);
});

test("the message shows the setting as written and where it resolved to", (t) => {
  const dir = tempDir(t);
  const resolved = path.join(dir, "bin", "gazette");
  const msg = executableProblem({ command: resolved, args: ["lsp"] }, "bin/gazette", { platform: "linux" });
  assert.ok(msg?.includes(`"bin/gazette" (${resolved})`), msg);
});

test("a folder or a file without the executable bit is refused", { skip: process.platform === "win32" }, (t) => {
  const dir = tempDir(t);
  const d = executableProblem({ command: dir, args: ["lsp"] }, dir, { platform: "linux" });
  assert.match(d ?? "", /not a file/);
  const plain = path.join(dir, "gazette");
  fs.writeFileSync(plain, "#!/bin/sh\n");
  fs.chmodSync(plain, 0o644);
  // Mode 644 has no x bit at all, so access(X_OK) fails even for root.
  assert.match(executableProblem({ command: plain, args: ["lsp"] }, plain, { platform: "linux" }) ?? "", /not executable/);
  fs.chmodSync(plain, 0o755);
  assert.equal(executableProblem({ command: plain, args: ["lsp"] }, plain, { platform: "linux" }), undefined);
});

test("a bare name is looked up on PATH", { skip: process.platform === "win32" }, (t) => {
  const dir = tempDir(t);
  const exe = path.join(dir, "gazette");
  fs.writeFileSync(exe, "#!/bin/sh\n");
  fs.chmodSync(exe, 0o755);
  const cmd = { command: "gazette", args: ["lsp"] };
  assert.equal(executableProblem(cmd, null, { PATH: `/nonexistent${path.delimiter}${dir}`, platform: "linux" }), undefined);
  const msg = executableProblem(cmd, null, { PATH: "/nonexistent", platform: "linux" });
  assert.match(msg ?? "", /not found on PATH/);
  assert.match(msg ?? "", /`gazette\.path`/);
  const named = executableProblem({ command: "gazette-dev", args: ["lsp"] }, "gazette-dev", {
    PATH: dir,
    platform: "linux",
  });
  assert.match(named ?? "", /"gazette-dev", which was not found on PATH/);
});

test("crashes are restarted up to the limit within the window, then not", () => {
  const p = new RestartPolicy(2, 1000);
  const a = p.closed(0, true, "gazette lsp");
  assert.equal(a.restart, true);
  assert.equal(a.severity, "warning");
  assert.match(a.message, /stopped unexpectedly; restarting it \(restart 1 of 2/);
  assert.equal(p.closed(10, true, "gazette lsp").restart, true);
  const c = p.closed(20, true, "gazette lsp");
  assert.equal(c.restart, false);
  assert.equal(c.severity, "error");
  assert.match(c.message, /stopped 3 times/);
  // Once the window has passed, old crashes no longer count.
  assert.equal(p.closed(2000, true, "gazette lsp").restart, true);
});

test("reset forgets earlier crashes", () => {
  const p = new RestartPolicy(1, 60_000);
  assert.equal(p.closed(0, true, "g lsp").restart, true);
  assert.equal(p.closed(1, true, "g lsp").restart, false);
  p.reset();
  assert.equal(p.closed(2, true, "g lsp").restart, true);
});

test("a server that exits while starting is not restarted and the message names it", () => {
  const p = new RestartPolicy();
  const d = p.closed(0, false, "/opt/not-gazette lsp");
  assert.equal(d.restart, false);
  assert.equal(d.severity, "error");
  assert.match(d.message, /`\/opt\/not-gazette lsp` exited while starting/);
  assert.match(d.message, /`gazette\.path`/);
});

test("progress in the status bar: title without a second gazette prefix, message, percentage", () => {
  assert.equal(progressLabel("gazette: indexing", "finding articles", 0), "indexing: finding articles (0 %)");
  assert.equal(progressLabel("gazette: indexing", "3/5 articles", 59.6), "indexing: 3/5 articles (60 %)");
  assert.equal(progressLabel("Rebuilding", undefined, undefined), "Rebuilding");
  // A report before (or without) its begin keeps a readable label.
  assert.equal(progressLabel(undefined, "2/5 articles"), "indexing: 2/5 articles");
  assert.equal(progressLabel("gazette:", undefined, Number.NaN), "indexing");
});
