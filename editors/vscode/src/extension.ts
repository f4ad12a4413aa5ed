import * as os from "os";
import * as vscode from "vscode";
import {
  CancellationToken,
  ClientCapabilities,
  CloseAction,
  CodeActionRequest,
  CodeActionTriggerKind,
  DidChangeConfigurationNotification,
  ErrorAction,
  FeatureState,
  LanguageClient,
  LanguageClientOptions,
  MessageSignature,
  ServerOptions,
  State,
  StaticFeature,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  WorkDoneProgressCreateParams,
  WorkspaceEdit as LspWorkspaceEdit,
} from "vscode-languageclient/node";

import {
  configurationItem,
  configurationPush,
  GazetteSettings,
  readSettings,
  RESTART_KEYS,
  SECTION,
  serverCommand,
  serverSettings,
  shouldStart,
} from "./config";
import {
  annotationActions,
  kindOf,
  LspCodeActionLike,
  nothingHere,
  STORE_FILE,
} from "./annotate";
import { CorpusMapController, webviewHtml } from "./corpusMap";
import {
  describe,
  EntityEntry,
  ENTITIES_METHOD,
  fromEntitiesResult,
  fromWorkspaceSymbols,
  isMethodNotFound,
  LspLocation,
  LspPosition,
} from "./entities";
import { executableProblem, progressLabel, RestartPolicy, serverExecutable } from "./server";

let client: LanguageClient | undefined;
let status: IndexingStatus | undefined;
let output: vscode.OutputChannel | undefined;
const restarts = new RestartPolicy();
/** Set when the error handler already told the user why a start failed. */
let startFailureReported = false;

function currentSettings(): GazetteSettings {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  return readSettings((key) => cfg.get(key));
}

function firstWorkspaceFolder(): string | undefined {
  const f = vscode.workspace.workspaceFolders?.[0];
  return f?.uri.scheme === "file" ? f.uri.fsPath : undefined;
}

async function hasGazetteToml(): Promise<boolean> {
  if (!vscode.workspace.workspaceFolders?.length) {
    return false;
  }
  const found = await vscode.workspace.findFiles("**/gazette.toml", "**/node_modules/**", 1);
  return found.length > 0;
}

/** Status bar item driven by the server's `$/progress` (work done progress). */
class IndexingStatus implements vscode.Disposable {
  /** Progress stays shown at least this long: a small corpus indexes in
   * milliseconds, and a spinner that comes and goes within one frame is
   * never drawn, so the user could not tell that indexing happened. */
  private static readonly MIN_SHOWN_MS = 400;
  private readonly item: vscode.StatusBarItem;
  private readonly active = new Map<string | number, string>();
  private readonly titles = new Map<string | number, string>();
  private shownSince = 0;
  private ending: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.item = vscode.window.createStatusBarItem("gazette.status", vscode.StatusBarAlignment.Left);
    this.item.name = "gazette";
    this.item.command = "gazette.showEntityList";
    this.idle();
  }

  /** Forgets an end of progress still waiting to be shown. */
  private settle(): void {
    clearTimeout(this.ending);
    this.ending = undefined;
  }

  idle(): void {
    this.settle();
    this.active.clear();
    this.item.text = "$(book) gazette";
    this.item.tooltip = "gazette: ready — click for the entity list";
    this.item.show();
  }

  hide(): void {
    this.settle();
    this.active.clear();
    this.item.hide();
  }

  starting(): void {
    this.settle();
    this.active.clear();
    this.item.text = "$(sync~spin) gazette: starting";
    this.item.tooltip = "gazette: starting the server";
    this.item.show();
  }

  stopped(): void {
    this.settle();
    this.active.clear();
    this.item.text = "$(circle-slash) gazette";
    this.item.tooltip = "gazette: server not running (gazette: Restart server)";
    this.item.show();
  }

  update(token: string | number, value: WorkDoneProgressValue): void {
    if (value.kind === "end") {
      this.active.delete(token);
      this.titles.delete(token);
      if (this.active.size === 0) {
        const done = () => {
          this.idle();
          if (value.message) {
            this.item.tooltip = `gazette: ${value.message}`;
          }
        };
        const left = this.shownSince + IndexingStatus.MIN_SHOWN_MS - Date.now();
        this.settle();
        if (left > 0) {
          this.ending = setTimeout(done, left);
        } else {
          done();
        }
      }
      return;
    }
    if (this.active.size === 0 && this.ending === undefined) {
      this.shownSince = Date.now();
    }
    this.settle();
    if (value.kind === "begin") {
      this.titles.set(token, value.title);
    }
    const text = progressLabel(this.titles.get(token), value.message, value.percentage);
    this.active.set(token, text);
    this.item.text = `$(sync~spin) gazette: ${text}`;
    this.item.tooltip = [...this.active.values()].join("\n");
    this.item.show();
  }

  dispose(): void {
    this.settle();
    this.item.dispose();
  }
}

