#!/usr/bin/env bash
# End-to-end test of the VS Code extension in a real VS Code (code-server),
# driven by Playwright in Debian's Chromium. See ../README.md ("End-to-end
# test") for what it checks.
#
#   bash editors/vscode/e2e/run.sh
#
#   GAZETTE_BIN          server executable (default: target/debug/gazette,
#                        built with `cargo build` when missing)
#   GAZETTE_E2E_CACHE    where code-server and playwright-core are installed
#                        (kept between runs; see install.sh)
#   GAZETTE_E2E_ARTIFACTS screenshots and logs (default: editors/vscode/e2e/artifacts)
#   GAZETTE_E2E_KEEP=1   keep the temporary workspace and profile
#
# Exit status: 0 when every scenario passed (or when Chromium cannot start
# on this machine: then it prints SKIP and why), 1 otherwise.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ext_dir="$(cd "$here/.." && pwd)"
repo="$(cd "$ext_dir/../.." && pwd)"
artifacts="${GAZETTE_E2E_ARTIFACTS:-$here/artifacts}"

say() { echo "[vscode e2e] $*"; }
die() { echo "[vscode e2e] FAIL: $*" >&2; exit 1; }

# --- tools ------------------------------------------------------------------
install_out="$(bash "$here/install.sh")" || die "installing the test's tools failed (see above)"
while IFS='=' read -r key value; do
  case "$key" in
    E2E_CACHE | E2E_USER | CODE_SERVER_ENTRY | PLAYWRIGHT_DIR) printf -v "$key" '%s' "$value" ;;
  esac
done <<<"$install_out"
[[ -n "${CODE_SERVER_ENTRY:-}" && -n "${PLAYWRIGHT_DIR:-}" ]] || die "install.sh printed no layout"

# Chromium must be able to start headless here; where it cannot (no kernel
# support for its sandbox helpers, no /dev/shm, ...) the test is skipped.
chromium_log="$(mktemp /tmp/gazette-vscode-e2e-chromium.XXXXXX)"
if ! timeout 60 chromium --headless --no-sandbox --disable-gpu --dump-dom about:blank \
    >"$chromium_log" 2>&1; then
  echo "[vscode e2e] SKIP: Chromium cannot start on this machine:"
  tail -n 5 "$chromium_log" | sed 's/^/    /'
  rm -f "$chromium_log"
  exit 0
fi
rm -f "$chromium_log"

# --- the server and the extension -------------------------------------------
if [[ -z "${GAZETTE_BIN:-}" ]]; then
  # As the Neovim test: the debug build `cargo test` leaves, built only when
  # missing (`cargo build` after `cargo test` would rebuild every crate with
  # other features).
  GAZETTE_BIN="$repo/target/debug/gazette"
  if [[ ! -x "$GAZETTE_BIN" ]]; then
    say "building $GAZETTE_BIN"
    (cd "$repo" && cargo build --quiet --bin gazette) || die "cargo build --bin gazette failed"
  fi
fi
[[ -x "$GAZETTE_BIN" ]] || die "server executable not found: $GAZETTE_BIN"
say "server: $GAZETTE_BIN"

vsix="$ext_dir/gazette.vsix"
if [[ ! -f "$vsix" ]] || [[ -n "$(find "$ext_dir/src" "$ext_dir/media" "$ext_dir/package.json" -newer "$vsix" -print -quit)" ]]; then
  say "packaging the extension"
  (
    cd "$ext_dir"
    [[ -d node_modules ]] || npm ci --no-audit --no-fund
    npm run --silent compile
    npm run --silent package
  ) || die "packaging the extension failed"
fi

# --- a workspace and profile of our own ---------------------------------------
work="$(mktemp -d /tmp/gazette-vscode-e2e.XXXXXX)"
chmod 755 "$work"
cs_pid=""
driver_pid=""

