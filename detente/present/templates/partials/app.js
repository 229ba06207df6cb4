/* detente pages: show one section at a time, draw plots when shown, filter the timeline.
   Everything here is optional: without JavaScript every section is shown and every link still works. */
(function () {
  "use strict";
  var body = document.body;
  document.documentElement.classList.add("has-js");
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.page"));
  if (sections.length > 1) body.classList.add("js");

  function drawPlots(root) {
    if (!window.Plotly) return;
    root.querySelectorAll("script.plot-spec").forEach(function (spec) {
      var div = document.getElementById(spec.getAttribute("data-for"));
      if (!div || div.getAttribute("data-drawn")) return;
      var fig = JSON.parse(spec.textContent);
      div.setAttribute("data-drawn", "1");
      window.Plotly.newPlot(div, fig.data, fig.layout, fig.config).then(function () {
        div.on("plotly_click", function (event) {
          var point = event.points && event.points[0];
          var key = point && point.customdata;
          if (!key) return;
          if (/^event-/.test(key)) openTarget(key);
          else if (/^(quote|claim|event|stance|date|mention)-/.test(key)) return;
          else { var target = document.getElementById("actor-" + key); if (target) location.hash = "actor-" + key; }
        });
      });
    });
  }

  function pageOf(element) {
    while (element && !(element.tagName === "SECTION" && element.classList.contains("page"))) element = element.parentElement;
    return element;
  }

  function show(section) {
    if (!section) return;
    sections.forEach(function (s) { s.classList.toggle("shown", s === section); });
    var name = section.getAttribute("data-page");
    document.querySelectorAll("header.top nav a").forEach(function (a) {
      a.classList.toggle("active", a.getAttribute("data-page") === name);
    });
    drawPlots(section);
  }

  /* The followed fact (or entry) keeps the class "targeted" until another is followed; "flash" fades after a while. */
  function highlight(elements) {
    document.querySelectorAll(".targeted").forEach(function (el) { el.classList.remove("targeted"); });
    elements.forEach(function (el) { el.classList.add("targeted", "flash"); });
    setTimeout(function () { elements.forEach(function (el) { el.classList.remove("flash"); }); }, 4000);
  }

  function openTarget(id) {
    var target = id ? document.getElementById(id) : null;
    var section = pageOf(target) || sections[0];
    if (sections.length > 1) show(section);
    else if (sections.length === 1) drawPlots(sections[0]);
    else drawPlots(document);
    if (!target || target === section) { if (sections.length > 1) window.scrollTo(0, 0); return; }
    for (var el = target; el; el = el.parentElement) if (el.tagName === "DETAILS") el.open = true;
    var lit = [target];
    if (target.classList.contains("anchor") && /^fact-/.test(target.id)) {
      lit = Array.prototype.slice.call((section || document).querySelectorAll('[data-facts~="' + target.id.slice(5) + '"]'));
    }
    highlight(lit);
    target.scrollIntoView({ block: "center" });
  }

  function route() { openTarget(decodeURIComponent(location.hash.slice(1))); }
  window.addEventListener("hashchange", route);
  route();  /* the report shows the linked section; every page lights the fact its address names */

  /* The x-axis of the shown dates, at least MIN_DAYS wide, so one event still sits on a readable date axis. */
  var MIN_DAYS = 60, DAY = 86400000;
  function dateRange(days) {
    var times = days.map(function (d) { return Date.parse(d); }).filter(function (t) { return !isNaN(t); });
    if (!times.length) return { "xaxis.autorange": true };
    var low = Math.min.apply(null, times), high = Math.max.apply(null, times);
    if (high - low >= MIN_DAYS * DAY) return { "xaxis.autorange": true };
    var middle = (low + high) / 2, half = MIN_DAYS * DAY / 2;
    function iso(t) { return new Date(t).toISOString().slice(0, 10); }
    return { "xaxis.range": [iso(middle - half), iso(middle + half)] };
  }

  /* Timeline filters: by actor and by type, over the entries' index embedded as JSON. */
  var form = document.querySelector("form[data-filter=timeline]");
  var indexNode = document.getElementById("timeline-data");
  if (form && indexNode) {
    var index = JSON.parse(indexNode.textContent);
    var plotDiv = document.getElementById("plot-timeline");
    var original = null;
    form.hidden = false;
    form.addEventListener("change", function () {
      var actor = form.elements.actor.value, type = form.elements.type.value, keep = {}, shown = 0;
      index.forEach(function (entry) {
        var ok = (!type || entry.type === type) && (!actor || entry.actors.indexOf(actor) >= 0);
        keep[entry.key] = ok;
        var li = document.getElementById(entry.key);
        if (li) li.hidden = !ok;
        if (ok) shown += 1;
      });
      form.querySelector(".count").textContent = shown + " of " + index.length + " events";
      if (plotDiv && plotDiv.data && window.Plotly) {
        if (!original) original = plotDiv.data.map(function (t) {
          return { x: t.x.slice(), text: t.text.slice(), customdata: t.customdata.slice(), size: t.marker.size.slice(), symbol: t.marker.symbol.slice() };
        });
        var update = { x: [], y: [], text: [], customdata: [], "marker.size": [], "marker.symbol": [] };
        original.forEach(function (t, n) {
          var pick = t.customdata.map(function (k) { return keep[k]; });
          function only(list) { return list.filter(function (_v, i) { return pick[i]; }); }
          update.x.push(only(t.x)); update.text.push(only(t.text)); update.customdata.push(only(t.customdata));
          update["marker.size"].push(only(t.size)); update["marker.symbol"].push(only(t.symbol)); update.y.push(only(t.x).map(function () { return plotDiv.data[n].name; }));
        });
        window.Plotly.restyle(plotDiv, update);
        window.Plotly.relayout(plotDiv, dateRange([].concat.apply([], update.x)));
      }
    });
  }
})();