type WorkDoneProgressValue =
  | { kind: "begin"; title: string; message?: string; percentage?: number }
  | { kind: "report"; message?: string; percentage?: number }
  | { kind: "end"; message?: string };

/** Routes server-created work done progress to the status bar instead of a
 * notification. Registered after the built-in features, so its handler for
 * `window/workDoneProgress/create` is the one that stays. */
class StatusBarProgressFeature implements StaticFeature {
  private readonly tokens = new Map<string | number, vscode.Disposable>();

  constructor(
    private readonly lc: LanguageClient,
    private readonly bar: IndexingStatus,
  ) {}

  fillClientCapabilities(capabilities: ClientCapabilities): void {
    capabilities.window = capabilities.window ?? {};
    capabilities.window.workDoneProgress = true;
  }

  initialize(): void {
    this.lc.onRequest(WorkDoneProgressCreateRequest.type, (params: WorkDoneProgressCreateParams) => {
      const token = params.token;
      this.tokens.get(token)?.dispose();
      const sub = this.lc.onProgress(WorkDoneProgress.type, token, (value) => {
        this.bar.update(token, value as WorkDoneProgressValue);
        if (value.kind === "end") {
          this.tokens.get(token)?.dispose();
          this.tokens.delete(token);
        }
      });
      this.tokens.set(token, sub);
    });
  }

  getState(): FeatureState {
    return { kind: "static" };
  }

  clear(): void {
    for (const d of this.tokens.values()) {
      d.dispose();
    }
    this.tokens.clear();
  }
}

/** The language client, quiet about requests that fail because it is
 * stopping. While it stops (a restart after a settings change, a wrong
 * `gazette.path`, the window closing) requests the editor had in flight are
 * answered with an error by a server that is shutting down: that is no
 * news, and a "Request textDocument/inlayHint failed." toast next to the
 * real message only confuses. They still go to the output; a failure while
 * the client runs is shown as before. */
class GazetteClient extends LanguageClient {
  override handleFailedRequest<T>(
    type: MessageSignature,
    token: CancellationToken | undefined,
    error: unknown,
    defaultValue: T,
    showNotification = true,
  ): T {
    if (!this.isRunning()) {
      output?.appendLine(`request ${type.method} failed while the client was stopping: ${String(error)}`);
      return defaultValue;
    }
    return super.handleFailedRequest(type, token, error, defaultValue, showNotification);
  }
}

