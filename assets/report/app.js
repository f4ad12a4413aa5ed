// gazette report: draws the corpus map embedded as JSON in this page.
// Text from articles is data: it goes into the page through textContent
// and Cytoscape labels (canvas), never through innerHTML.
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("gazette-data").textContent);
  var map = data.map;
  var timings = { parse: performance.now() - started };
  var COLORS = { person: "#d1495b", place: "#2e86ab", org: "#edae49", other: "#66a182" };
  var KINDS = ["person", "place", "org", "other"];

  var el = gazettePanels.el;
  var clear = gazettePanels.clear;
  function $(id) {
    return document.getElementById(id);
  }

  // Summary line.
  $("summary").textContent =
    data.corpus + " · " + map.articles + " articles, " + map.dated + " dated" +
    (map.articles > map.dated ? ", " + (map.articles - map.dated) + " undated" : "") +
    " · " + (map.nodes.length + map.nodes_left_out) + " entities";

  // Controls.
  var kindBoxes = {};
  KINDS.forEach(function (k) {
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.id = "kind-" + k;
    kindBoxes[k] = box;
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + k + " "));
    $("kinds").appendChild(label);
    var key = el("span");
    var dot = el("i");
    dot.style.background = COLORS[k];
    key.appendChild(dot);
    key.appendChild(document.createTextNode(k));
    $("legend").appendChild(key);
  });
  map.buckets.forEach(function (b, i) {
    var a = el("option", b);
    a.value = String(i);
    $("date-from").appendChild(a);
    var z = el("option", b);
    z.value = String(i);
    $("date-to").appendChild(z);
  });
  $("date-to").value = String(map.buckets.length - 1);
  // Shown at first: the 30 entities in most articles (all the report holds
  // are a change of this field away).
  var DEFAULT_SHOWN = 30;
  $("top-n").value = String(Math.min(DEFAULT_SHOWN, data.top_n));
  $("top-n").max = String(map.nodes.length);

  function filter() {
    var from = map.buckets.length ? Number($("date-from").value) : 0;
    var to = map.buckets.length ? Number($("date-to").value) : -1;
    return {
      kinds: KINDS.filter(function (k) { return kindBoxes[k].checked; }),
      from: from,
      to: to,
      undated: $("undated").checked,
      min: Math.max(1, Number($("min-count").value) || 1),
      top: Math.max(1, Number($("top-n").value) || DEFAULT_SHOWN),
    };
  }

  // Counts of a node or edge within the filter's dates.
  function inRange(series, undated, f, col) {
    var n = 0;
    for (var i = 0; i < series.length; i++) {
      var s = series[i];
      if (s[0] >= f.from && s[0] <= f.to) n += s[col];
    }
    return n + (f.undated ? undated : 0);
  }

  function view(f) {
    var nodes = [];
    map.nodes.forEach(function (n, i) {
      if (f.kinds.indexOf(n.kind) < 0) return;
      var articles = inRange(n.series, n.undated[1], f, 2);
      if (articles < f.min) return;
      nodes.push({ i: i, articles: articles, mentions: inRange(n.series, n.undated[0], f, 1) });
    });
    nodes.sort(function (a, b) { return b.articles - a.articles || b.mentions - a.mentions || a.i - b.i; });
    nodes = nodes.slice(0, f.top);
    var shown = {};
    nodes.forEach(function (n) { shown[n.i] = n; });
    var edges = [];
    map.edges.forEach(function (e, k) {
      if (!shown[e.source] || !shown[e.target]) return;
      var w = inRange(e.series, e.undated, f, 1);
      if (w >= f.min) edges.push({ k: k, source: e.source, target: e.target, weight: w });
    });
    return { nodes: nodes, edges: edges };
  }

  var cy = cytoscape({
    container: $("graph"),
    elements: [],
    style: [
      {
        selector: "node",
        style: {
          "background-color": "data(color)",
          label: "data(label)",
          width: "data(size)",
          height: "data(size)",
          "font-size": 11,
          "text-valign": "bottom",
          "text-margin-y": 2,
          color: "#222",
          "text-outline-color": "#fff",
          "text-outline-width": 2,
        },
      },
      {
        selector: "edge",
        style: { width: "data(width)", "line-color": "#9aa5b1", opacity: 0.6, "curve-style": "haystack" },
      },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#1f2a44" } },
    ],
  });

  var selected = []; // node indexes on the timeline

  function draw() {
    var f = filter();
    var v = view(f);
    var maxA = 1, maxW = 1;
    v.nodes.forEach(function (n) { maxA = Math.max(maxA, n.articles); });
    v.edges.forEach(function (e) { maxW = Math.max(maxW, e.weight); });
    var els = [];
    v.nodes.forEach(function (n) {
      var node = map.nodes[n.i];
      els.push({
        group: "nodes",
        data: {
          id: "n" + n.i,
          index: n.i,
          label: node.name,
          kind: node.kind,
          articles: n.articles,
          mentions: n.mentions,
          color: COLORS[node.kind] || "#888",
          size: 8 + 28 * Math.sqrt(n.articles / maxA),
        },
      });
    });
    v.edges.forEach(function (e) {
      els.push({
        group: "edges",
        data: {
          id: "e" + e.k,
          source: "n" + e.source,
          target: "n" + e.target,
          weight: e.weight,
          width: 1 + 7 * (e.weight / maxW),
        },
      });
    });
    var ta = performance.now();
    cy.elements().remove();
    cy.add(els);
    timings.add = performance.now() - ta;
    var tl = performance.now();
    cy.layout({
      name: v.nodes.length > 150 ? "concentric" : "cose",
      animate: false,
      randomize: true,
      nodeRepulsion: function () { return 400000; },
      idealEdgeLength: function () { return 140; },
      nodeOverlap: 20,
      gravity: 0.3,
      concentric: function (n) { return n.data("articles"); },
      padding: 20,
    }).run();
    timings.layout = performance.now() - tl;
    $("shown").textContent =
      v.nodes.length + " entities, " + v.edges.length + " pairs shown" +
      (map.nodes_left_out ? " (" + map.nodes_left_out + " less frequent entities not in this report)" : "");
    if (!selected.length) selected = v.nodes.slice(0, 5).map(function (n) { return n.i; });
    var tt = performance.now();
    drawTimeline(f);
    timings.timeline = performance.now() - tt;
    return v;
  }

  // The hover card's Markdown as text: backslash escapes and emphasis
  // markers removed (the text stays text).
  function plain(md) {
    return md.replace(/\\([\\`*_{}\[\]()#+\-.!|<>~])/g, "$1").replace(/\*\*|`/g, "");
  }

  function showCard(i) {
    var n = map.nodes[i];
    $("card-hint").textContent = n.kind + " · " + n.mentions + " mentions in " + n.articles + " articles";
    $("card-name").textContent = n.name;
    $("card-text").textContent = plain(n.card);
    var list = $("card-articles");
    clear(list);
    n.article_list.forEach(function (a) {
      var li = el("li", (a.date ? a.date + " · " : "undated · ") + a.path + " (" + a.mentions + "×)");
      if (a.date_source) li.title = "date from " + a.date_source;
      list.appendChild(li);
    });
    if (n.articles > n.article_list.length) {
      list.appendChild(el("li", "… and " + (n.articles - n.article_list.length) + " more", "muted"));
    }
    if (selected.indexOf(i) < 0) {
      selected.unshift(i);
      selected = selected.slice(0, 6);
      drawTimeline(filter());
    }
  }

  cy.on("tap", "node", function (evt) {
    showCard(evt.target.data("index"));
  });

  var plot = null;
  function drawTimeline(f) {
    plot = gazettePanels.timeline(map, selected, f.from, f.to, { per: "Per", height: 220, margin: 80 }, plot);
  }

  // Figure groups drawn at first; the others behind a button.
  var FIGURES_SHOWN = 30;
  function drawFigures(all) {
    gazettePanels.figures(map, FIGURES_SHOWN, all);
  }

  ["date-from", "date-to", "undated", "min-count", "top-n"].forEach(function (id) {
    $(id).addEventListener("change", draw);
  });
  KINDS.forEach(function (k) { kindBoxes[k].addEventListener("change", draw); });

  var t = performance.now();
  draw();
  timings.draw = performance.now() - t;
  window.gazetteReport = {
    cy: cy,
    data: data,
    renderMs: performance.now() - started,
    // Since the navigation started: reading the page, the libraries, this.
    readyAt: performance.now(),
    timings: timings,
    showCard: showCard,
    figuresDrawn: false,
  };
  // The figures are below the fold: after the network and the timeline.
  setTimeout(function () {
    var tf = performance.now();
    drawFigures(false);
    timings.figures = performance.now() - tf;
    window.gazetteReport.figuresDrawn = true;
  }, 0);
})();
