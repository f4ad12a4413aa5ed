#!/usr/bin/env bash
# Refreshes the JavaScript libraries that `gazette report` embeds (and the
# VS Code corpus map loads) from npm: the minified file and its licence.
# The binary downloads nothing; it includes these files at compile time.
#
#   bash scripts/vendor-report-js.sh              # the pinned versions below
#   CYTOSCAPE=3.35.0 UPLOT=1.6.32 bash scripts/vendor-report-js.sh
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$repo/assets/report/vendor"
cytoscape="${CYTOSCAPE:-3.35.0}"
uplot="${UPLOT:-1.6.32}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "cytoscape@$cytoscape" "uplot@$uplot" >/dev/null
mkdir cy up
tar -xzf "cytoscape-$cytoscape.tgz" -C cy
tar -xzf "uplot-$uplot.tgz" -C up
mkdir -p "$dest"
cp cy/package/dist/cytoscape.min.js "$dest/cytoscape.min.js"
cp cy/package/LICENSE "$dest/cytoscape.LICENSE"
cp up/package/dist/uPlot.iife.min.js "$dest/uPlot.iife.min.js"
cp up/package/dist/uPlot.min.css "$dest/uPlot.min.css"
cp up/package/LICENSE "$dest/uPlot.LICENSE"
printf 'cytoscape %s\nuplot %s\n' "$cytoscape" "$uplot" >"$dest/VERSIONS"
ls -l "$dest"
