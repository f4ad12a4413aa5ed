// The corpus map webview: draws what `gazette/graph` answers (posted by
// the extension): the network with Cytoscape.js, the timeline with uPlot,
// the figure groups as lists. Text from articles goes into the page
// only as textContent and canvas labels.
(function () {
  "use strict";
  const vscode = acquireVsCodeApi();
  const COLORS = { person: "#d1495b", place: "#2e86ab", org: "#edae49", other: "#66a182" };
  const KINDS = ["person", "place", "org", "other"];
  const $ = (id) => document.getElementById(id);
  let map = null;
  let current = -1;
  // Entities on the timeline (indices into map.nodes), newest first.
  let selected = [];
  let plot = null;

  const el = gazettePanels.el;
  const clear = gazettePanels.clear;

  const boxes = {};
  for (const k of KINDS) {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.checked = true;
    boxes[k] = box;
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + k + " "));
    $("kinds").appendChild(label);
  }

  const cy = cytoscape({
    container: $("graph"),
    style: [
      { selector: "node", style: { "background-color": "data(color)", label: "data(label)", width: "data(size)", height: "data(size)", "font-size": 11, color: "#888" } },
      { selector: "edge", style: { width: "data(width)", "line-color": "#9aa5b1", opacity: 0.5, "curve-style": "haystack" } },
    ],
  });

  function filters() {
    const f = {
      kinds: KINDS.filter((k) => boxes[k].checked),
      minCount: Number($("min-count").value) || 1,
      topN: Number($("top-n").value) || 60,
    };
    if ($("date-from").value) f.from = $("date-from").value;
    if ($("date-to").value) f.to = $("date-to").value;
    return f;
  }

  function render(m) {
    map = m;
    const maxA = Math.max(1, ...m.nodes.map((n) => n.articles));
    const maxW = Math.max(1, ...m.edges.map((e) => e.weight));
    cy.elements().remove();
    cy.add(m.nodes.map((n, i) => ({
      group: "nodes",
      data: { id: "n" + i, index: i, label: n.name, color: COLORS[n.kind] || "#888", size: 8 + 28 * Math.sqrt(n.articles / maxA) },
    })));
    cy.add(m.edges.map((e, k) => ({
      group: "edges",
      data: { id: "e" + k, source: "n" + e.source, target: "n" + e.target, width: 1 + 6 * (e.weight / maxW) },
    })));
    cy.layout({ name: "cose", animate: false }).run();
    $("shown").textContent = m.nodes.length + " entities, " + m.edges.length + " pairs · " + m.articles + " articles, " + m.dated + " dated";
    current = -1;
    $("open-def").disabled = true;
    $("show-refs").disabled = true;
    selected = m.nodes.slice(0, 5).map((_, i) => i);
    drawTimeline();
    drawFigures(false);
  }

  // Mentions per article date of the selected entities: a uPlot chart and
  // the same numbers as a table (readable without the chart).
  function drawTimeline() {
    plot = gazettePanels.timeline(map, selected, 0, map.buckets.length - 1, { per: "Mentions per", height: 200, margin: 60 }, plot);
  }

  // Quantities stated in several places, the disagreeing values marked.
  const FIGURES_SHOWN = 20;
  function drawFigures(all) {
    gazettePanels.figures(map, FIGURES_SHOWN, all);
  }

  function select(i) {
    const n = map.nodes[i];
    current = i;
    $("card-name").textContent = n.name;
    $("card-text").textContent = n.card.replace(/\\([\\`*_{}\[\]()#+\-.!|<>~])/g, "$1").replace(/\*\*|`/g, "");
    $("open-def").disabled = !n.definition;
    $("show-refs").disabled = !n.definition;
    const list = $("card-articles");
    clear(list);
    for (const a of n.article_list) {
      const li = el("li", (a.date ? a.date + " · " : "undated · ") + a.path + " (" + a.mentions + "×)");
      if (a.date_source) li.title = "date from " + a.date_source;
      list.appendChild(li);
    }
    if (n.articles > n.article_list.length) {
      list.appendChild(el("li", "… and " + (n.articles - n.article_list.length) + " more", "muted"));
    }
    if (!selected.includes(i)) {
      selected = [i].concat(selected).slice(0, 6);
      drawTimeline();
    }
  }

  cy.on("tap", "node", (evt) => {
    const i = evt.target.data("index");
    select(i);
    vscode.postMessage({ type: "open", node: i });
  });
  $("open-def").addEventListener("click", () => current >= 0 && vscode.postMessage({ type: "open", node: current }));
  $("show-refs").addEventListener("click", () => current >= 0 && vscode.postMessage({ type: "references", node: current }));
  for (const id of ["date-from", "date-to", "min-count", "top-n"]) {
    $(id).addEventListener("change", () => vscode.postMessage({ type: "filter", filters: filters() }));
  }
  for (const k of KINDS) boxes[k].addEventListener("change", () => vscode.postMessage({ type: "filter", filters: filters() }));

  window.addEventListener("message", (event) => {
    const msg = event.data;
    if (msg && msg.type === "map") render(msg.map);
    if (msg && msg.type === "error") {
      $("shown").textContent = "gazette/graph failed: " + msg.message;
      $("shown").className = "error";
    }
  });
  vscode.postMessage({ type: "ready" });
})();
