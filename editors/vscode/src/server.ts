// Starting the server and living with its crashes.
//
// Pure module (no `vscode` import) so that node's test runner can check it;
// `extension.ts` wires it into the language client.

import * as fs from "fs";
import * as path from "path";

import { ServerCommand } from "./config";

/** How the language client starts the server. Deliberately without a
 * `transport`: with `TransportKind.stdio` vscode-languageclient appends
 * `--stdio` to the arguments, which `gazette lsp` rejects (exit code 2);
 * without one the client talks to the process over stdio all the same. */
export interface ServerExecutable {
  command: string;
  args: string[];
  options?: { env?: NodeJS.ProcessEnv };
}

export function serverExecutable(cmd: ServerCommand, env?: NodeJS.ProcessEnv): ServerExecutable {
  const exe: ServerExecutable = { command: cmd.command, args: [...cmd.args] };
  if (env) {
    exe.options = { env };
  }
  return exe;
}

const SETTING = "`gazette.path`";

/** Checks, before starting, that the server executable exists and can be
 * run, so that a wrong `gazette.path` gives one clear message instead of
 * the language client's connection errors. Returns the message, or
 * undefined when the command looks runnable. `configured` is the setting as
 * the user wrote it (null: `gazette` on PATH). */
export function executableProblem(
  cmd: ServerCommand,
  configured: string | null,
  env: { PATH?: string; platform?: NodeJS.Platform } = {},
): string | undefined {
  const platform = env.platform ?? process.platform;
  const exe = cmd.command;
  const hasSeparator = exe.includes("/") || exe.includes("\\");
  if (!hasSeparator) {
    if (platform === "win32") {
      // PATHEXT lookups are left to the OS; a failure is reported on start.
      return undefined;
    }
    const dirs = (env.PATH ?? process.env.PATH ?? "").split(path.delimiter).filter((d) => d !== "");
    if (dirs.some((d) => isExecutableFile(path.join(d, exe)))) {
      return undefined;
    }
    return configured === null
      ? `gazette: the server executable \`${exe}\` was not found on PATH. ` +
          `Install gazette or set ${SETTING} to the executable.`
      : `gazette: ${SETTING} is "${configured}", which was not found on PATH. ` +
          `Set ${SETTING} to the gazette executable.`;
  }
  const shown = configured !== null && configured !== exe ? `"${configured}" (${exe})` : `"${exe}"`;
  let st: fs.Stats;
  try {
    st = fs.statSync(exe);
  } catch {
    return `gazette: ${SETTING} is ${shown}, which does not exist. Set ${SETTING} to the gazette executable.`;
  }
  if (!st.isFile()) {
    return `gazette: ${SETTING} is ${shown}, which is not a file. Set ${SETTING} to the gazette executable.`;
  }
  if (platform !== "win32" && !isExecutableFile(exe)) {
    return `gazette: ${SETTING} is ${shown}, which is not executable (chmod +x it, or set ${SETTING} to the gazette executable).`;
  }
  return undefined;
}

function isExecutableFile(p: string): boolean {
  try {
    if (!fs.statSync(p).isFile()) {
      return false;
    }
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface CloseDecision {
  restart: boolean;
  severity: "warning" | "error";
  message: string;
}

/** What to do when the server's connection closes without us stopping it:
 * restart it, at most `maxRestarts` times within `windowMs`, and say so;
 * a server that exits before it ever answered `initialize` is not
 * restarted (a wrong executable or arguments would only fail again). */
export class RestartPolicy {
  private restarts: number[] = [];

  constructor(
    readonly maxRestarts = 4,
    readonly windowMs = 3 * 60 * 1000,
  ) {}

  /** Forget earlier crashes (the user restarted the server). */
  reset(): void {
    this.restarts = [];
  }

  closed(now: number, wasRunning: boolean, command: string): CloseDecision {
    if (!wasRunning) {
      return {
        restart: false,
        severity: "error",
        message:
          `gazette: the server \`${command}\` exited while starting. ` +
          `Its error output is in the "gazette" output channel; check ${SETTING}.`,
      };
    }
    this.restarts = this.restarts.filter((t) => now - t < this.windowMs);
    const minutes = Math.round(this.windowMs / 60000);
    if (this.restarts.length >= this.maxRestarts) {
      return {
        restart: false,
        severity: "error",
        message:
          `gazette: the server stopped ${this.restarts.length + 1} times within ${minutes} minutes ` +
          `and is not restarted again. See the "gazette" output; "gazette: Restart server" starts it.`,
      };
    }
    this.restarts.push(now);
    return {
      restart: true,
      severity: "warning",
      message:
        `gazette: the server stopped unexpectedly; restarting it ` +
        `(restart ${this.restarts.length} of ${this.maxRestarts} within ${minutes} minutes).`,
    };
  }
}

/** The status bar text of a work done progress, after "gazette: ": the
 * title without its own "gazette:" prefix (the server titles its progress
 * "gazette: indexing"), then the message and the percentage. */
export function progressLabel(title: string | undefined, message?: string, percentage?: number): string {
  let text = (title ?? "").replace(/^\s*gazette\s*:\s*/i, "").trim() || "indexing";
  if (message) {
    text += `: ${message}`;
  }
  if (typeof percentage === "number" && Number.isFinite(percentage)) {
    text += ` (${Math.round(percentage)} %)`;
  }
  return text;
}
