// Settings handling for the gazette extension.
//
// Pure module: no `vscode` import, so that it can be unit-tested with node's
// built-in test runner. `extension.ts` feeds it a reader over
// `vscode.workspace.getConfiguration("gazette")`.

import * as path from "path";

/** Section name of all gazette settings, in VS Code and towards the server. */
export const SECTION = "gazette";

export type Severity = "error" | "warning" | "information" | "hint" | "off";
export type EnableMode = "auto" | "always" | "never";
export type TraceLevel = "off" | "messages" | "verbose";

export interface DiagnosticsSettings {
  enable: boolean;
  nameVariants: Severity;
  figureDisagreement: Severity;
  unknownName: Severity;
}

/** Everything the extension reads from the `gazette.*` settings. */
export interface GazetteSettings {
  enable: EnableMode;
  /** Executable given by the user, or null for `gazette` on PATH. */
  path: string | null;
  include: string[];
  exclude: string[];
  diagnostics: DiagnosticsSettings;
  maxFileSize: number;
  trace: { server: TraceLevel };
}

/** Diagnostic levels in the server's terms: one per group of its
 * `diagnostics` table (README, "Editor settings"; `kb::DIAGNOSTIC_GROUPS`).
 * `kb` (problems in gazette.toml) is only sent to switch it off. */
export interface ServerDiagnostics {
  nameVariant: Severity;
  unknownName: Severity;
  figureDisagreement: Severity;
  kb?: Severity;
}

/** The part of the settings the server cares about (initializationOptions and
 * the answer to `workspace/configuration` for section "gazette"). */
export interface ServerSettings {
  include: string[];
  exclude: string[];
  diagnostics: ServerDiagnostics;
  maxFileSize: number;
}

export interface ServerCommand {
  command: string;
  args: string[];
}

/** Defaults; they must agree with `contributes.configuration` in package.json
 * (a unit test checks that). */
export const DEFAULTS: GazetteSettings = {
  enable: "auto",
  path: null,
  include: ["**/*.txt", "**/*.md"],
  exclude: [],
  diagnostics: {
    enable: true,
    nameVariants: "information",
    figureDisagreement: "warning",
    unknownName: "hint",
  },
  maxFileSize: 1048576,
  trace: { server: "off" },
};

const SEVERITIES: readonly Severity[] = ["error", "warning", "information", "hint", "off"];
const ENABLE_MODES: readonly EnableMode[] = ["auto", "always", "never"];
const TRACE_LEVELS: readonly TraceLevel[] = ["off", "messages", "verbose"];

/** Reads one setting by its key below "gazette." (e.g. "diagnostics.enable");
 * returns undefined when it is not set. */
export type SettingsReader = (key: string) => unknown;

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  if (typeof value === "string") {
    const lower = value.trim().toLowerCase();
    // Accept the LSP spelling "info" as well as "information".
    const canonical = lower === "info" ? "information" : lower;
    if ((allowed as readonly string[]).includes(canonical)) {
      return canonical as T;
    }
  }
  return fallback;
}

function globList(value: unknown, fallback: string[]): string[] {
  if (typeof value === "string") {
    value = [value];
  }
  if (!Array.isArray(value)) {
    return [...fallback];
  }
  const out: string[] = [];
  for (const item of value) {
    if (typeof item === "string" && item.trim() !== "" && !out.includes(item.trim())) {
      out.push(item.trim());
    }
  }
  return out;
}

function enableMode(value: unknown): EnableMode {
  if (value === true) {
    return "always";
  }
  if (value === false) {
    return "never";
  }
  return oneOf(value, ENABLE_MODES, DEFAULTS.enable);
}

function byteLimit(value: unknown): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n === "number" && Number.isFinite(n) && n >= 0) {
    return Math.floor(n);
  }
  return DEFAULTS.maxFileSize;
}

/** Reads and normalises all settings; invalid values fall back to defaults. */
export function readSettings(read: SettingsReader): GazetteSettings {
  const rawPath = read("path");
  const exe = typeof rawPath === "string" && rawPath.trim() !== "" ? rawPath.trim() : null;
  const d = DEFAULTS.diagnostics;
  const diagEnable = read("diagnostics.enable");
  return {
    enable: enableMode(read("enable")),
    path: exe,
    include: globList(read("include"), DEFAULTS.include),
    exclude: globList(read("exclude"), DEFAULTS.exclude),
    diagnostics: {
      enable: typeof diagEnable === "boolean" ? diagEnable : d.enable,
      nameVariants: oneOf(read("diagnostics.nameVariants"), SEVERITIES, d.nameVariants),
      figureDisagreement: oneOf(
        read("diagnostics.figureDisagreement"),
        SEVERITIES,
        d.figureDisagreement,
      ),
      unknownName: oneOf(read("diagnostics.unknownName"), SEVERITIES, d.unknownName),
    },
    maxFileSize: byteLimit(read("maxFileSize")),
    trace: { server: oneOf(read("trace.server"), TRACE_LEVELS, DEFAULTS.trace.server) },
  };
}

