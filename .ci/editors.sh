#!/usr/bin/env bash
# Editor clients: VS Code extension (build, unit tests, .vsix, and its
# end-to-end test in code-server + Chromium) and the Neovim end-to-end test
# against the real server.
#
#   bash .ci/editors.sh            # all
#   GAZETTE_SKIP_VSCODE=1 ...      # only Neovim
#   GAZETTE_SKIP_VSCODE_E2E=1 ...  # VS Code without its end-to-end test
#   GAZETTE_SKIP_NVIM=1 ...        # only VS Code
#   GAZETTE_SKIP_REPORT=1 ...      # without the report's browser test
#
# The VS Code end-to-end test installs what it needs (Debian's chromium,
# ripgrep and build headers via apt; code-server and playwright-core via npm)
# into a cache kept between runs (GAZETTE_E2E_CACHE, default
# /var/cache/gazette-e2e as root); see editors/vscode/README.md. It prints
# SKIP and passes only where Chromium cannot start.
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
  if [[ "${GAZETTE_SKIP_VSCODE_E2E:-0}" != 1 ]]; then
    echo "== VS Code end-to-end test (code-server, Playwright, Chromium)"
    bash editors/vscode/e2e/run.sh
  fi
fi

if [[ "${GAZETTE_SKIP_NVIM:-0}" != 1 ]]; then
  echo "== Neovim end-to-end test"
  bash tests/e2e/run_nvim_e2e.sh
fi

if [[ "${GAZETTE_SKIP_REPORT:-0}" != 1 ]]; then
  echo "== gazette report in headless Chromium (tests/report)"
  # Debian's chromium; installed once (other browser tests share it).
  command -v chromium >/dev/null || { apt-get update && apt-get install -y chromium; }
  bash tests/report/run.sh
fi
