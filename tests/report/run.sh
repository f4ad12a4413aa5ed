#!/usr/bin/env bash
# Writes the seed corpus's report and checks it in headless Chromium
# (Debian's chromium, driven by playwright-core; see report.test.mjs).
# The screenshot is kept in tests/report/artifacts/ (git-ignored).
#
#   bash tests/report/run.sh          # uses $GAZETTE_BIN, else target/debug/gazette
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
bin="${GAZETTE_BIN:-$repo/target/debug/gazette}"
if [[ ! -x "$bin" ]]; then
  cargo build --bin gazette
fi
if ! command -v chromium >/dev/null; then
  apt-get update && apt-get install -y chromium
fi
mkdir -p tests/report/artifacts
"$bin" report seeds/ -o tests/report/artifacts/seeds.html
cd tests/report
npm ci --no-audit --no-fund
GAZETTE_REPORT="$repo/tests/report/artifacts/seeds.html" node report.test.mjs

# A corpus whose article text and file name are markup: the page must load
# without errors and without a request (an <img> from the text would fetch).
hostile="$(mktemp -d)"
trap 'rm -rf "$hostile"' EXIT
printf 'Jens Stoltenberg sagte </script><img src=x onerror=alert(1)> in Brüssel, die NATO habe 30 Mitglieder.\n' \
  >"$hostile/<img src=x onerror=alert(1)>.txt"
printf 'Jens Stoltenberg traf die NATO in Brüssel. Die NATO hat 30 Mitglieder.\n' >"$hostile/b.txt"
"$bin" report "$hostile" -o "$repo/tests/report/artifacts/hostile.html"
GAZETTE_REPORT="$repo/tests/report/artifacts/hostile.html" GAZETTE_REPORT_CHECK=load node report.test.mjs
