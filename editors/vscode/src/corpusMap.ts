// Corpus map: the webview's messages and the `gazette/graph` request.
//
// Pure module: no `vscode` import (unit-tested with node's test runner);
// extension.ts passes in what talks to the editor.

import { LspLocation } from "./entities";

export const GRAPH_METHOD = "gazette/graph";

/** Filters of `gazette/graph` (all optional). */
export interface GraphFilters {
  kinds?: string[];
  from?: string;
  to?: string;
  minCount?: number;
  topN?: number;
}

/** What the extension does for the map. */
export interface MapHost {
  /** Sends a request to the server. */
  request(method: string, params: unknown): Promise<unknown>;
  /** Posts a message to the webview. */
  post(message: unknown): void;
  /** Opens a location in an editor. */
  open(location: LspLocation): Promise<void>;
  /** Lists the references at a location (the editor's references view). */
  references(location: LspLocation): Promise<void>;
  /** Tells the user something went wrong. */
  error(message: string): void;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

const KINDS = ["person", "place", "org", "other"];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filters a webview message asks for, with anything invalid left out. */
export function cleanFilters(v: unknown): GraphFilters {
  const out: GraphFilters = {};
  if (!isObject(v)) {
    return out;
  }
  if (Array.isArray(v.kinds)) {
    out.kinds = v.kinds.filter((k): k is string => typeof k === "string" && KINDS.includes(k));
  }
  for (const key of ["from", "to"] as const) {
    const d = v[key];
    if (typeof d === "string" && DAY.test(d)) {
      out[key] = d;
    }
  }
  for (const key of ["minCount", "topN"] as const) {
    const n = v[key];
    if (typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 5000) {
      out[key] = n;
    }
  }
  return out;
}

function toLocation(v: unknown): LspLocation | undefined {
  if (!isObject(v) || typeof v.uri !== "string" || !isObject(v.range)) {
    return undefined;
  }
  const r = v.range as Record<string, unknown>;
  const pos = (p: unknown) =>
    isObject(p) && typeof p.line === "number" && typeof p.character === "number"
      ? { line: p.line, character: p.character }
      : undefined;
  const start = pos(r.start);
  const end = pos(r.end);
  return start && end ? { uri: v.uri, range: { start, end } } : undefined;
}

/**
 * Answers the webview: `ready` and `filter` ask the server for the map and
 * post it (`{ type: "map", map }`); `open` jumps to an entity's definition,
 * `references` lists its references. Entities are named by their index in
 * the last map posted (the webview never sends locations of its own).
 */
export class CorpusMapController {
  private nodes: unknown[] = [];
  private filters: GraphFilters = {};
  private seq = 0;

  constructor(private readonly host: MapHost) {}

  async onMessage(message: unknown): Promise<void> {
    if (!isObject(message) || typeof message.type !== "string") {
      return;
    }
    switch (message.type) {
      case "ready":
        return this.load(this.filters);
      case "filter":
        return this.load(cleanFilters(message.filters));
      case "open":
      case "references": {
        const loc = this.definition(message.node);
        if (!loc) {
          this.host.error("gazette: this entity has no location in the corpus map any more");
          return;
        }
        return message.type === "open" ? this.host.open(loc) : this.host.references(loc);
      }
    }
  }

  private definition(node: unknown): LspLocation | undefined {
    if (typeof node !== "number" || !Number.isInteger(node)) {
      return undefined;
    }
    const n = this.nodes[node];
    return isObject(n) ? toLocation(n.definition) : undefined;
  }

  private async load(filters: GraphFilters): Promise<void> {
    this.filters = filters;
    const seq = ++this.seq;
    let map: unknown;
    try {
      map = await this.host.request(GRAPH_METHOD, filters);
    } catch (e) {
      const msg = isObject(e) && typeof e.message === "string" ? e.message : String(e);
      this.host.post({ type: "error", message: msg });
      return;
    }
    if (seq !== this.seq) {
      return; // a newer request is on its way
    }
    this.nodes = isObject(map) && Array.isArray(map.nodes) ? map.nodes : [];
    this.host.post({ type: "map", map, filters });
  }
}

/**
 * The webview's page: scripts only from the extension (by nonce), no
 * network, no inline style attributes or event handlers.
 */
export function webviewHtml(opts: {
  cspSource: string;
  nonce: string;
  scripts: string[];
  styles: string[];
}): string {
  const attr = (s: string) =>
    s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${opts.nonce}'`,
    `style-src ${opts.cspSource}`,
    "img-src data: blob:",
    "connect-src 'none'",
    "font-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  return [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">`,
    // The first stylesheet carries the id Cytoscape.js looks for before it
    // injects a <style> of its own (which this policy would refuse).
    ...opts.styles.map(
      (s, i) => `<link rel="stylesheet"${i === 0 ? ' id="__________cytoscape_stylesheet"' : ""} href="${attr(s)}">`,
    ),
    "<title>gazette: corpus map</title></head><body>",
    '<div id="controls"><span id="kinds"></span>',
    '<label>from <input id="date-from" type="date"></label>',
    '<label>to <input id="date-to" type="date"></label>',
    '<label>min. articles <input id="min-count" type="number" min="1" value="1"></label>',
    '<label>top <input id="top-n" type="number" min="1" value="60"></label>',
    '<span id="shown"></span></div>',
    '<div id="graph"></div>',
    '<div id="card"><h3 id="card-name"></h3><div id="card-text"></div>',
    '<button id="open-def" disabled>Go to definition</button> ',
    '<button id="show-refs" disabled>Find references</button>',
    '<ul id="card-articles"></ul></div>',
    '<h2>Timeline</h2><p id="timeline-note"></p><div id="timeline"></div>',
    '<table id="timeline-table"></table>',
    '<h2>Figures stated in several places</h2><div id="figures"></div>',
    ...opts.scripts.map((s) => `<script nonce="${attr(opts.nonce)}" src="${attr(s)}"></script>`),
    "</body></html>",
  ].join("\n");
}
