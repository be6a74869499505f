/* The map: the vis-network drawing of the drawn nodes at the positions computed in Python.
 *
 * vis-network redraws the whole network synchronously on every DataSet.update and setOptions
 * (physics is off, so each "startSimulation" is a "_redraw"). So the page never dims through
 * them: the lit chain is drawn by setting the opacity that vis-network reads at each draw, and
 * everything one action changes happens with redraws blocked, followed by a single redraw. */
(function (GP) {
  "use strict";

  const M = GP.model;
  const data = M.data;
  const DIM_NODE = 0.2;
  const DIM_EDGE = 0.1;
  const LABEL_CHARS = 48;
  const LEGIBLE = 11 / data.fontSize; // the scale at which labels are 11 px high
  // Below labels 6 px high nothing can be read: a start-now list that is whole only below it is shown from its
  // top, legible (the study list beside the map names every one).
  const READABLE = 6 / data.fontSize;
  const MAX_SCALE = 1.5;
  const WHOLE_SCALE = 1; // the most a view that shows all its nodes (Fit) zooms in
  const MARGIN_X = 110; // half a label's width, in canvas units, kept inside a fitted view
  const MARGIN_Y = 80; // a label below its node: up to three lines
  const MEASURE_UP_TO = 3000; // drawn nodes whose label boxes a view measures
  const PAD = 8; // px kept free round a fitted view
  const ENOUGH = 12; // nodes the first view shows with what can be studied now, or it shows the fullest part
  const ANIMATE_UP_TO = 1500; // drawn nodes; above, the view jumps: each animation frame is a full redraw
  const ANIMATION_MS = 300;

  const container = document.getElementById("map");
  const drawn = M.drawn;
  const drawnSet = M.drawnSet;
  const position = new Map();
  drawn.forEach((i, k) => position.set(i, data.positions[k]));

  function shortName(i) {
    const name = M.name(i);
    return name.length <= LABEL_CHARS ? name : name.slice(0, LABEL_CHARS - 1).trimEnd() + "\u2026";
  }

  // What each drawn node shows now (label, group), kept to update only what changes.
  const shown = new Map();
  const nodeItems = drawn.map((i) => {
    const item = { id: i, label: shortName(i), group: data.groups[i], x: position.get(i)[0], y: position.get(i)[1] };
    shown.set(i, { label: item.label, group: item.group });
    return item;
  });
  const edgeItems = [];
  drawn.forEach((i) => {
    M.succ[i].forEach((e) => {
      if (!drawnSet.has(e.to)) return;
      const item = { id: e.n, from: e.from, to: e.to };
      if (!e.look.default) {
        const c = e.look.color.color;
        item.color = { color: c, highlight: c, hover: c, inherit: false };
        item.dashes = e.look.dashes;
        item.width = e.look.width;
        item.arrows = { to: { type: e.look.arrow } };
      }
      edgeItems.push(item);
    });
  });
  const drawnEdges = edgeItems.map((item) => M.edges[item.id]);

  // Edges drawn through bends (the layout's virtual nodes): edge number -> [[x, y], ...] and their box.
  const bends = new Map();
  const bendBox = new Map();
  (data.bends || []).forEach((row) => {
    const points = [];
    for (let k = 1; k + 1 < row.length; k += 2) points.push({ x: row[k], y: row[k + 1] });
    bends.set(row[0], points);
    bendBox.set(row[0], {
      x0: Math.min(...points.map((p) => p.x)), x1: Math.max(...points.map((p) => p.x)),
      y0: Math.min(...points.map((p) => p.y)), y1: Math.max(...points.map((p) => p.y))
    });
  });
  // "teaches" edges are drawn only while the resource or the topic it teaches is selected or hovered.
  const teaching = new Set(drawnEdges.filter((e) => e.teaches).map((e) => e.n));
  let teachFocus = { selected: null, hovered: null };

  const nodes = new vis.DataSet(nodeItems);
  const edges = new vis.DataSet(edgeItems);
  const network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  const emitter = network.body.emitter;
  // Arrowheads cost half of a large map's frame; below this scale they are under 2 px: not drawn.
  const ARROW_SCALE = 0.25;
  const arrows = network.edgesHandler.options.arrows.to;
  const visNodes = network.body.nodes;
  const visEdges = network.body.edges;

  // vis-network culls the nodes outside the view but draws every edge and arrowhead at every frame:
  // zoomed in on a large map, nearly all of a frame. For the frame, its list of edges holds only those
  // whose box meets the view (a straight edge, or the horizontal cubic Bezier the page draws, lies
  // inside the box of its ends); the full list is back after the frame.
  const body = network.body;
  const CULL_MARGIN = 20; // px, as vis-network's own node culling
  let fullEdgeIndices = null;
  let lastDrawnEdges = [];
  /** Draw edge ``e`` (a vis-network edge) as a polyline through ``points``: its line, dashes and arrowhead are
   * vis-network's own, the arrowhead pointing along the last segment. */
  function bend(e, points) {
    const type = e.edgeType;
    if (type.bentThrough === points) return;
    const last = points[points.length - 1];
    type.bentThrough = points;
    type._line = function (ctx, values) {
      ctx.beginPath();
      ctx.moveTo(this.fromPoint.x, this.fromPoint.y);
      points.forEach((p) => ctx.lineTo(p.x, p.y));
      ctx.lineTo(this.toPoint.x, this.toPoint.y);
      this.enableShadow(ctx, values);
      ctx.stroke();
      this.disableShadow(ctx, values);
    };
    const arrowData = Object.getPrototypeOf(type).getArrowData;
    type.getArrowData = function (ctx, position, via, selected, hover, values) {
      const from = this.from;
      this.from = { x: last.x, y: last.y, id: from.id };
      try {
        return arrowData.call(this, ctx, position, via, selected, hover, values);
      } finally {
        this.from = from;
      }
    };
  }

  function teachesShown(n) {
    const e = M.edges[n];
    const f = teachFocus;
    return f.selected === e.from || f.selected === e.to || f.hovered === e.from || f.hovered === e.to;
  }

  network.on("beforeDrawing", () => {
    arrows.enabled = network.getScale() >= ARROW_SCALE;
    const frame = network.canvas.frame.canvas;
    const a = network.DOMtoCanvas({ x: -CULL_MARGIN, y: -CULL_MARGIN });
    const b = network.DOMtoCanvas({ x: frame.clientWidth + CULL_MARGIN, y: frame.clientHeight + CULL_MARGIN });
    fullEdgeIndices = body.edgeIndices;
    const inView = [];
    for (let k = 0; k < fullEdgeIndices.length; k++) {
      const n = fullEdgeIndices[k];
      if (teaching.has(n) && !teachesShown(n)) continue;
      const e = visEdges[n];
      const f = e.from, t = e.to;
      if (f === undefined || t === undefined) { inView.push(n); continue; }
      let x0 = Math.min(f.x, t.x), x1 = Math.max(f.x, t.x), y0 = Math.min(f.y, t.y), y1 = Math.max(f.y, t.y);
      const extra = bendBox.get(n);
      if (extra !== undefined) {
        bend(e, bends.get(n));
        x0 = Math.min(x0, extra.x0); x1 = Math.max(x1, extra.x1); y0 = Math.min(y0, extra.y0); y1 = Math.max(y1, extra.y1);
      }
      if (x1 >= a.x && x0 <= b.x && y1 >= a.y && y0 <= b.y) inView.push(n);
    }
    body.edgeIndices = inView;
    lastDrawnEdges = inView;
  });
  network.on("afterDrawing", () => {
    if (fullEdgeIndices !== null) body.edgeIndices = fullEdgeIndices;
    fullEdgeIndices = null;
  });

  // Nothing is drawn before the page has chosen its first view (the browser may paint between scripts).
  let started = false;
  emitter.emit("_blockRedraw");

  /** Let vis-network take the map's current size now: it notices a resize by itself only up to a second
   * later, and then scales the view by the change (a panel opened beside the map made labels 7 px). */
  function syncSize() {
    network.setSize();
  }

  // Part of the map may be hidden by the details panel (over its right side on narrower screens, a bottom sheet
  // on a phone). A view then fits the part left in sight, when that part is big enough to show something. The
  // page says what is hidden (setCovered: px at its right and bottom edges); the map knows nothing of the panel.
  const MIN_SEEN_WIDTH = 240, MIN_SEEN_HEIGHT = 160;
  let covered = () => null;

  /** The size a view has to fill, and how far (px) its centre lies right of and below the map's middle. */
  function viewFrame() {
    const full = { width: container.clientWidth || 1, height: container.clientHeight || 1 };
    const c = covered() || {};
    const edge = (n, most) => Math.max(0, Math.min(most, n || 0));
    let right = edge(c.right, full.width), bottom = edge(c.bottom, full.height);
    if (full.width - right < MIN_SEEN_WIDTH) right = 0;
    if (full.height - bottom < MIN_SEEN_HEIGHT) bottom = 0;
    return { width: full.width - right, height: full.height - bottom, dx: right / 2, dy: bottom / 2 };
  }

  /** Run ``change`` with vis-network's redraws blocked, then draw once, on the next frame. */
  function quietly(change) {
    emitter.emit("_blockRedraw");
    try {
      change();
    } finally {
      if (started) emitter.emit("_allowRedraw");
    }
    emitter.emit("_requestRedraw");
  }

  /** Allow drawing: the first view is set. */
  function start() {
    started = true;
    emitter.emit("_allowRedraw");
    emitter.emit("_requestRedraw");
  }

  // ---- the lit chain --------------------------------------------------------------------

  /** Light ``litNodes`` and ``litEdges`` (sets of numbers), dim the rest; ``null``: nothing dimmed.
   * Sets each drawn item's opacity where vis-network reads it at every draw: a few
   * milliseconds at 20,000 nodes, where a DataSet update costs a redraw and option parsing. */
  function light(litNodes, litEdges) {
    const dim = litNodes !== null;
    drawn.forEach((i) => { visNodes[i].options.opacity = !dim || litNodes.has(i) ? 1 : DIM_NODE; });
    drawnEdges.forEach((e) => { visEdges[e.n].options.color.opacity = !dim || litEdges.has(e.n) ? 1 : DIM_EDGE; });
  }

  // ---- labels and known style -----------------------------------------------------------

  /** Number the plan's steps (``numbers``: node -> step) and draw ``known`` nodes as done. */
  function mark(numbers, known) {
    const updates = [];
    drawn.forEach((i) => {
      let label = shortName(i);
      if (numbers.has(i)) label = numbers.get(i) + ". " + label;
      const done = known.has(i);
      if (done) label = "\u2713 " + label;
      const group = data.groups[i] + (done ? "d" : "");
      const now = shown.get(i);
      if (now.label !== label || now.group !== group) {
        updates.push({ id: i, label: label, group: group });
        shown.set(i, { label: label, group: group });
      }
    });
    if (updates.length) nodes.update(updates);
  }

  // ---- filters --------------------------------------------------------------------------

  const hidden = new Set();

  /** Hide the drawn nodes for which ``hide(i)`` is true. */
  function filter(hide) {
    const updates = [];
    drawn.forEach((i) => {
      const h = hide(i);
      if (h !== hidden.has(i)) {
        if (h) hidden.add(i);
        else hidden.delete(i);
        updates.push({ id: i, hidden: h });
      }
    });
    if (updates.length) nodes.update(updates);
  }

  // ---- the view -------------------------------------------------------------------------

  let lastView = { nodes: null, legible: true };
  let movingUntil = 0;
  let animating = false;
  network.on("animationFinished", () => { animating = false; });

  // vis-network places a label's box when it draws it: before the first frame a node's box is its shape
  // (the first view is made again after the first frame, see below).
  function measure() {
    emitter.emit("_resizeNodes");
  }

  /** The canvas box that holds ``list`` whole: each node's shape and label as vis-network measures them
   * (up to MEASURE_UP_TO nodes; above, the node centres with margins of half a label), plus a margin. */
  function box(list) {
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    if (drawn.length <= MEASURE_UP_TO) {
      measure(list);
      list.forEach((i) => {
        const p = position.get(i);
        let b = visNodes[i].shape.boundingBox;
        // A label never drawn keeps a box at the origin: then half a label's width round the node instead.
        if (Math.abs((b.left + b.right) / 2 - p[0]) > 1 || b.top > p[1] || b.bottom < p[1] || b.bottom - b.top > 400) {
          b = { left: p[0] - MARGIN_X, right: p[0] + MARGIN_X, top: p[1] - MARGIN_Y, bottom: p[1] + MARGIN_Y };
        }
        if (b.left < x0) x0 = b.left;
        if (b.right > x1) x1 = b.right;
        if (b.top < y0) y0 = b.top;
        if (b.bottom > y1) y1 = b.bottom;
      });
      return { x0: x0, x1: x1, y0: y0, y1: y1 };
    }
    list.forEach((i) => {
      const p = position.get(i);
      if (p[0] < x0) x0 = p[0];
      if (p[0] > x1) x1 = p[0];
      if (p[1] < y0) y0 = p[1];
      if (p[1] > y1) y1 = p[1];
    });
    return { x0: x0 - MARGIN_X, x1: x1 + MARGIN_X, y0: y0 - MARGIN_Y, y1: y1 + MARGIN_Y };
  }

  function visibleOf(list) {
    return list.filter((i) => drawnSet.has(i) && !hidden.has(i));
  }

  /** Widen box ``b`` (of the whole map) to the bends of the edges drawn between its visible nodes. */
  function withBends(b) {
    bendBox.forEach((extra, n) => {
      const e = M.edges[n];
      if (hidden.has(e.from) || hidden.has(e.to) || !drawnSet.has(e.from) || !drawnSet.has(e.to)) return;
      if (extra.x0 < b.x0) b.x0 = extra.x0;
      if (extra.x1 > b.x1) b.x1 = extra.x1;
      if (extra.y0 < b.y0) b.y0 = extra.y0;
      if (extra.y1 > b.y1) b.y1 = extra.y1;
    });
  }

  /** Show ``list`` (drawn node numbers; default: every visible node). ``legible``: never below the
   * scale where labels can be read; when all of them do not fit so, show ``focus`` (a node number)
   * amid them if given, else their start (the left, where study starts) with ``start``, else their
   * fullest part. Returns the scale. */
  function view(list, legible, animate, start, focus) {
    lastView = { nodes: list, legible: legible, start: start, focus: focus };
    syncSize();
    let shownNodes = visibleOf(list || drawn);
    if (!shownNodes.length) shownNodes = visibleOf(drawn);
    if (!shownNodes.length) return network.getScale();
    const frame = viewFrame();
    const width = frame.width;
    const height = frame.height;
    size = container.clientWidth + "x" + container.clientHeight;
    const b = box(shownNodes);
    if (!list) withBends(b);
    const fits = Math.min(Math.max(1, width - 2 * PAD) / Math.max(1, b.x1 - b.x0),
                          Math.max(1, height - 2 * PAD) / Math.max(1, b.y1 - b.y0));
    let scale = Math.min(fits, legible ? MAX_SCALE : WHOLE_SCALE);
    let x = (b.x0 + b.x1) / 2;
    let y = (b.y0 + b.y1) / 2;
    if (legible && scale < LEGIBLE) {
      scale = LEGIBLE;
      const seen = focus !== undefined && focus !== null && drawnSet.has(focus) && !hidden.has(focus);
      const spot = seen ? around(focus, b, width / scale, height / scale)
        : start ? leftEdge(shownNodes, b, width / scale) : densest(shownNodes, b, width / scale, height / scale);
      x = spot.x;
      y = spot.y;
    }
    const moving = animate && drawn.length <= ANIMATE_UP_TO;
    // The view moves until vis-network reports the animation finished (its pace is per frame, slower on a
    // busy machine), and at least its duration (a newer move cancels an older one).
    animating = moving;
    movingUntil = moving ? performance.now() + ANIMATION_MS + 50 : 0;
    network.moveTo({
      position: { x: x + frame.dx / scale, y: y + frame.dy / scale }, scale: scale,
      animation: moving ? { duration: ANIMATION_MS, easingFunction: "easeInOutQuad" } : false
    });
    return scale;
  }

  /** The first view: ``list`` (what can be studied now) whole, at the left of the view, at the scale where
   * labels are legible (smaller only if they do not fit so, and never unreadably: then from its top,
   * legible), with what follows them to the right. */
  function begin(list) {
    lastView = { nodes: list, begin: true };
    syncSize();
    const shownNodes = visibleOf(list);
    if (!shownNodes.length) return view(null, true, false, false);
    const frame = viewFrame();
    const width = frame.width;
    const height = frame.height;
    size = container.clientWidth + "x" + container.clientHeight; // the size this view was made for: a later one refits
    const b = box(shownNodes);
    const fits = Math.min(Math.max(1, width - 2 * PAD) / Math.max(1, b.x1 - b.x0),
                          Math.max(1, height - 2 * PAD) / Math.max(1, b.y1 - b.y0));
    const fromTop = fits < READABLE;
    const scale = fromTop ? LEGIBLE : Math.min(fits, LEGIBLE);
    const x = b.x0 - PAD / scale + width / 2 / scale;
    // Rows: as near the middle of what the view's columns hold as keeps the list whole (or from its top).
    const half = height / 2 / scale, pad = PAD / scale;
    const around = visibleOf(drawn).filter((i) => Math.abs(position.get(i)[0] - x) <= width / 2 / scale);
    const want = around.length ? middle(around.map((i) => position.get(i)[1])) : (b.y0 + b.y1) / 2;
    const lo = b.y1 - half + pad, hi = b.y0 + half - pad;
    const y = fromTop ? hi : lo > hi ? (b.y0 + b.y1) / 2 : Math.min(Math.max(want, lo), hi);
    // A list that stands alone, with little of the map around it, gives way to the map's fullest part.
    const seen = visibleOf(drawn).filter((i) => {
      const p = position.get(i);
      return Math.abs(p[0] - x) <= width / 2 / scale && Math.abs(p[1] - y) <= half;
    }).length;
    if (seen < Math.min(ENOUGH, visibleOf(drawn).length)) {
      const scaled = view(null, true, false, false);
      lastView.begin = false;
      return scaled;
    }
    animating = false;
    movingUntil = 0;
    network.moveTo({ position: { x: x + frame.dx / scale, y: y + frame.dy / scale }, scale: scale, animation: false });
    return scale;
  }

  function refit() {
    if (lastView.begin) { begin(lastView.nodes); return; } view(lastView.nodes, lastView.legible, false, lastView.start, lastView.focus); }

  /** Where a view ``w`` by ``h`` shows node ``i`` with as much of the box ``b`` around it as fits. */
  function around(i, b, w, h) {
    const p = position.get(i);
    const clamp = (v, lo, hi) => (lo > hi ? (lo + hi) / 2 : Math.min(Math.max(v, lo), hi));
    return { x: clamp(p[0], b.x0 + w / 2, b.x1 - w / 2), y: clamp(p[1], b.y0 + h / 2, b.y1 - h / 2) };
  }

  function middle(values) {
    const sorted = values.slice().sort((p, q) => p - q);
    return sorted[Math.floor(sorted.length / 2)];
  }

  /** Where a view ``w`` wide shows the start of ``list``: its left edge, rows centred on what is in view. */
  function leftEdge(list, b, w) {
    const first = list.filter((i) => position.get(i)[0] <= b.x0 + w - MARGIN_X);
    return { x: b.x0 + w / 2, y: first.length ? middle(first.map((i) => position.get(i)[1])) : (b.y0 + b.y1) / 2 };
  }

  /** Where a view ``w`` by ``h`` shows the most of ``list``: the fullest band of columns (the leftmost of
   * equals), rows centred on it. Linear in the nodes for each of at most 40 bands. */
  function densest(list, b, w, h) {
    const steps = Math.max(1, Math.min(40, Math.ceil((b.x1 - b.x0 - w) / (w / 4))));
    let best = null;
    for (let k = 0; k <= steps; k++) {
      const left = b.x0 + (b.x1 - b.x0 - w) * k / steps;
      const inBand = list.filter((i) => { const x = position.get(i)[0]; return x >= left && x <= left + w; });
      if (!inBand.length) continue;
      const cy = middle(inBand.map((i) => position.get(i)[1]));
      const count = inBand.reduce((n, i) => n + (Math.abs(position.get(i)[1] - cy) <= h / 2 ? 1 : 0), 0);
      if (best === null || count > best.count) best = { count: count, x: left + w / 2, y: cy };
    }
    return best || { x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 };
  }

  // The first frame places every label in view: the first view is made again with their true boxes.
  network.once("afterDrawing", () => {
    if (lastView.begin) {
      begin(lastView.nodes);
      emitter.emit("_requestRedraw");
    }
  });

  network.on("hoverNode", (params) => {
    teachFocus = { selected: teachFocus.selected, hovered: params.node };
    emitter.emit("_requestRedraw");
  });
  network.on("blurNode", () => {
    teachFocus = { selected: teachFocus.selected, hovered: null };
    emitter.emit("_requestRedraw");
  });

  let size = null;
  new ResizeObserver(() => {
    const now = container.clientWidth + "x" + container.clientHeight;
    if (size === null || now === size) return;
    quietly(() => {
      refit();
    });
  }).observe(container);

  GP.map = {
    network: network,
    nodes: nodes,
    edges: edges,
    quietly: quietly,
    start: start,
    light: light,
    mark: mark,
    filter: filter,
    view: view,
    begin: begin,
    refit: refit,
    /** ``how``: () => { right, bottom } (or null): how many px of the map are hidden at those edges. */
    setCovered: function (how) { covered = how; },
    hidden: hidden,
    legibleScale: LEGIBLE,
    moving: function () { return animating || performance.now() < movingUntil; },
    drawnEdgeCount: function () { return drawnEdges.length; },
    visibleEdgeCount: function () {
      return drawnEdges.reduce((n, e) => n + (hidden.has(e.from) || hidden.has(e.to) ? 0 : 1), 0);
    },
    select: function (i) {
      teachFocus = { selected: i !== null && drawnSet.has(i) ? i : null, hovered: teachFocus.hovered };
      if (i !== null && drawnSet.has(i)) network.selectNodes([i], false);
      else network.unselectAll();
    },
    /** A node's shape and label as drawn, in the map's DOM pixels: { left, top, right, bottom }. */
    nodeBox: function (i) {
      measure([i]);
      const b = visNodes[i].shape.boundingBox;
      const a = network.canvasToDOM({ x: b.left, y: b.top });
      const c = network.canvasToDOM({ x: b.right, y: b.bottom });
      return { left: a.x, top: a.y, right: c.x, bottom: c.y };
    },
    bends: function (n) { return (bends.get(n) || []).map((p) => [p.x, p.y]); },
    /** The box of every bend of the edges between visible nodes, in the map's DOM pixels (null: none). */
    bendsBox: function () {
      const b = { x0: Infinity, x1: -Infinity, y0: Infinity, y1: -Infinity };
      withBends(b);
      if (b.x0 === Infinity) return null;
      const a = network.canvasToDOM({ x: b.x0, y: b.y0 });
      const c = network.canvasToDOM({ x: b.x1, y: b.y1 });
      return { left: a.x, top: a.y, right: c.x, bottom: c.y };
    },
    domPosition: function (i) { return network.canvasToDOM(network.getPosition(i)); },
    edgesDrawn: function () { return lastDrawnEdges.map((n) => [visEdges[n].fromId, visEdges[n].toId]); },
    nodeOpacity: function (i) { return visNodes[i].options.opacity; },
    edgeOpacity: function (n) { return visEdges[n].options.color.opacity; },
    label: function (i) { return shown.get(i).label; }
  };
  performance.mark("graph:map");
})(window.GraphPage = window.GraphPage || {});
