// Annotation commands: each asks the server for its code actions of one kind
// at the cursor (or for the selection) and applies the one it gets. The
// server decides what an annotation is (`refactor.annotate.<what>`, an edit
// of gazette.annotations.jsonl); nothing here knows the store's format.
// Pure (no `vscode` import) so that it is unit-tested.

/** The code action kind of every annotation action. */
export const ANNOTATE_KIND = "refactor.annotate";

/** The annotation store, synchronised with the server as a document so that
 * an annotation takes effect before the file is saved. */
export const STORE_FILE = "gazette.annotations.jsonl";

export interface AnnotateCommand {
  /** VS Code command id. */
  command: string;
  /** The last part of the code action kind (`refactor.annotate.<what>`). */
  what: string;
  /** Command title (category "gazette"). */
  title: string;
  /** Second key of the `alt+a` chord. */
  key: string;
}

/** The frequent annotations, each a command with a keybinding. */
export const ANNOTATE_COMMANDS: readonly AnnotateCommand[] = [
  { command: "gazette.annotate.person", what: "person", title: "Annotate as person", key: "p" },
  { command: "gazette.annotate.place", what: "place", title: "Annotate as place", key: "l" },
  { command: "gazette.annotate.organisation", what: "organisation", title: "Annotate as organisation", key: "o" },
  { command: "gazette.annotate.other", what: "other", title: "Annotate as other name", key: "x" },
  { command: "gazette.annotate.notAName", what: "not-a-name", title: "Annotate: not a name here", key: "n" },
  { command: "gazette.annotate.confirm", what: "confirm", title: "Annotate: confirm", key: "c" },
];

/** `gazette.annotate`: every annotation action at the cursor, to pick from
 * (including "a different …" and "same as …"). */
export const ANNOTATE_ANY = { command: "gazette.annotate", title: "Annotate…", key: "a" };

/** The code action kind a command asks for. */
export function kindOf(what: string | undefined): string {
  return what ? `${ANNOTATE_KIND}.${what}` : ANNOTATE_KIND;
}

/** Whether `kind` is `wanted` or below it (`refactor.annotate.person` is a
 * `refactor.annotate`), as LSP's `context.only` matches kinds. */
export function matchesKind(kind: unknown, wanted: string): boolean {
  return typeof kind === "string" && (kind === wanted || kind.startsWith(`${wanted}.`));
}

export interface LspCodeActionLike {
  title: string;
  kind?: string;
  edit?: unknown;
  command?: unknown;
}

/** The code actions of a `textDocument/codeAction` result that are
 * annotation actions of the kind wanted (commands and other kinds are left
 * out: a server that ignores `context.only` is not trusted with it). */
export function annotationActions(result: unknown, wanted: string): LspCodeActionLike[] {
  if (!Array.isArray(result)) {
    return [];
  }
  return result.filter(
    (a): a is LspCodeActionLike =>
      typeof a === "object" &&
      a !== null &&
      typeof (a as LspCodeActionLike).title === "string" &&
      typeof (a as LspCodeActionLike).command !== "string" &&
      matchesKind((a as LspCodeActionLike).kind, wanted) &&
      (a as LspCodeActionLike).edit !== undefined,
  );
}

/** What the user is told when there is nothing to apply. */
export function nothingHere(what: string | undefined): string {
  const which = what ? `"${what}" ` : "";
  return `gazette: no ${which}annotation here: put the cursor on a name, or select the text to annotate.`;
}
