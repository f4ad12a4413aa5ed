#!/usr/bin/env bash
# Installs what the VS Code end-to-end test needs, idempotently, into a cache
# folder kept between runs; see ../README.md ("End-to-end test").
#
#   GAZETTE_E2E_CACHE   cache folder (default: /var/cache/gazette-e2e as root,
#                       ~/.cache/gazette-e2e otherwise)
#
# Needs: Node.js 20 + npm, and as root apt-get (for Debian's chromium, ripgrep
# and the headers code-server's native modules build against). Prints the
# cache folder's layout as `KEY=VALUE` lines on the last lines of stdout for
# run.sh to read.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3        # the newest code-server whose engines.node is 20
VSCODE_RIPGREP_VERSION=1.15.11     # @vscode/ripgrep pinned by that code-server
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
PLAYWRIGHT_CORE_VERSION=1.65.2
E2E_USER=gazette-e2e

say() { echo "[e2e install] $*" >&2; }
die() { echo "[e2e install] ERROR: $*" >&2; exit 1; }

if [[ "$(id -u)" == 0 ]]; then
  cache="${GAZETTE_E2E_CACHE:-/var/cache/gazette-e2e}"
else
  cache="${GAZETTE_E2E_CACHE:-$HOME/.cache/gazette-e2e}"
fi

node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" \
  || die "node is not installed (Node.js 20 is needed)"
[[ "$node_major" == 20 ]] \
  || die "code-server $CODE_SERVER_VERSION needs Node.js 20, found $(node -v)"
[[ "$(uname -m)" == x86_64 ]] || die "only x86_64 is supported (ripgrep asset)"

# --- Debian packages ---------------------------------------------------------
apt_pkgs=()
command -v chromium >/dev/null || apt_pkgs+=(chromium)
command -v rg >/dev/null || apt_pkgs+=(ripgrep)
for p in build-essential python3 pkg-config libkrb5-dev libsecret-1-dev \
         libx11-dev libxkbfile-dev; do
  dpkg -s "$p" >/dev/null 2>&1 || apt_pkgs+=("$p")
done
if ((${#apt_pkgs[@]})); then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    say "apt-get install ${apt_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "${apt_pkgs[@]}" >&2
  else
    die "missing Debian packages: ${apt_pkgs[*]} (apt-get install them as root)"
  fi
fi
[[ -f /usr/include/node/node_version.h ]] \
  || die "Node.js headers missing in /usr/include/node (native modules build against them)"

# --- user that owns code-server (its postinstall refuses root) -------------
mkdir -p "$cache"
if [[ "$(id -u)" == 0 ]]; then
  if ! id "$E2E_USER" >/dev/null 2>&1; then
    say "creating user $E2E_USER"
    useradd --system --no-create-home --home-dir "$cache/home" \
      --shell /usr/sbin/nologin "$E2E_USER"
  fi
  run_user="$E2E_USER"
  as_user() { runuser -u "$E2E_USER" -- env HOME="$cache/home" "$@"; }
  chown "$E2E_USER:" "$cache"
else
  run_user="$(id -un)"
  as_user() { env HOME="$cache/home" "$@"; }
fi
as_user mkdir -p "$cache/home" "$cache/tmp"

# --- code-server --------------------------------------------------------------
cs_dir="$cache/code-server-$CODE_SERVER_VERSION"
cs_entry="$cs_dir/node_modules/code-server/out/node/entry.js"
if [[ ! -f "$cs_dir/.installed" ]]; then
  say "installing code-server $CODE_SERVER_VERSION into $cs_dir (several minutes)"
  rm -rf "$cs_dir"
  as_user mkdir -p "$cs_dir"
  # @vscode/ripgrep's postinstall downloads ripgrep from GitHub unless its
  # download cache ($TMPDIR/vscode-ripgrep-cache-<version>/<asset>) already
  # holds the asset: put Debian's rg there.
  rgcache="$cache/tmp/vscode-ripgrep-cache-$VSCODE_RIPGREP_VERSION"
  as_user mkdir -p "$rgcache/stage"
  as_user cp "$(command -v rg)" "$rgcache/stage/rg"
  as_user tar czf "$rgcache/$RIPGREP_ASSET" -C "$rgcache/stage" rg
  (
    cd "$cs_dir"
    as_user env TMPDIR="$cache/tmp" npm_config_nodedir=/usr \
      npm_config_update_notifier=false \
      npm install --no-audit --no-fund --loglevel=error \
      "code-server@$CODE_SERVER_VERSION" >&2
  ) || die "npm install code-server@$CODE_SERVER_VERSION failed (see above)"
  [[ -f "$cs_entry" ]] || die "code-server entry point missing: $cs_entry"
  rg_bin="$cs_dir/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
  [[ -x "$rg_bin" ]] || die "ripgrep was not placed at $rg_bin"
  as_user touch "$cs_dir/.installed"
fi

# --- playwright-core (the browser is Debian's chromium) ----------------------
pw_dir="$cache/playwright-core-$PLAYWRIGHT_CORE_VERSION"
if [[ ! -f "$pw_dir/.installed" ]]; then
  say "installing playwright-core $PLAYWRIGHT_CORE_VERSION into $pw_dir"
  rm -rf "$pw_dir"
  mkdir -p "$pw_dir"
  (
    cd "$pw_dir"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_config_update_notifier=false \
      npm install --no-audit --no-fund --loglevel=error \
      "playwright-core@$PLAYWRIGHT_CORE_VERSION" >&2
  ) || die "npm install playwright-core failed"
  touch "$pw_dir/.installed"
fi

echo "E2E_CACHE=$cache"
echo "E2E_USER=$run_user"
echo "CODE_SERVER_ENTRY=$cs_entry"
echo "PLAYWRIGHT_DIR=$pw_dir/node_modules/playwright-core"