function createClient(settings: GazetteSettings): LanguageClient {
  const cmd = serverCommand(settings, { workspaceFolder: firstWorkspaceFolder(), home: os.homedir() });
  const serverOptions: ServerOptions = {
    run: serverExecutable(cmd),
    debug: serverExecutable(cmd, { ...process.env, RUST_LOG: "gazette=debug" }),
  };
  const commandLine = [cmd.command, ...cmd.args].join(" ");
  // Whether this server got as far as answering `initialize`: a server that
  // dies before that is not restarted (it would only fail again).
  let wasRunning = false;
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "plaintext" },
      { scheme: "file", language: "markdown" },
      // The annotation store: what an annotation action writes takes
      // effect as soon as it is in the buffer, saved or not.
      { scheme: "file", pattern: `**/${STORE_FILE}` },
    ],
    initializationOptions: serverSettings(settings),
    synchronize: { configurationSection: SECTION },
    outputChannel: output,
    errorHandler: {
      // Reads and writes fail when the server has died ("write EPIPE"),
      // several times before the close event where the editor was busy
      // sending: shutting the client down on the fourth (the library's
      // default) left a crashed server dead. The close handler below says
      // what happened, once, and decides whether to restart it.
      error: () => ({ action: ErrorAction.Continue, handled: true }),
      closed: () => {
        const d = restarts.closed(Date.now(), wasRunning, commandLine);
        wasRunning = false;
        if (!d.restart) {
          startFailureReported = true;
          status?.stopped();
        }
        const show = d.severity === "error" ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
        void show(d.message, "Show Output").then((choice) => {
          if (choice) {
            output?.show(true);
          }
        });
        return { action: d.restart ? CloseAction.Restart : CloseAction.DoNotRestart, handled: true };
      },
    },
    middleware: {
      workspace: {
        // Answer `workspace/configuration` for "gazette" with normalised
        // settings (defaults filled in, invalid values replaced).
        configuration: async (params, token, next) => {
          const s = currentSettings();
          const answers: unknown[] = params.items.map((item) => configurationItem(item.section, s));
          if (answers.every((a) => a !== undefined)) {
            return answers;
          }
          const fallback = await next(params, token);
          if (!Array.isArray(fallback)) {
            return fallback;
          }
          return answers.map((a, i) => (a === undefined ? fallback[i] : a));
        },
        // Pushes the normalised settings in the server's terms: the
        // client's own push would send the raw VS Code settings, whose
        // diagnostics keys the server does not know. A change of
        // `gazette.path` or `gazette.enable` also restarts the client (see
        // activate); the notification to the server being stopped then
        // fails, which is no news for the user.
        didChangeConfiguration: async () => {
          try {
            await lc.sendNotification(DidChangeConfigurationNotification.type, {
              settings: configurationPush(currentSettings()),
            });
          } catch (err) {
            if (lc.isRunning()) {
              throw err;
            }
          }
        },
      },
    },
  };
  const lc = new GazetteClient(SECTION, "gazette", serverOptions, clientOptions);
  lc.onDidChangeState((e) => {
    if (e.newState === State.Running) {
      wasRunning = true;
      status?.idle();
    } else if (e.newState === State.Starting) {
      status?.starting();
    } else if (e.newState === State.Stopped) {
      status?.stopped();
    }
  });
  if (status) {
    lc.registerFeature(new StatusBarProgressFeature(lc, status));
  }
  return lc;
}

let starting: Promise<void> | undefined;

/** Starts the client unless it is running or already starting. */
function startClient(): Promise<void> {
  if (client) {
    return Promise.resolve();
  }
  starting ??= doStartClient().finally(() => {
    starting = undefined;
  });
  return starting;
}

async function doStartClient(): Promise<void> {
  const settings = currentSettings();
  if (!shouldStart(settings.enable, await hasGazetteToml())) {
    // Not a gazette workspace (or switched off): stay out of the way.
    status?.hide();
    return;
  }
  const cmd = serverCommand(settings, { workspaceFolder: firstWorkspaceFolder(), home: os.homedir() });
  const problem = executableProblem(cmd, settings.path);
  if (problem) {
    status?.stopped();
    output?.appendLine(problem);
    void vscode.window.showErrorMessage(problem, "Open Settings").then((choice) => {
      if (choice) {
        void vscode.commands.executeCommand("workbench.action.openSettings", `${SECTION}.path`);
      }
    });
    return;
  }
  startFailureReported = false;
  client = createClient(settings);
  try {
    await client.start();
  } catch (err) {
    const failed = client;
    client = undefined;
    void failed?.dispose().catch(() => undefined);
    status?.stopped();
    if (!startFailureReported) {
      void vscode.window.showErrorMessage(
        `gazette: could not start \`${cmd.command} ${cmd.args.join(" ")}\` (${String(err)}). ` +
          "Set `gazette.path` to the gazette executable.",
      );
    }
  }
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.dispose(2000);
    } catch {
      // The server may already be gone; nothing to clean up then.
    }
  }
  status?.stopped();
}

async function restart(): Promise<void> {
  restarts.reset();
  await starting;
  await stopClient();
  await startClient();
}

async function fetchEntities(c: LanguageClient): Promise<EntityEntry[]> {
  try {
    return fromEntitiesResult(await c.sendRequest(ENTITIES_METHOD, {}));
  } catch (err) {
    if (!isMethodNotFound(err)) {
      throw err;
    }
  }
  return fromWorkspaceSymbols(await c.sendRequest("workspace/symbol", { query: "" }));
}

