// Copies the Cytoscape.js and uPlot builds the report uses (assets/report/vendor/,
// refreshed from npm by scripts/vendor-report-js.sh) into media/vendor/
// for the corpus map webview (network, timeline): one vendored copy in the repository.
const fs = require("node:fs");
const path = require("node:path");
const from = path.join(__dirname, "..", "..", "..", "assets", "report", "vendor");
const to = path.join(__dirname, "..", "media", "vendor");
fs.mkdirSync(to, { recursive: true });
// The timeline and figure panels the report draws too (one copy).
fs.copyFileSync(path.join(from, "..", "panels.js"), path.join(to, "panels.js"));
for (const f of ["cytoscape.min.js", "cytoscape.LICENSE", "uPlot.iife.min.js", "uPlot.min.css", "uPlot.LICENSE"]) {
  fs.copyFileSync(path.join(from, f), path.join(to, f));
}