# Every process this run started: the process trees of code-server and of
# the Playwright driver (Chromium), plus any server started from our private
# copy of the executable (it may have been reparented when its extension
# host died).
our_pids() {
  local roots=() d stat rest p exe
  [[ -n "$cs_pid" ]] && roots+=("$cs_pid")
  [[ -n "$driver_pid" ]] && roots+=("$driver_pid")
  # parent of every process, from /proc (no procps needed)
  local -A parent=()
  for d in /proc/[0-9]*; do
    stat="$(cat "$d/stat" 2>/dev/null)" || continue
    rest="${stat##*) }" # after "pid (comm) ": state ppid ...
    rest="${rest#* }"
    parent[${d#/proc/}]="${rest%% *}"
  done
  local -A ours=()
  for p in "${roots[@]}"; do [[ -n "${parent[$p]:-}" ]] && ours[$p]=1; done
  local grew=1
  while ((grew)); do
    grew=0
    for p in "${!parent[@]}"; do
      if [[ -z "${ours[$p]:-}" && -n "${ours[${parent[$p]}]:-}" ]]; then
        ours[$p]=1
        grew=1
      fi
    done
  done
  for d in /proc/[0-9]*; do
    exe="$(readlink "$d/exe" 2>/dev/null || true)"
    [[ "$exe" == "$work/bin/gazette" ]] && ours[${d#/proc/}]=1
  done
  for p in "${!ours[@]}"; do
    [[ -d "/proc/$p" ]] && echo "$p"
  done | sort -n
}

cleanup() {
  local rc=$? pids left
  set +e
  mapfile -t pids < <(our_pids)
  if ((${#pids[@]})); then
    kill -TERM "${pids[@]}" 2>/dev/null
    for _ in $(seq 1 50); do
      left=""
      for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && left+=" $p"; done
      [[ -z "$left" ]] && break
      sleep 0.1
    done
    [[ -n "$left" ]] && kill -KILL $left 2>/dev/null
  fi
  # code-server's log and VS Code's (extension host, the "gazette" output
  # channel) go with the screenshots.
  if [[ -f "$work/code-server.log" ]]; then
    mkdir -p "$artifacts" && cp "$work/code-server.log" "$artifacts/" 2>/dev/null
  fi
  [[ -d "$work/data/logs" ]] && cp -r "$work/data/logs" "$artifacts/vscode-logs" 2>/dev/null
  left="$(our_pids)"
  [[ -n "$left" ]] && echo "[vscode e2e] WARNING: processes left after cleanup: $left" >&2
  if [[ "${GAZETTE_E2E_KEEP:-0}" == 1 ]]; then
    say "kept $work"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$work/bin" "$work/corpus" "$work/data/User" "$work/extensions"
cp "$GAZETTE_BIN" "$work/bin/gazette"
cp -r "$repo/seeds/." "$work/corpus/"
# The same articles without a gazette.toml: there the extension stays idle.
mkdir -p "$work/plain"
cp "$repo"/seeds/*.txt "$work/plain/"
cp "$vsix" "$work/gazette.vsix"

# What the page must show is read from the CLI on the same corpus, not
# written into the test.
"$work/bin/gazette" entities --format json --position-encoding utf-16 "$work/corpus" >"$work/entities.json" \
  || die "gazette entities failed on the seed corpus"
check_rc=0
"$work/bin/gazette" check --fail-on error "$work/corpus" >"$work/check.txt" || check_rc=$?
((check_rc <= 1)) || die "gazette check failed on the seed corpus (exit $check_rc)"

cat >"$work/data/User/settings.json" <<EOF
{
  "gazette.path": "$work/bin/gazette",
  "gazette.diagnostics.nameVariants": "warning",
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "chat.commandCenter.enabled": false,
  "chat.disableAIFeatures": true,
  "files.autoSave": "off",
  "editor.minimap.enabled": false,
  "editor.hover.delay": 200,
  "editor.wordWrap": "off",
  "window.restoreWindows": "none"
}
EOF
if [[ "$(id -u)" == 0 ]]; then
  chown -R "$E2E_USER:" "$work"
  as_user() { runuser -u "$E2E_USER" -- env HOME="$E2E_CACHE/home" "$@"; }
else
  as_user() { env HOME="$E2E_CACHE/home" "$@"; }
fi

code_server=(node "$CODE_SERVER_ENTRY" --user-data-dir "$work/data" --extensions-dir "$work/extensions")
say "installing $vsix into code-server"
as_user "${code_server[@]}" --install-extension "$work/gazette.vsix" >"$work/install-extension.log" 2>&1 \
  || { cat "$work/install-extension.log" >&2; die "code-server --install-extension failed"; }

port="$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
say "starting code-server on 127.0.0.1:$port"
as_user "${code_server[@]}" --bind-addr "127.0.0.1:$port" --auth none \
  --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override --ignore-last-opened \
  "$work/corpus" >"$work/code-server.log" 2>&1 &
cs_pid=$!

healthy() {
  node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
    "http://127.0.0.1:$port/healthz"
}
for _ in $(seq 1 120); do
  if healthy; then break; fi
  kill -0 "$cs_pid" 2>/dev/null || { tail -n 30 "$work/code-server.log" >&2; die "code-server exited at start"; }
  sleep 0.5
done
healthy || { tail -n 30 "$work/code-server.log" >&2; die "code-server did not answer on 127.0.0.1:$port within 60 s"; }

rm -rf "$artifacts"
mkdir -p "$artifacts"
say "driving code-server with Playwright (artifacts: $artifacts)"
E2E_URL="http://127.0.0.1:$port/?folder=$work/corpus" \
E2E_PLAIN_URL="http://127.0.0.1:$port/?folder=$work/plain" \
E2E_WORK="$work" \
E2E_ARTIFACTS="$artifacts" \
E2E_PLAYWRIGHT="$PLAYWRIGHT_DIR" \
  node "$here/scenarios.mjs" &
driver_pid=$!
# In the background and waited for, so that a signal reaches the trap at
# once (and the trap ends the driver and its Chromium too).
wait "$driver_pid"
