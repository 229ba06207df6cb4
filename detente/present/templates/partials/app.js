/* detente pages: show one section at a time, filter the timeline and the networks (figures are inline SVG).
   Everything here is optional: without JavaScript every section is shown and every link still works. */
(function () {
  "use strict";
  var body = document.body;
  document.documentElement.classList.add("has-js");
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.page"));
  if (sections.length > 1) body.classList.add("js");

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

  /* Timeline filters: by actor, type and status, over the listed entries' index embedded as JSON.
     A plot mark that stands for one entry follows it; a mark for a week's events follows the type and status. */
  var form = document.querySelector("form[data-filter=timeline]");
  var indexNode = document.getElementById("timeline-data");
  if (form && indexNode) {
    var index = JSON.parse(indexNode.textContent);
    form.hidden = false;
    form.addEventListener("change", function () {
      var actor = form.elements.actor.value, type = form.elements.type.value, status = form.elements.status.value;
      var keep = {}, shown = 0;
      index.forEach(function (entry) {
        var ok = (!type || entry.type === type) && (!status || entry.status === status) && (!actor || entry.actors.indexOf(actor) >= 0);
        keep[entry.key] = ok;
        var li = document.getElementById(entry.key);
        if (li) li.hidden = !ok;
        if (ok) shown += 1;
      });
      document.querySelectorAll("li.tl-week").forEach(function (week) {
        var keys = (week.getAttribute("data-keys") || "").split(" ");
        week.hidden = !keys.some(function (k) { return keep[k]; });
      });
      form.querySelector(".count").textContent = shown + " of " + index.length + " listed events";
      document.querySelectorAll("#plot-timeline .mark").forEach(function (mark) {
        var key = mark.getAttribute("data-key");
        var markType = mark.getAttribute("data-type") || mark.parentNode.getAttribute("data-type");
        var ok = key ? keep[key] : (!type || markType === type) && (!status || (mark.getAttribute("data-status") || "").split(" ").indexOf(status) >= 0);
        mark.style.display = ok ? "" : "none";
      });
    });
  }

  /* Network filters: each status kind of link shown or hidden. */
  document.querySelectorAll("form[data-filter=network]").forEach(function (net) {
    net.hidden = false;
    net.addEventListener("change", function () {
      var box = document.getElementById(net.getAttribute("data-for"));
      if (!box) return;
      Array.prototype.forEach.call(net.querySelectorAll("input[type=checkbox]"), function (input) {
        box.classList.toggle("hide-" + input.value, !input.checked);
      });
    });
  });
})();
