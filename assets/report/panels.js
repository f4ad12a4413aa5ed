// The corpus map's timeline and figure panels, one copy for both pages
// that draw them: the report (inlined by src/cli/report.rs) and the VS Code
// webview (copied into media/vendor/ by editors/vscode/scripts/copy-vendor.js).
// Text from articles goes into the page only through textContent.
var gazettePanels = (function () {
  "use strict";

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

  // Mentions per date bucket `from`..`to` (indices into map.buckets) of the
  // entities `selected` (indices into map.nodes): a table in
  // #timeline-table, a uPlot chart in #timeline, a note in #timeline-note
  // starting with `opts.per` ("Per" or "Mentions per"). Destroys `old`, the
  // previous chart, and returns the new one (null without uPlot or dates).
  function timeline(map, selected, from, to, opts, old) {
    var table = $("timeline-table");
    clear(table);
    if (old) old.destroy();
    var idx = [];
    for (var b = from; b <= to; b++) idx.push(b);
    var undated = map.articles - map.dated;
    $("timeline-note").textContent =
      opts.per + (map.granularity === "month" ? " month. " : " day. ") +
      (undated ? undated + " undated articles are not on the timeline." : "");
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
    if (!idx.length || typeof uPlot === "undefined") return null;
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
    var width = Math.max(320, window.innerWidth - opts.margin);
    return new uPlot({ width: width, height: opts.height, series: series, scales: { x: { time: true } } },
      [xs].concat(cols), $("timeline"));
  }

  // Quantities stated in several places, into #figures, the disagreeing
  // values marked: the first `limit` groups, the others behind a button.
  function figures(map, limit, all) {
    var box = $("figures");
    clear(box);
    if (!map.figures.length) {
      box.appendChild(el("p", "No quantity is stated in more than one place.", "muted"));
      return;
    }
    var shown = all ? map.figures : map.figures.slice(0, limit);
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
      more.addEventListener("click", function () { figures(map, limit, true); });
      box.appendChild(more);
    }
  }

  return { el: el, clear: clear, timeline: timeline, figures: figures };
})();
