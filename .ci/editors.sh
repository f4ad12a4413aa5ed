#!/usr/bin/env bash
# Editor clients: VS Code extension (build, unit tests, .vsix) and the
# Neovim end-to-end test against the real server.
#
#   bash .ci/editors.sh            # both
#   GAZETTE_SKIP_VSCODE=1 ...      # only Neovim
#   GAZETTE_SKIP_NVIM=1 ...        # only VS Code
#
# The Neovim test uses $GAZETTE_BIN, else target/debug/gazette (built with
# `cargo build` when missing); see tests/e2e/run_nvim_e2e.sh.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

if [[ "${GAZETTE_SKIP_VSCODE:-0}" != 1 ]]; then
  echo "== VS Code extension (editors/vscode)"
  (
    cd editors/vscode
    npm ci --no-audit --no-fund
    npm run compile
    npm test
    npm run package
    ls -l gazette.vsix
  )
fi

if [[ "${GAZETTE_SKIP_NVIM:-0}" != 1 ]]; then
  echo "== Neovim end-to-end test"
  bash tests/e2e/run_nvim_e2e.sh
fi