/** Builds a reader over a nested plain object such as
 * `{ path: "...", diagnostics: { enable: false } }` (also accepts dotted keys). */
export function objectReader(obj: Record<string, unknown>): SettingsReader {
  return (key: string) => {
    if (Object.prototype.hasOwnProperty.call(obj, key)) {
      return obj[key];
    }
    let cur: unknown = obj;
    for (const part of key.split(".")) {
      if (cur === null || typeof cur !== "object" || !(part in (cur as object))) {
        return undefined;
      }
      cur = (cur as Record<string, unknown>)[part];
    }
    return cur;
  };
}

/** The settings the server receives as initializationOptions and as the
 * answer to `workspace/configuration` with section "gazette". */
export function serverSettings(s: GazetteSettings): ServerSettings {
  return {
    include: [...s.include],
    exclude: [...s.exclude],
    diagnostics: serverDiagnostics(s.diagnostics),
    maxFileSize: s.maxFileSize,
  };
}

/** The extension's `gazette.diagnostics.*` settings in the server's terms:
 * the group names are singular (`nameVariant`), and `enable: false` is
 * every group "off". (Sent as they were named in package.json, the server
 * ignored them and answered "unknown diagnostic setting".) */
export function serverDiagnostics(d: DiagnosticsSettings): ServerDiagnostics {
  if (!d.enable) {
    return { nameVariant: "off", unknownName: "off", figureDisagreement: "off", kb: "off" };
  }
  return {
    nameVariant: d.nameVariants,
    unknownName: d.unknownName,
    figureDisagreement: d.figureDisagreement,
  };
}

export interface PathContext {
  /** First workspace folder (file system path), if any. */
  workspaceFolder?: string;
  /** The user's home directory. */
  home?: string;
}

/** How to start the server: `<path or "gazette"> lsp`. */
export function serverCommand(s: GazetteSettings, ctx: PathContext = {}): ServerCommand {
  let exe = s.path;
  if (exe === null) {
    return { command: "gazette", args: ["lsp"] };
  }
  if (ctx.workspaceFolder !== undefined) {
    exe = exe.split("${workspaceFolder}").join(ctx.workspaceFolder);
  }
  if (ctx.home !== undefined && (exe === "~" || exe.startsWith("~/") || exe.startsWith("~\\"))) {
    exe = path.join(ctx.home, exe.slice(1));
  }
  // A bare name ("gazette-dev") is looked up on PATH; a relative path with a
  // separator is taken from the workspace folder.
  const hasSeparator = exe.includes("/") || exe.includes("\\");
  if (hasSeparator && !path.isAbsolute(exe) && ctx.workspaceFolder !== undefined) {
    exe = path.join(ctx.workspaceFolder, exe);
  }
  return { command: exe, args: ["lsp"] };
}

/** Whether to start the server, given `gazette.enable` and whether a
 * gazette.toml was found in the workspace. */
export function shouldStart(mode: EnableMode, hasGazetteToml: boolean): boolean {
  switch (mode) {
    case "always":
      return true;
    case "never":
      return false;
    case "auto":
      return hasGazetteToml;
  }
}

/** Answers one `workspace/configuration` item. Sections "gazette" and
 * "gazette.<key>" (dotted) are served from the normalised server settings;
 * other sections are left to VS Code (undefined). */
export function configurationItem(section: string | undefined, s: GazetteSettings): unknown {
  if (section === undefined || section === "") {
    return undefined;
  }
  if (section === SECTION) {
    return serverSettings(s);
  }
  if (!section.startsWith(SECTION + ".")) {
    return undefined;
  }
  const rest = section.slice(SECTION.length + 1);
  const value = objectReader(serverSettings(s) as unknown as Record<string, unknown>)(rest);
  return value === undefined ? null : value;
}

/** The `settings` of a `workspace/didChangeConfiguration` push: the
 * normalised server settings under "gazette" (what the server reads). */
export function configurationPush(s: GazetteSettings): { [SECTION]: ServerSettings } {
  return { [SECTION]: serverSettings(s) };
}

/** Keys below "gazette." whose change requires restarting the server. */
export const RESTART_KEYS: readonly string[] = ["path", "enable"];
