/* The map's behaviour: tooltip, chain highlight, side panel, search and filters.
 * Data reaches the page only through textContent and checked http(s) hrefs. */
(function () {
  "use strict";

  var DIM_NODE = 0.2;
  var DIM_EDGE = 0.1;
  var RESOURCES_IN_TOOLTIP = 4;
  var SEARCH_RESULTS = 10;

  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var container = document.getElementById("map");
  var detailsBox = document.getElementById("details");
  var hint = detailsBox.firstElementChild.cloneNode(true);
  var tooltip = document.getElementById("tooltip");
  var searchBox = document.getElementById("search");
  var resultsList = document.getElementById("search-results");
  var kindBoxes = Array.prototype.slice.call(document.querySelectorAll("#kind-filter input"));
  var areaSelect = document.getElementById("area-filter");

  var info = new Map();
  var inEdges = new Map();
  var outEdges = new Map();
  data.nodes.forEach(function (node, i) {
    info.set(node.id, data.info[i]);
    inEdges.set(node.id, []);
    outEdges.set(node.id, []);
  });
  data.edges.forEach(function (edge) {
    outEdges.get(edge.from).push(edge);
    inEdges.get(edge.to).push(edge);
  });

  var UNKNOWN_RELATION = {
    orders: false, alternative: false, dashes: false, width: 1,
    color: { color: "#888888", highlight: "#888888", hover: "#888888", inherit: false, opacity: 1 }
  };

  function relation(name) {
    if (Object.prototype.hasOwnProperty.call(data.relations, name)) return data.relations[name];
    return Object.assign({ phrase: String(name) }, UNKNOWN_RELATION);
  }

  // Edges of the default relation take their style from the global edge options,
  // so dimming all of them is one setOptions call; others carry their own colour.
  // An item's own opacity (undefined: follow the global one) is set only on the lit chain.
  function edgeLook(edge, opacity) {
    var look = { id: edge.id, color: {} };
    if (edge.relation !== data.defaultRelation) {
      var r = relation(edge.relation);
      look.color = { color: r.color.color, highlight: r.color.color, hover: r.color.color, inherit: false };
      look.dashes = r.dashes;
      look.width = r.width;
    }
    if (opacity !== undefined) look.color.opacity = opacity;
    return look;
  }

  var edgeById = new Map();
  data.edges.forEach(function (edge) { edgeById.set(edge.id, edge); });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges.map(function (edge) {
    return Object.assign({}, edge, edgeLook(edge));
  }));
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  network.once("afterDrawing", function () {
    window.graphReadyAt = performance.now();
    window.graphReady = true;
    document.documentElement.setAttribute("data-ready", "true");
  });
  network.fit({ animation: false });
  network.moveTo({ scale: network.getScale() * 0.96, animation: false });

  // ---- DOM helpers: text only -------------------------------------------------

  function el(tag, text, className) {
    var element = document.createElement(tag);
    if (text !== undefined && text !== null) element.textContent = String(text);
    if (className) element.className = className;
    return element;
  }

  function webUrl(value) {
    try {
      var url = new URL(String(value));
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function link(text, url) {
    var safe = webUrl(url);
    if (!safe) return el("span", text);
    var a = el("a", text);
    a.href = safe;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function hoursText(hours) {
    return (Math.round(hours * 10) / 10).toLocaleString("en-US") + " h";
  }

  function metaLine(d) {
    var parts = [d.kind];
    if (d.area) parts.push(d.area);
    if (typeof d.hours === "number") parts.push(hoursText(d.hours));
    if (d.format) parts.push(d.format);
    if (d.author) parts.push(d.author);
    if (d.free === true) parts.push("free");
    if (d.known) parts.push("\u2713 known");
    return parts.join(" \u00b7 ");
  }

  function title(d) {
    return (d.known ? "\u2713 " : "") + (d.step ? d.step + ". " : "") + d.name;
  }

  function teachers(id) {
    return inEdges.get(id).filter(function (e) { return relation(e.relation).alternative; })
      .map(function (e) { return e.from; })
      .sort(function (a, b) {
        var x = info.get(a), y = info.get(b);
        return (y.preferred === true) - (x.preferred === true) || (y.free === true) - (x.free === true);
      });
  }

  // ---- chain highlight ----------------------------------------------------------

  function reach(start, adjacency, end, found) {
    var stack = [start];
    while (stack.length) {
      var list = adjacency.get(stack.pop());
      for (var i = 0; i < list.length; i++) {
        var next = list[i][end];
        if (list[i].strength === "required" && !found.has(next)) {
          found.add(next);
          stack.push(next);
        }
      }
    }
    return found;
  }

  function chain(id) {
    var found = reach(id, inEdges, "from", new Set([id]));
    return reach(id, outEdges, "to", found);
  }

  var selected = null;
  var lit = null;
  var ownOpacity = new Map();
  var litEdges = new Set();
  var globalEdgeColor = data.options.edges.color;

  function paint() {
    var dim = lit !== null;
    network.setOptions({
      nodes: { opacity: dim ? DIM_NODE : 1 },
      edges: { color: Object.assign({}, globalEdgeColor, { opacity: dim ? DIM_EDGE : 1 }) }
    });
    var nodeUpdates = [];
    function want(id, opacity) {
      if (ownOpacity.get(id) !== opacity) {
        ownOpacity.set(id, opacity);
        nodeUpdates.push({ id: id, opacity: opacity });
      }
    }
    ownOpacity.forEach(function (opacity, id) { if (!dim || !lit.has(id)) want(id, dim ? DIM_NODE : 1); });
    var keep = new Set();
    if (dim) {
      lit.forEach(function (id) {
        want(id, 1);
        outEdges.get(id).forEach(function (edge) { if (lit.has(edge.to)) keep.add(edge.id); });
      });
    }
    var edgeUpdates = [];
    litEdges.forEach(function (id) { if (!keep.has(id)) edgeUpdates.push(edgeLook(edgeById.get(id))); });
    keep.forEach(function (id) { if (!litEdges.has(id)) edgeUpdates.push(edgeLook(edgeById.get(id), 1)); });
    litEdges = keep;
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
  }

  function select(id, focus) {
    if (!info.has(id)) return false;
    hideTooltip();
    if (hidden.has(id)) revealInFilters(id);
    selected = id;
    lit = chain(id);
    paint();
    network.selectNodes([id], false);
    showDetails(id);
    if (focus) {
      network.focus(id, {
        scale: Math.max(network.getScale(), 1),
        animation: { duration: 300, easingFunction: "easeInOutQuad" }
      });
    }
    return true;
  }

  function reset() {
    selected = null;
    lit = null;
    paint();
    network.unselectAll();
    detailsBox.replaceChildren(hint.cloneNode(true));
  }

  // ---- side panel -----------------------------------------------------------------

  function nodeButton(id) {
    var button = el("button", info.get(id).name, "node-link");
    button.type = "button";
    button.addEventListener("click", function () { select(id, true); });
    return button;
  }

  function resourceItem(id) {
    var d = info.get(id);
    var item = el("li");
    item.append(d.link ? link(d.name, d.link) : nodeButton(id));
    if (d.preferred === true) item.append(el("span", "\u2605 pick", "tag"));
    if (d.free === true) item.append(el("span", "free", "tag"));
    if (d.format) item.append(el("span", d.format, "tag"));
    if (typeof d.hours === "number") item.append(el("span", hoursText(d.hours), "tag"));
    if (d.link) {
      var more = nodeButton(id);
      more.textContent = " (details)";
      item.append(more);
    }
    return item;
  }

  function relatedItem(edge, other) {
    var item = el("li");
    item.append(nodeButton(other), el("span", " " + edge.relation, "rel"));
    if (edge.why) item.append(el("span", edge.why, "why"));
    return item;
  }

  function section(box, heading, items) {
    if (!items.length) return;
    var list = el("ul");
    items.forEach(function (item) { list.append(item); });
    box.append(el("h3", heading), list);
  }

  function showDetails(id) {
    var d = info.get(id);
    var box = document.createDocumentFragment();
    box.append(el("h2", title(d)), el("p", metaLine(d), "meta"));
    if (d.summary) box.append(el("p", d.summary));
    if (d.link) {
      var p = el("p");
      p.append(link("Open \u2197", d.link));
      box.append(p);
    } else if (d.rawUrl) {
      box.append(el("p", "Address (not a web link): " + d.rawUrl, "meta"));
    }
    if (d.aliases) box.append(el("p", "Also called: " + d.aliases.join(", "), "meta"));
    box.append(el("p", "id: " + id, "meta"));
    section(box, "Learn it from", teachers(id).map(resourceItem));
    var ins = inEdges.get(id).filter(function (e) { return !relation(e.relation).alternative; });
    var outs = outEdges.get(id);
    section(box, "Needs first", ins.map(function (e) { return relatedItem(e, e.from); }));
    section(box, "Teaches", outs.filter(function (e) { return relation(e.relation).alternative; })
      .map(function (e) { return relatedItem(e, e.to); }));
    section(box, "Opens up", outs.filter(function (e) { return !relation(e.relation).alternative; })
      .map(function (e) { return relatedItem(e, e.to); }));
    var up = reach(id, inEdges, "from", new Set()).size;
    var down = reach(id, outEdges, "to", new Set()).size;
    box.append(el("p", "Lit up: " + up + " needed before it, " + down + " built on it.", "meta"));
    detailsBox.replaceChildren(box);
  }

  // ---- tooltip --------------------------------------------------------------------

  function showTooltip(id, pointer) {
    var d = info.get(id);
    var box = document.createDocumentFragment();
    box.append(el("strong", title(d)), el("p", metaLine(d), "meta"));
    if (d.summary) box.append(el("p", d.summary.length > 300 ? d.summary.slice(0, 299) + "\u2026" : d.summary));
    var from = teachers(id);
    if (from.length) {
      box.append(el("p", "Learn it from:"));
      var list = el("ul");
      from.slice(0, RESOURCES_IN_TOOLTIP).forEach(function (r) {
        var rd = info.get(r);
        list.append(el("li", rd.name + (rd.free === true ? " (free)" : "")));
      });
      if (from.length > RESOURCES_IN_TOOLTIP) list.append(el("li", "and " + (from.length - RESOURCES_IN_TOOLTIP) + " more"));
      box.append(list);
    }
    tooltip.replaceChildren(box);
    tooltip.hidden = false;
    var frame = container.getBoundingClientRect();
    var x = frame.left + pointer.x + 16;
    var y = frame.top + pointer.y + 16;
    if (x + tooltip.offsetWidth > window.innerWidth - 4) x = Math.max(4, frame.left + pointer.x - tooltip.offsetWidth - 16);
    if (y + tooltip.offsetHeight > window.innerHeight - 4) y = Math.max(4, frame.top + pointer.y - tooltip.offsetHeight - 16);
    tooltip.style.left = x + "px";
    tooltip.style.top = y + "px";
  }

  function hideTooltip() {
    tooltip.hidden = true;
  }

  network.on("hoverNode", function (params) { showTooltip(params.node, params.pointer.DOM); });
  network.on("blurNode", hideTooltip);
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);
  network.on("click", function (params) {
    if (params.nodes.length) select(params.nodes[0], false);
    else reset();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && event.target !== searchBox) reset();
  });

  // ---- search ---------------------------------------------------------------------

  var haystacks = data.nodes.map(function (node, i) {
    var d = data.info[i];
    return [node.id, d.name].concat(d.aliases || []).map(function (s) { return String(s).toLowerCase(); });
  });
  var results = [];
  var active = 0;

  function find(query) {
    var q = query.trim().toLowerCase();
    if (!q) return [];
    var found = [];
    haystacks.forEach(function (labels, i) {
      var best = 3;
      labels.forEach(function (s) {
        if (s === q) best = 0;
        else if (best > 1 && s.indexOf(q) === 0) best = 1;
        else if (best > 2 && s.indexOf(q) >= 0) best = 2;
      });
      if (best < 3) found.push([best, i]);
    });
    found.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return found.slice(0, SEARCH_RESULTS).map(function (f) { return data.nodes[f[1]].id; });
  }

  function showResults() {
    resultsList.replaceChildren();
    results.forEach(function (id, i) {
      var item = el("li", info.get(id).name);
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", String(i === active));
      item.append(el("span", id, "id"));
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(id);
      });
      resultsList.append(item);
    });
    if (searchBox.value.trim() && !results.length) resultsList.append(el("li", "no match", "hint"));
    resultsList.hidden = !searchBox.value.trim();
  }

  function choose(id) {
    searchBox.value = info.get(id).name;
    results = [];
    resultsList.hidden = true;
    select(id, true);
  }

  searchBox.addEventListener("input", function () {
    results = find(searchBox.value);
    active = 0;
    showResults();
  });
  searchBox.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (results.length) active = (active + (event.key === "ArrowDown" ? 1 : results.length - 1)) % results.length;
      showResults();
    } else if (event.key === "Enter") {
      event.preventDefault();
      var picked = results.length ? results : find(searchBox.value);
      if (picked.length) choose(picked[Math.min(active, picked.length - 1)]);
    } else if (event.key === "Escape") {
      searchBox.value = "";
      results = [];
      resultsList.hidden = true;
    }
  });
  searchBox.addEventListener("blur", function () { resultsList.hidden = true; });

  // ---- filters --------------------------------------------------------------------

  var hidden = new Set();

  function areaShown(d) {
    var value = areaSelect.value;
    if (value === "all") return true;
    if (value === "none") return !d.area;
    return d.area === data.areas[Number(value)];
  }

  function applyFilters() {
    var kinds = new Set();
    kindBoxes.forEach(function (box) { if (box.checked) kinds.add(data.kinds[Number(box.value)]); });
    var updates = [];
    data.nodes.forEach(function (node, i) {
      var d = data.info[i];
      var hide = !(kinds.has(d.kind) && areaShown(d));
      if (hide !== hidden.has(node.id)) {
        if (hide) hidden.add(node.id);
        else hidden.delete(node.id);
        updates.push({ id: node.id, hidden: hide });
      }
    });
    if (updates.length) nodes.update(updates);
    if (selected !== null && hidden.has(selected)) reset();
  }

  function revealInFilters(id) {
    var d = info.get(id);
    kindBoxes.forEach(function (box) { if (data.kinds[Number(box.value)] === d.kind) box.checked = true; });
    if (!areaShown(d)) areaSelect.value = "all";
    applyFilters();
  }

  kindBoxes.forEach(function (box) { box.addEventListener("change", applyFilters); });
  areaSelect.addEventListener("change", applyFilters);

  // ---- read-only hook for tests and benchmarks ------------------------------------

  window.graphExplorer = Object.freeze({
    nodeCount: function () { return nodes.length; },
    edgeCount: function () { return edges.length; },
    visibleNodeCount: function () { return nodes.length - hidden.size; },
    select: function (id, focus) { return select(String(id), focus !== false); },
    reset: reset,
    selected: function () { return selected; },
    highlighted: function () { return lit ? Array.from(lit).sort() : []; },
    domPosition: function (id) { return network.canvasToDOM(network.getPosition(id)); },
    // What vis-network will draw (its item options fall back to the global ones).
    nodeOpacity: function (id) { return network.body.nodes[id].options.opacity; },
    edgeOpacity: function (id) { return network.body.edges[id].options.color.opacity; }
  });
})();
