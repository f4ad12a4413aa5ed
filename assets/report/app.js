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

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function clear(e) {
    while (e.firstChild) e.removeChild(e.firstChild);
  }
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
    var table = $("timeline-table");
    clear(table);
    if (plot) {
      plot.destroy();
      plot = null;
    }
    var idx = [];
    for (var b = f.from; b <= f.to; b++) idx.push(b);
    var undatedNote = map.articles - map.dated;
    $("timeline-note").textContent =
      (map.granularity === "month" ? "Per month. " : "Per day. ") +
      (undatedNote ? undatedNote + " undated articles are not on the timeline." : "");
    var head = el("tr");
    head.appendChild(el("th", "date"));
    selected.forEach(function (i) { head.appendChild(el("th", map.nodes[i].name)); });
    table.appendChild(head);
    var cols = selected.map(function (i) {
      var per = {};
      map.nodes[i].series.forEach(function (s) { per[s[0]] = s[1]; });
      return idx.map(function (b) { return per[b] || 0; });
    });
    idx.forEach(function (b, r) {
      var tr = el("tr");
      tr.appendChild(el("td", map.buckets[b]));
      cols.forEach(function (c) { tr.appendChild(el("td", c[r])); });
      table.appendChild(tr);
    });
    if (!idx.length || typeof uPlot === "undefined") return;
    var xs = idx.map(function (b) {
      var s = map.buckets[b];
      return Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, s.length > 7 ? Number(s.slice(8, 10)) : 1) / 1000;
    });
    var palette = ["#d1495b", "#2e86ab", "#edae49", "#66a182", "#8d6a9f", "#00798c"];
    var series = [{}].concat(selected.map(function (i, k) {
      return { label: map.nodes[i].name, stroke: palette[k % palette.length], width: 2, points: { show: true } };
    }));
    // The window's width, not the panel's: measuring the panel would lay
    // out the whole page first (a second on a large report).
    var width = Math.max(320, window.innerWidth - 80);
    plot = new uPlot({ width: width, height: 220, series: series, scales: { x: { time: true } } },
      [xs].concat(cols), $("timeline"));
  }

  // Figure groups drawn at first; the others behind a button.
  var FIGURES_SHOWN = 30;
  function drawFigures(all) {
    var box = $("figures");
    clear(box);
    if (!map.figures.length) {
      box.appendChild(el("p", "No quantity is stated in more than one place.", "muted"));
      return;
    }
    var shown = all ? map.figures : map.figures.slice(0, FIGURES_SHOWN);
    shown.forEach(function (t) {
      var g = el("div", null, "fig-group");
      g.dataset.key = t.key;
      var h = el("h3", t.label + " — " + t.statements + " statements in " + t.articles + " articles ");
      h.appendChild(el("span", t.disagree ? "(values disagree) " + t.key : t.key, "key"));
      g.appendChild(h);
      t.values.forEach(function (v) {
        var row = el("div", null, "fig-value" + (v.disagrees ? " disagrees" : ""));
        row.appendChild(el("strong", v.value));
        row.appendChild(document.createTextNode(" in " + v.articles + (v.articles === 1 ? " article" : " articles")));
        if (v.disagrees) row.appendChild(el("span", "disagrees", "badge"));
        var ul = el("ul");
        v.statements.forEach(function (s) {
          ul.appendChild(el("li", (s.date || "undated") + " · " + s.path + ": „" + s.text + "“"));
        });
        if (v.articles > v.statements.length) {
          ul.appendChild(el("li", "… and " + (v.articles - v.statements.length) + " more articles", "muted"));
        }
        row.appendChild(ul);
        g.appendChild(row);
      });
      if (t.values_left_out) g.appendChild(el("p", "… and " + t.values_left_out + " other values", "muted"));
      box.appendChild(g);
    });
    if (shown.length < map.figures.length) {
      var more = el("button", "Show all " + map.figures.length + " groups");
      more.id = "figures-all";
      more.addEventListener("click", function () { drawFigures(true); });
      box.appendChild(more);
    }
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
