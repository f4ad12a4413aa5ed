// What the end-to-end test expects to see, computed from the CLI's output on
// the test's corpus (`gazette entities --format json --position-encoding
// utf-16` and `gazette check`), so that the test follows the server instead
// of repeating numbers. Pure: no I/O except through `readFile`.

import * as fs from "node:fs";
import * as path from "node:path";

/** The scenarios are about these names (the issue's); override with
 * E2E_ENTITY / E2E_VARIANT to run them on another corpus. */
export const DEFAULT_ENTITY = "Jens Stoltenberg";
export const DEFAULT_VARIANT = "Vladimir Putin";

/** Entities the corpus map shows with its default filters (the server's
 * `corpus_map::DEFAULT_TOP_N`). */
export const MAP_TOP_N = 60;

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
const isArticle = (p) => path.basename(p) !== "gazette.toml";
const byCorpusOrder = (a, b) =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : a.byte_start - b.byte_start;

/** One `gazette check` line: `path:line:col: severity[code] message`. */
export function parseCheckLine(line) {
  const m = /^(.*):(\d+):(\d+): (\w+)\[([\w-]+)\] (.*)$/.exec(line);
  if (!m) {
    return undefined;
  }
  return { path: m[1], line: Number(m[2]), column: Number(m[3]), severity: m[4], code: m[5], message: m[6] };
}

/** Replaces `len` UTF-16 code units at 0-based `col` of `text`. */
function splice(text, col, len, replacement) {
  return text.slice(0, col) + replacement + text.slice(col + len);
}

export function expectations({
  entitiesJson,
  checkText,
  corpusDir,
  readFile,
  entityName = process.env.E2E_ENTITY || DEFAULT_ENTITY,
  variantText = process.env.E2E_VARIANT || DEFAULT_VARIANT,
}) {
  const data = JSON.parse(entitiesJson);
  const abs = (p) => (path.isAbsolute(p) ? p : path.resolve(p));
  const entities = data.entities ?? [];
  const ent = entities.find((e) => e.name === entityName);
  if (!ent) {
    throw new Error(`gazette entities does not list "${entityName}" in ${corpusDir}`);
  }
  const mentions = ent.mentions
    .filter((m) => isArticle(m.path))
    .map((m) => ({ ...m, path: abs(m.path) }))
    .sort(byCorpusOrder);
  const files = [...new Set(mentions.map((m) => m.path))];
  if (files.length < 2) {
    throw new Error(`"${entityName}" is mentioned in ${files.length} article(s); the scenarios need two or more`);
  }
  // Definition: the first full-name mention in corpus (path) order.
  const definition = mentions.find((m) => m.text === ent.name) ?? mentions[0];
  // Hover and go to definition start from a mention in another article.
  const definitionFrom = mentions.find((m) => m.path !== definition.path);

  // Rename: from a mention spelt as the last name alone, checked in another
  // article at a mention that ends with the last name (no inflection).
  const last = ent.name.split(" ").pop();
  const renameFrom = mentions.find((m) => m.text === last) ?? mentions.find((m) => m.text.endsWith(last));
  const other = renameFrom && mentions.find((m) => m.path !== renameFrom.path && m.text.endsWith(last));
  if (!renameFrom || !other) {
    throw new Error(`no two articles mention "${last}" uninflected; cannot check rename`);
  }
  const newName = `${last}-E2E`;

  // The name-variant diagnostic, as `gazette check` prints it.
  const diags = checkText.split("\n").map(parseCheckLine).filter(Boolean);
  const d = diags.find((x) => x.code === "name-variant" && x.message.startsWith(`«${variantText}»`));
  if (!d) {
    throw new Error(`gazette check reports no name-variant diagnostic for «${variantText}»`);
  }
  const canonical = /of «([^»]+)»/.exec(d.message)?.[1];
  if (!canonical) {
    throw new Error(`cannot read the canonical name from: ${d.message}`);
  }
  const dPath = abs(d.path);
  const originalLine = readFile(dPath).split(/\r?\n/)[d.line - 1] ?? "";
  if (originalLine.slice(d.column - 1, d.column - 1 + variantText.length) !== variantText) {
    throw new Error(`"${variantText}" is not at ${d.path}:${d.line}:${d.column}: "${originalLine}"`);
  }
  const fixedLine = splice(originalLine, d.column - 1, variantText.length, canonical);

  // The corpus map (default filters): the entities named in the most
  // articles, at most MAP_TOP_N. Ties at the cut are broken by counts the
  // CLI does not give alike, so only the names sure to be shown are
  // checked: those named in more articles than the first one left out.
  const ranked = entities
    .map((e) => {
      const ms = e.mentions.filter((m) => isArticle(m.path));
      return { name: e.name, articles: new Set(ms.map((m) => m.path)).size, mentions: ms.length };
    })
    .filter((e) => e.articles > 0)
    .sort((a, b) => b.articles - a.articles || b.mentions - a.mentions);
  const cut = ranked.length > MAP_TOP_N ? ranked[MAP_TOP_N].articles : 0;
  const sure = ranked.filter((e) => e.articles > cut).map((e) => e.name);
  if (!sure.includes(ent.name)) {
    throw new Error(`"${entityName}" is not sure to be among the corpus map's ${MAP_TOP_N} entities`);
  }

  const annotation = annotationTarget(entities, [...mentions, dPath && { path: dPath, line: d.line - 1 }]);

  return {
    articleCount: listArticles(corpusDir).length,
    hoverEntity: { name: ent.name, role: ent.role ?? null },
    hoverCounts: `${plural(mentions.length, "mention", "mentions")} in ${plural(files.length, "article", "articles")}`,
    // The card lists the first 8 articles by file name.
    hoverArticles: files.slice(0, 8).map((f) => path.basename(f)),
    definition,
    definitionFrom,
    referenceCount: mentions.length,
    referenceFiles: files,
    referenceSummary: `${plural(mentions.length, "result", "results")} in ${plural(files.length, "file", "files")}`,
    variant: {
      path: dPath,
      line: d.line,
      column: d.column,
      variant: variantText,
      canonical,
      message: d.message,
      originalLine: originalLine.trim(),
      fixedLine: fixedLine.trim(),
    },
    map: {
      count: Math.min(MAP_TOP_N, ranked.length),
      // The scenarios' entity and the three named in the most articles.
      names: [ent.name, ...sure.filter((n) => n !== ent.name).slice(0, 3)],
    },
    rename: {
      from: renameFrom,
      newName,
      other,
      otherExpected: other.text.slice(0, other.text.length - last.length) + newName,
    },
    annotation,
  };
}

