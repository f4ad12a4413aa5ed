// Entity list: normalises the answer of the custom `gazette/entities` request,
// or of the `workspace/symbol` fallback, into one shape.
//
// Pure module: no `vscode` import (unit-tested with node's test runner).

export const ENTITIES_METHOD = "gazette/entities";

/** JSON-RPC "method not found". */
export const METHOD_NOT_FOUND = -32601;

export interface LspPosition {
  line: number;
  character: number;
}

export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

export interface LspLocation {
  uri: string;
  /** Absent for a WorkspaceSymbol whose location was not resolved. */
  range?: LspRange;
}

export interface EntityEntry {
  id: string;
  name: string;
  /** "person" | "place" | "organization" | "figure" | other text from the server. */
  kind: string;
  /** Mentions in server order; the first one is where the list jumps to. */
  mentions: LspLocation[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

function isPosition(v: unknown): v is LspPosition {
  return isObject(v) && typeof v.line === "number" && typeof v.character === "number";
}

function toRange(v: unknown): LspRange | undefined {
  if (isObject(v) && isPosition(v.start) && isPosition(v.end)) {
    return {
      start: { line: v.start.line, character: v.start.character },
      end: { line: v.end.line, character: v.end.character },
    };
  }
  return undefined;
}

function toLocation(v: unknown): LspLocation | undefined {
  if (!isObject(v) || typeof v.uri !== "string") {
    return undefined;
  }
  const range = toRange(v.range);
  return range ? { uri: v.uri, range } : { uri: v.uri };
}

/** Parses a `gazette/entities` result: `{ entities: [{ id, name, kind, mentions: [{ uri, range }] }] }`.
 * Malformed entries are skipped. */
export function fromEntitiesResult(result: unknown): EntityEntry[] {
  const list = isObject(result) && Array.isArray(result.entities) ? result.entities : [];
  const out: EntityEntry[] = [];
  for (const e of list) {
    if (!isObject(e) || typeof e.name !== "string") {
      continue;
    }
    const mentions = Array.isArray(e.mentions)
      ? e.mentions.map(toLocation).filter((m): m is LspLocation => m !== undefined)
      : [];
    out.push({
      id: typeof e.id === "string" || typeof e.id === "number" ? String(e.id) : e.name,
      name: e.name,
      kind: typeof e.kind === "string" ? e.kind : "",
      mentions,
    });
  }
  return out;
}

/** LSP SymbolKind numbers, for the fallback path. */
const SYMBOL_KIND_NAMES: Record<number, string> = {
  2: "module",
  3: "namespace",
  5: "class",
  7: "property",
  12: "function",
  13: "variable",
  14: "constant",
  15: "string",
  16: "number",
  19: "object",
  23: "struct",
  26: "typeParameter",
};

/** Parses a `workspace/symbol` result (SymbolInformation[] or WorkspaceSymbol[]). */
export function fromWorkspaceSymbols(result: unknown): EntityEntry[] {
  if (!Array.isArray(result)) {
    return [];
  }
  const out: EntityEntry[] = [];
  for (const s of result) {
    if (!isObject(s) || typeof s.name !== "string") {
      continue;
    }
    const loc = toLocation(s.location);
    const kind =
      typeof s.containerName === "string" && s.containerName !== ""
        ? s.containerName
        : typeof s.kind === "number"
          ? (SYMBOL_KIND_NAMES[s.kind] ?? "symbol")
          : "symbol";
    out.push({ id: `${s.name}#${out.length}`, name: s.name, kind, mentions: loc ? [loc] : [] });
  }
  return out;
}

/** Whether an error thrown by a request means the server lacks the method. */
export function isMethodNotFound(err: unknown): boolean {
  return isObject(err) && err.code === METHOD_NOT_FOUND;
}

/** Label parts for a quick-pick item. */
export function describe(e: EntityEntry): { label: string; description: string; detail: string } {
  const files = new Set(e.mentions.map((m) => m.uri)).size;
  const n = e.mentions.length;
  const detail =
    n === 0
      ? ""
      : `${n} mention${n === 1 ? "" : "s"} in ${files} article${files === 1 ? "" : "s"}`;
  return { label: e.name, description: e.kind, detail };
}