function toVsRange(loc: LspLocation): vscode.Range | undefined {
  if (!loc.range || !client) {
    return undefined;
  }
  return client.protocol2CodeConverter.asRange(loc.range);
}

/** Opens the first mention, then follows "go to definition" from there if the
 * server has one (that is where the entity is introduced in the corpus). */
async function jumpToEntity(e: EntityEntry): Promise<void> {
  const first = e.mentions[0];
  if (!first) {
    void vscode.window.showInformationMessage(`gazette: no mention of ${e.name} to go to.`);
    return;
  }
  let uri = vscode.Uri.parse(first.uri);
  let range = toVsRange(first);
  if (range) {
    const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      "vscode.executeDefinitionProvider",
      uri,
      range.start,
    );
    const def = defs?.[0];
    if (def) {
      if ("targetUri" in def) {
        uri = def.targetUri;
        range = def.targetSelectionRange ?? def.targetRange;
      } else {
        uri = def.uri;
        range = def.range;
      }
    }
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { selection: range, preview: false });
}

async function showEntityList(): Promise<void> {
  const c = client;
  if (!c || !c.isRunning()) {
    void vscode.window.showWarningMessage("gazette: the server is not running.");
    return;
  }
  let entities: EntityEntry[];
  try {
    entities = await fetchEntities(c);
  } catch (err) {
    void vscode.window.showErrorMessage(`gazette: could not list entities (${String(err)}).`);
    return;
  }
  if (entities.length === 0) {
    void vscode.window.showInformationMessage("gazette: no entities found (yet).");
    return;
  }
  type Item = vscode.QuickPickItem & { entity: EntityEntry };
  const items: Item[] = entities.map((e) => ({ ...describe(e), entity: e }));
  const picked = await vscode.window.showQuickPick(items, {
    title: "gazette: entities",
    placeHolder: "Type a name to filter; Enter jumps to where it is defined",
    matchOnDescription: true,
  });
  if (picked) {
    await jumpToEntity(picked.entity);
  }
}

/** `gazette.showReferences`, sent by the server's code lenses: VS Code's peek view. */
async function showReferences(uri: string, position: LspPosition, locations: LspLocation[]): Promise<void> {
  const pos = (p: LspPosition) => new vscode.Position(p.line, p.character);
  const zero = { line: 0, character: 0 };
  await vscode.commands.executeCommand(
    "editor.action.showReferences",
    vscode.Uri.parse(uri),
    pos(position),
    (locations ?? []).map(
      (l) =>
        new vscode.Location(
          vscode.Uri.parse(l.uri),
          new vscode.Range(pos(l.range?.start ?? zero), pos(l.range?.end ?? zero)),
        ),
    ),
  );
}

/** `gazette.annotate.<what>` (and `gazette.annotate`: any annotation): the
 * server's annotation code actions of that kind at the cursor or for the
 * selection; one is applied, several are offered in a quick pick. */
async function annotate(what: string | undefined): Promise<void> {
  const c = client;
  const editor = vscode.window.activeTextEditor;
  if (!c || !c.isRunning()) {
    void vscode.window.showWarningMessage("gazette: the server is not running.");
    return;
  }
  if (!editor) {
    void vscode.window.showInformationMessage(nothingHere(what));
    return;
  }
  const wanted = kindOf(what);
  let result: unknown;
  try {
    result = await c.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: c.code2ProtocolConverter.asUri(editor.document.uri) },
      range: c.code2ProtocolConverter.asRange(editor.selection),
      context: { diagnostics: [], only: [wanted], triggerKind: CodeActionTriggerKind.Invoked },
    });
  } catch (err) {
    void vscode.window.showErrorMessage(`gazette: could not annotate (${String(err)}).`);
    return;
  }
  const actions = annotationActions(result, wanted);
  let chosen: LspCodeActionLike | undefined = actions[0];
  if (actions.length === 0) {
    void vscode.window.showInformationMessage(nothingHere(what));
    return;
  }
  if (actions.length > 1) {
    const picked = await vscode.window.showQuickPick(
      actions.map((a) => ({ label: a.title, action: a })),
      { title: "gazette: annotate", placeHolder: "What is this name here?" },
    );
    chosen = picked?.action;
  }
  if (!chosen) {
    return;
  }
  const edit = await c.protocol2CodeConverter.asWorkspaceEdit(chosen.edit as LspWorkspaceEdit);
  if (!edit || !(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`gazette: "${chosen.title}" could not be applied.`);
  }
}