/** The annotation scenario's mentions: two mentions of the place named in
 * the most articles (ties: by name), spelt as its name, on lines that no
 * other scenario edits (`avoid`: the scenarios' entity's mentions, the
 * variant's line), on two lines (of two articles where there are). The
 * first is marked as an organisation through the Quick Fix menu, the
 * second as a person with the command `gazette: Annotate as person`; the
 * hover then says what the server's card says of an annotated mention:
 * `annotated here as <kind>` (`EntityKind::as_str`: `org`, `person`).
 * Mentions that end within the first `NEAR_START` columns come first:
 * the editor does not wrap, and a hover on a word half past the right
 * edge of the view does not open. A string (why not) when the corpus has
 * no such place. */
export const NEAR_START = 80;
const farFromStart = (m) => (m.character + m.text.length > NEAR_START ? 1 : 0);

export function annotationTarget(entities, avoid) {
  const key = (m) => `${path.resolve(m.path)}:${m.line}`;
  const busy = new Set(avoid.filter(Boolean).map(key));
  const places = entities
    .filter((e) => e.kind === "place")
    .map((e) => {
      const ms = e.mentions
        .filter((m) => isArticle(m.path) && m.text === e.name && !busy.has(key(m)))
        .map((m) => ({ ...m, path: path.resolve(m.path) }))
        .sort((a, b) => farFromStart(a) - farFromStart(b) || byCorpusOrder(a, b));
      const first = ms[0];
      const second =
        ms.find((m) => first && m.path !== first.path) ?? ms.find((m) => first && m.line !== first.line);
      return { name: e.name, articles: new Set(ms.map((m) => m.path)).size, first, second };
    })
    .filter((p) => p.first && p.second)
    .sort((a, b) => b.articles - a.articles || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const p = places[0];
  if (!p) {
    return "no place is named twice, spelt as its name, on lines the other scenarios leave alone";
  }
  return {
    name: p.name,
    first: p.first,
    second: p.second,
    menuTitle: "Annotate: organisation here",
    firstHover: "annotated here as org",
    command: "gazette: Annotate as person",
    secondHover: "annotated here as person",
    storeLabels: ['"label":"organisation"', '"label":"person"'],
  };
}


/** Articles the server indexes (its `N articles indexed`): files matching
 * the default include globs (`**\/*.txt`, `**\/*.md`). */
export function listArticles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        walk(p);
      } else if (/\.(txt|md)$/.test(e.name)) {
        out.push(p);
      }
    }
  };
  walk(dir);
  return out.sort();
}