let mapPanel: vscode.WebviewPanel | undefined;

/** `gazette.showCorpusMap`: the corpus map (`gazette/graph`) in a webview;
 * clicking an entity opens its definition, "Find references" lists its
 * references. */
function showCorpusMap(context: vscode.ExtensionContext): void {
  const c = client;
  if (!c || !c.isRunning()) {
    void vscode.window.showWarningMessage("gazette: the server is not running.");
    return;
  }
  if (mapPanel) {
    mapPanel.reveal();
    return;
  }
  const media = vscode.Uri.joinPath(context.extensionUri, "media");
  const panel = vscode.window.createWebviewPanel("gazette.corpusMap", "gazette: corpus map", vscode.ViewColumn.Beside, {
    enableScripts: true,
    localResourceRoots: [media],
  });
  mapPanel = panel;
  const toLocation = (l: LspLocation) => {
    const range = toVsRange(l) ?? new vscode.Range(0, 0, 0, 0);
    return { uri: vscode.Uri.parse(l.uri), range };
  };
  const controller = new CorpusMapController({
    request: (method, params) => c.sendRequest(method, params),
    post: (message) => void panel.webview.postMessage(message),
    open: async (l) => {
      const { uri, range } = toLocation(l);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { selection: range, preview: false, viewColumn: vscode.ViewColumn.One });
    },
    references: async (l) => {
      const { uri, range } = toLocation(l);
      await vscode.commands.executeCommand("references-view.findReferences", uri, range.start).then(undefined, () =>
        vscode.commands.executeCommand("editor.action.referenceSearch.trigger"),
      );
    },
    error: (message) => void vscode.window.showWarningMessage(message),
  });
  const nonce = [...Array(32)].map(() => Math.floor(Math.random() * 36).toString(36)).join("");
  const asset = (...p: string[]) => panel.webview.asWebviewUri(vscode.Uri.joinPath(media, ...p)).toString();
  panel.webview.html = webviewHtml({
    cspSource: panel.webview.cspSource,
    nonce,
    scripts: [asset("vendor", "cytoscape.min.js"), asset("vendor", "uPlot.iife.min.js"), asset("vendor", "panels.js"), asset("corpusMap.js")],
    styles: [asset("corpusMap.css"), asset("vendor", "uPlot.min.css")],
  });
  panel.webview.onDidReceiveMessage((m) => void controller.onMessage(m), undefined, context.subscriptions);
  panel.onDidDispose(() => {
    mapPanel = undefined;
  });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("gazette");
  status = new IndexingStatus();
  context.subscriptions.push(output, status);
  context.subscriptions.push(
    vscode.commands.registerCommand("gazette.restartServer", restart),
    vscode.commands.registerCommand("gazette.showEntityList", showEntityList),
    vscode.commands.registerCommand("gazette.showReferences", showReferences),
    vscode.commands.registerCommand("gazette.showCorpusMap", () => showCorpusMap(context)),
    vscode.commands.registerCommand("gazette.annotate", () => annotate(undefined)),
    vscode.commands.registerCommand("gazette.annotate.person", () => annotate("person")),
    vscode.commands.registerCommand("gazette.annotate.place", () => annotate("place")),
    vscode.commands.registerCommand("gazette.annotate.organisation", () => annotate("organisation")),
    vscode.commands.registerCommand("gazette.annotate.other", () => annotate("other")),
    vscode.commands.registerCommand("gazette.annotate.notAName", () => annotate("not-a-name")),
    vscode.commands.registerCommand("gazette.annotate.confirm", () => annotate("confirm")),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (RESTART_KEYS.some((k) => e.affectsConfiguration(`${SECTION}.${k}`))) {
        void restart();
      }
    }),
  );
  // A corpus set up after activation (gazette.toml created): start then.
  const tomlWatcher = vscode.workspace.createFileSystemWatcher("**/gazette.toml", false, true, true);
  tomlWatcher.onDidCreate(() => {
    if (!client) {
      void startClient();
    }
  });
  context.subscriptions.push(tomlWatcher);
  await startClient();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
