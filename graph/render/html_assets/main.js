/* Wiring: what is selected, the goal, progress; the filters, the header's counts, the progress
 * buttons; and window.graphExplorer, a read-only hook for tests and benchmarks. */
(function (GP) {
  "use strict";

  const M = GP.model;
  const P = GP.studyplan;
  const data = M.data;
  const map = GP.map;
  const status = document.getElementById("status");
  const heading = document.getElementById("heading");
  const subtitle = document.getElementById("subtitle");
  const title = document.title; // the map's title (the heading is the plan's on a page made for a goal)
  const kindBoxes = Array.from(document.querySelectorAll("#kind-filter input"));
  const areaSelect = document.getElementById("area-filter");
  const mapArea = document.getElementById("map-area");
  map.setCovered(() => GP.panel.covers(mapArea));

  const state = {
    selected: null,
    target: data.target === null ? null : M.find(data.target),
    plan: null,
    next: [],
    numbers: new Map(),
    lit: null
  };

  GP.state = {
    selected: () => state.selected,
    target: () => state.target,
    plan: () => state.plan,
    next: () => state.next,
    stepNumber: (i) => state.numbers.get(i)
  };

  /** Say ``text`` in the status line; ``all`` (node numbers): every name, behind a disclosure. */
  function say(text, all) {
    status.textContent = text || "";
    if (all) {
      const more = document.createElement("details");
      more.append(GP.panel.el("summary", "All " + all.length), GP.panel.el("span", all.map(M.name).join(", ")));
      status.append(" ", more);
    }
  }

  function markedNumbers() {
    return GP.progress.marked().map(M.find).filter((i) => i !== undefined);
  }

  // ---- what is lit ----------------------------------------------------------------------

  /** The chain of node ``i``: what it needs and what needs it, over edges that order study; for a
   * resource, what it needs and the topics it teaches. */
  function chain(i) {
    const nodes = P.ancestors(i);
    nodes.add(i);
    const taught = [];
    if (M.nodes[i].kind === "resource") {
      M.succ[i].forEach((e) => { if (e.teaches) { nodes.add(e.to); taught.push(e.n); } });
    } else {
      P.descendants(i).forEach((n) => nodes.add(n));
    }
    return { nodes: nodes, edges: edgesWithin(nodes, taught) };
  }

  /** The edges among ``nodes``, but deepening ones (they are drawn outside the lit chain), and ``extra``. */
  function edgesWithin(nodes, extra) {
    const edges = new Set(extra);
    nodes.forEach((n) => M.succ[n].forEach((e) => { if (e.strength !== "deepening" && nodes.has(e.to)) edges.add(e.n); }));
    return edges;
  }

  function goalChain(t) {
    const nodes = P.ancestors(t);
    nodes.add(t);
    return { nodes: nodes, edges: edgesWithin(nodes, []) };
  }

  function paint() {
    const lit = state.selected !== null ? chain(state.selected) : state.target !== null ? goalChain(state.target) : null;
    state.lit = lit;
    map.light(lit && lit.nodes, lit && lit.edges);
  }

  // ---- progress and the goal --------------------------------------------------------------

  function replan() {
    const known = GP.progress.known();
    state.plan = state.target === null ? null : P.studyPlan(state.target, markedNumbers());
    state.numbers = new Map(state.plan ? state.plan.steps.map((s) => [s.node, s.number]) : []);
    state.next = P.nextSteps(known, state.target);
    map.mark(state.numbers, known);
    document.body.classList.toggle("with-plan", state.plan !== null); // on a phone the list's heading says it
    if (state.plan) {
      heading.textContent = "Study plan: " + M.name(state.target);
      document.title = "Study plan: " + M.name(state.target) + " \u2014 " + title;
    } else {
      heading.textContent = title;
      document.title = title;
    }
    counts();
    GP.studylist.render();
    GP.panel.show(state.selected);
  }

  function counts() {
    const parts = [];
    let plan = "";
    if (state.plan) {
      const t = state.plan.totals;
      plan = t.steps + (t.steps === 1 ? " step" : " steps") + " \u00b7 " +
        (t.noEstimates ? "no hour estimates" : GP.panel.hoursText(t.hours) + " left") + " \u00b7 ";
    }
    const nodes = M.drawn.length;
    const shownNodes = nodes - map.hidden.size;
    const edges = map.drawnEdgeCount();
    const shownEdges = map.hidden.size ? map.visibleEdgeCount() : edges;
    parts.push((shownNodes === nodes ? "" : shownNodes.toLocaleString("en-US") + " of ") + nodes.toLocaleString("en-US") + " nodes");
    parts.push((shownEdges === edges ? "" : shownEdges.toLocaleString("en-US") + " of ") + edges.toLocaleString("en-US") + " links");
    subtitle.replaceChildren(...(plan ? [GP.panel.el("span", plan, "plan-counts")] : []), parts.join(" \u00b7 "));
  }

  GP.progress.onChange((how) => {
    map.quietly(() => {
      replan();
      paint();
    });
    if (how.elsewhere) say("Progress changed in another tab of this map.");
    const problem = GP.progress.problem();
    if (problem) say(problem);
  });

  // ---- actions (the list, the panel, the search and the map call these) -------------------

  function select(i, options) {
    options = options || {};
    if (i === null || i === undefined) return clearSelection(options);
    if (!M.drawnSet.has(i)) {
      say("'" + M.id(i) + "' is not on this page's map.");
      return false;
    }
    GP.panel.hideTooltip();
    if (options.panel !== false) GP.panel.open("details", options.tap, options.over);
    if (options.fromMap && GP.panel.isSheet()) {
      // A tap (or click) on a phone's map brings the details up from the bottom: the map moves to the window's
      // top, and the node is drawn in the part the sheet leaves in sight.
      const top = mapArea.getBoundingClientRect().top;
      if (top > 0) window.scrollBy(0, top);
    }
    map.quietly(() => {
      if (map.hidden.has(i)) revealInFilters(i);
      state.selected = i;
      paint();
      map.select(i);
      // The lit chain as far as labels stay legible: a chain too wide for that is shown around i.
      if (options.focus !== false) map.view(Array.from(state.lit.nodes), true, true, false, i);
    });
    GP.panel.show(i);
    GP.studylist.markSelected(i);
    if (options.push !== false) GP.urlstate.push(state.selected, state.target);
    return true;
  }

  function clearSelection(options) {
    state.selected = null;
    const hadFocus = GP.panel.close("details");
    map.quietly(() => {
      paint();
      map.select(null);
    });
    GP.panel.show(null);
    GP.studylist.markSelected(null);
    // The details the focus was in are gone: the focus goes back to the map they came from.
    if (hadFocus) GP.keyboard.map().focus();
    if (!options || options.push !== false) GP.urlstate.push(state.selected, state.target);
    return true;
  }

  function setTarget(i, options) {
    options = options || {};
    const active = document.activeElement;
    // A button of the list or of the details that changes the plan redraws them: the focus moves to the new list's heading.
    const redrawn = active && (document.getElementById("study-body").contains(active) ||
                               document.getElementById("panel").contains(active));
    state.target = i === undefined ? null : i;
    state.selected = null;
    GP.panel.close("details");
    map.quietly(() => {
      replan();
      paint();
      map.select(null);
      if (options.view !== false) startView();
    });
    if (redrawn) GP.studylist.focusHeading();
    if (options.push !== false) GP.urlstate.push(state.selected, state.target);
  }

  /** What a list of nodes says in the status line: every name up to six, else six and how many more. */
  function names(list) {
    const shown = list.slice(0, 6).map(M.name);
    return list.length > 6 ? shown.join(", ") + " and " + (list.length - 6) + " more" : shown.join(", ");
  }

  function setKnown(i, on) {
    const before = new Set(GP.progress.known());
    GP.progress.setKnown(i, on);
    const after = GP.progress.known();
    const others = [];
    (on ? after : before).forEach((n) => {
      if (n !== i && (on ? !before.has(n) : !after.has(n))) others.push(n);
    });
    // In study order where there is a plan, else in file order: the order the list shows them.
    others.sort((a, b) => (state.numbers.get(a) || Infinity) - (state.numbers.get(b) || Infinity) || a - b);
    let text = M.name(i) + (on ? " marked known" : " marked not known") +
      (GP.progress.isKnown(i) === on ? "" : " (what it needs or what needs it decides)");
    if (others.length) {
      const count = others.length + (others.length === 1 ? " other" : " others");
      text += on ? ", and with it " + count + " it needs: " : ", and with it " + count + " no longer known: ";
      text += names(others);
    }
    say(text + ".", others.length > 6 ? others : null);
  }

  GP.actions = { select: select, setTarget: setTarget, setKnown: setKnown };

  // ---- the view -------------------------------------------------------------------------

  /** The first view: legible, on the selection's chain, the goal's plan (its first steps) or the fullest part of the map. */
  function startView() {
    if (state.selected !== null) map.view(Array.from(state.lit.nodes), true, false, false, state.selected);
    else if (state.plan && state.plan.steps.length) { // from its first step, at the left: where study starts
      const steps = state.plan.steps.map((s) => s.node);
      map.view(steps, true, false, true, steps.find((i) => M.drawnSet.has(i) && !map.hidden.has(i)));
    }
    else if (state.next.length) map.begin(state.next);  // what can be studied now, whole, at the left
    else map.view(null, true, false, false);
  }

  document.getElementById("fit").addEventListener("click", () => map.quietly(() => map.view(null, false, true)));

  // ---- filters --------------------------------------------------------------------------

  function areaShown(d) {
    const value = areaSelect.value;
    if (value === "all") return true;
    if (value === "none") return !d.area;
    return d.area === data.areas[Number(value)];
  }

  function applyFilters(refit) {
    const kinds = new Set();
    kindBoxes.forEach((box) => { if (box.checked) kinds.add(data.kinds[Number(box.value)]); });
    map.quietly(() => {
      map.filter((i) => !(kinds.has(M.nodes[i].kind) && areaShown(M.nodes[i])));
      if (refit !== false) map.view(null, false, false);
    });
    counts();
    if (state.selected !== null && map.hidden.has(state.selected)) clearSelection();
  }

  function revealInFilters(i) {
    const d = M.nodes[i];
    kindBoxes.forEach((box) => { if (data.kinds[Number(box.value)] === d.kind) box.checked = true; });
    if (!areaShown(d)) areaSelect.value = "all";
    applyFilters(false);
  }

  kindBoxes.forEach((box) => box.addEventListener("change", () => applyFilters()));
  areaSelect.addEventListener("change", () => applyFilters());

  // ---- the map's own events -------------------------------------------------------------

  const network = map.network;
  network.on("hoverNode", (params) => GP.panel.showTooltip(params.node, params.pointer.DOM));
  network.on("blurNode", GP.panel.hideTooltip);
  network.on("dragStart", GP.panel.hideTooltip);
  network.on("zoom", GP.panel.hideTooltip);
  network.on("click", (params) => {
    GP.panel.hideTooltip();
    if (params.nodes.length) {
      select(params.nodes[0], { focus: true, fromMap: true, over: "list",
                                tap: !!(params.event && params.event.pointerType === "touch") });
    }
    else if (state.selected !== null) clearSelection();
  });
  // Escape clears the selection; with nothing selected, it closes the panel the Legend button (or the layout's note)
  // opened, and the focus it held goes back to that button. The reset dialog keeps its own Escape, and the search
  // its first (it clears the box).
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.target.closest("dialog")) return;
    if (state.selected !== null) {
      clearSelection();
    } else if (GP.panel.isOpen()) {
      const inside = GP.panel.close();
      if (inside || document.activeElement === document.body) document.getElementById("legend-button").focus();
    }
  });

  // ---- progress buttons -----------------------------------------------------------------

  document.getElementById("export-progress").addEventListener("click", () => {
    const blob = new Blob([GP.progress.exportText()], { type: "text/yaml" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "progress.yaml";
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    const marked = GP.progress.marked();
    const here = marked.filter((id) => M.find(id) !== undefined).length;
    const kept = marked.length - here; // entries this map does not have, kept as an import gave them
    say("Exported " + here.toLocaleString("en-US") + " " + (here === 1 ? "id" : "ids") +
        (kept ? " (and " + kept.toLocaleString("en-US") + " this map does not have, kept as imported)" : "") +
        " to progress.yaml: use it with graph next --progress progress.yaml");
  });

  const INLINE = 3; // entries an import's status names in its sentence
  const QUOTED = 60; // characters of an imported entry the status quotes: a file may hold 10,000-character ids

  /** An entry of an imported file as the status quotes it: its first characters (``length`` says how many it has, when
   * it has more), control and direction characters written as escapes (a U+202E would turn the rest of the line around). */
  function quoted(text) {
    const chars = Array.from(text);
    const shown = chars.length > QUOTED ? chars.slice(0, QUOTED - 1).join("") + "\u2026" : text;
    const escaped = shown.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => ({ "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c] ||
      "\\u" + c.codePointAt(0).toString(16).padStart(4, "0"));
    return "'" + escaped + "'";
  }

  function length(text) {
    const n = Array.from(text).length;
    return n > QUOTED ? n.toLocaleString("en-US") + " characters" : "";
  }

  const importBox = document.getElementById("import-progress");
  importBox.addEventListener("change", () => {
    const file = importBox.files && importBox.files[0];
    if (!file) return;
    file.arrayBuffer().then((bytes) => {
      const found = GP.progress.importText(bytes);
      if (found.error) {
        say("Could not import " + file.name + ": " + found.error + ". Nothing changed.");
      } else {
        // As graph/marks.py warns: each entry with its line, and "did you mean" or the nodes it names.
        const entry = (u) => {
          const notes = [u.line ? "line " + u.line : "", length(u.entry), u.hint].filter(Boolean);
          return quoted(u.entry) + (notes.length ? " (" + notes.join("; ") + ")" : "");
        };
        // The first few in the sentence, the others named behind "The next N" (ten, each with a "did you mean", filled
        // a phone's screen above the list).
        const named = found.unknown.slice(0, GP.progress.named).map(entry);
        const inline = named.length <= INLINE + 1 ? named.length : INLINE;
        const more = (n) => (n > 0 ? " and " + n.toLocaleString("en-US") + " more" : "");
        const unknown = named.length ? "; not in this map, kept: " + named.slice(0, inline).join(", ") +
          more(found.unknown.length - inline) : "";
        say("Imported " + found.imported.toLocaleString("en-US") + " known " + (found.imported === 1 ? "id" : "ids") + " from " +
            file.name + unknown + ".");
        if (named.length > inline) {
          const next = document.createElement("details");
          next.append(GP.panel.el("summary", "The next " + (named.length - inline)),
            GP.panel.el("span", named.slice(inline).join(", ") + more(found.unknown.length - named.length) + "."));
          status.append(" ", next);
        }
      }
    }, () => say("Could not read " + file.name + ". Nothing changed.")).finally(() => { importBox.value = ""; });
  });

  const dialog = document.getElementById("reset-dialog");
  document.getElementById("reset-progress").addEventListener("click", () => dialog.showModal());
  document.getElementById("reset-cancel").addEventListener("click", () => dialog.close());
  document.getElementById("reset-confirm").addEventListener("click", () => {
    dialog.close();
    GP.progress.reset();
    say("Progress reset: nothing is marked known.");
  });

  // ---- start ----------------------------------------------------------------------------

  let first = true;
  GP.urlstate.follow((wanted) => {
    const unknown = wanted.unknown.map((u) => "no node with id '" + u[1] + "' (#" + u[0] + "=)");
    let target = wanted.target;
    if (target === null && first && !window.location.hash.match(/target=/)) target = state.target;
    if (target !== null && !M.drawnSet.has(target)) {
      unknown.push("'" + M.id(target) + "' is not on this page's map");
      target = state.target;
    }
    const node = wanted.node !== null && M.drawnSet.has(wanted.node) ? wanted.node : null;
    if (wanted.node !== null && node === null) unknown.push("'" + M.id(wanted.node) + "' is not on this page's map");
    say(unknown.length ? "This address names " + unknown.join(" and ") + "; showing the map instead." : "");
    if (first || target !== state.target) setTarget(target, { push: false, view: false });
    if (node !== state.selected || first) {
      if (node === null) clearSelection({ push: false });
      else select(node, { push: false, focus: !first });
    }
    if (first) {
      map.quietly(startView);
      map.start();
    }
    first = false;
  });
  if (GP.progress.problem()) say(GP.progress.problem());

  network.once("afterDrawing", () => {
    window.graphReadyAt = performance.now();
    window.graphReady = true;
    document.documentElement.setAttribute("data-ready", "true");
  });

  // ---- read-only hook for tests and benchmarks ------------------------------------------

  function num(id) {
    const i = M.find(id);
    return i === undefined ? null : i;
  }

  window.graphExplorer = Object.freeze({
    nodeCount: () => M.drawn.length,
    edgeCount: () => map.drawnEdgeCount(),
    visibleNodeCount: () => M.drawn.length - map.hidden.size,
    visibleEdgeCount: () => map.visibleEdgeCount(),
    select: (id, focus) => { const i = num(id); return i === null ? false : select(i, { focus: focus !== false }); },
    reset: () => clearSelection(),
    selected: () => (state.selected === null ? null : M.id(state.selected)),
    // Where the keyboard is: "map" when the map has the focus, else the focused element's id or tag.
    focused: () => GP.keyboard.focused(),
    panelOpen: () => GP.panel.isOpen(),
    target: () => (state.target === null ? null : M.id(state.target)),
    highlighted: () => (state.selected === null || !state.lit ? [] : Array.from(state.lit.nodes).map(M.id).sort()),
    lit: () => (state.lit ? Array.from(state.lit.nodes).map(M.id).sort() : []),
    known: () => Array.from(GP.progress.known()).map(M.id).sort(),
    marked: () => GP.progress.marked(),
    listOrder: () => GP.studylist.order(),
    next: () => state.next.map(M.id),
    // The plan the list would show for ``target`` knowing ``known`` (ids), as graph order's JSON names it.
    plan: (target, known) => {
      const t = num(target);
      if (t === null) return null;
      const p = P.studyPlan(t, (known || []).map(num).filter((i) => i !== null));
      const ids = (list) => list.map(M.id);
      return {
        steps: p.steps.map((s) => ({
          id: s.id, hours: s.hours, whole_hours: s.wholeHours, needed_for: ids(s.neededFor), deeper: ids(s.deeper),
          recommended: s.recommended,
          choices: s.choices.map((c) => ({ group: c.group, picked: M.id(c.picked), known: c.known,
                                           alternatives: ids(c.alternatives) }))
        })),
        skipped_known: ids(p.skipped), recommended_not_included: ids(p.recommended),
        deepening_not_included: ids(p.deepening), total_hours: p.totals.hours,
        steps_without_hours: p.totals.stepsWithoutHours
      };
    },
    nextFor: (known, target) => {
      const closed = P.knownClosure((known || []).map(num).filter((i) => i !== null));
      return P.nextSteps(closed, target === undefined || target === null ? null : num(target)).map(M.id);
    },
    storageKey: () => GP.progress.key,
    scale: () => network.getScale(),
    moving: () => map.moving(),
    labelPixels: () => network.getScale() * data.fontSize,
    nodesInView: () => {
      const frame = document.getElementById("map");
      const w = frame.clientWidth;
      const h = frame.clientHeight;
      return M.drawn.filter((i) => {
        if (map.hidden.has(i)) return false;
        const p = map.domPosition(i);
        return p.x >= 0 && p.y >= 0 && p.x <= w && p.y <= h;
      }).map(M.id);
    },
    domPosition: (id) => map.domPosition(num(id)),
    // The edges the last frame drew, as [from, to] ids: those that cross the view.
    edgesDrawn: () => map.edgesDrawn().map((pair) => pair.map(M.id)),
    canvasPosition: (id) => network.getPosition(num(id)),
    // A node's shape and label as drawn, in the map's pixels; an edge's bends (canvas points); the layout.
    nodeBox: (id) => map.nodeBox(num(id)),
    bends: (n) => map.bends(n),
    bendsBox: () => map.bendsBox(),
    layered: () => data.layered,
    legibleScale: () => map.legibleScale,
    label: (id) => map.label(num(id)),
    nodeOpacity: (id) => map.nodeOpacity(num(id)),
    edgeOpacity: (n) => map.edgeOpacity(n)
  });
  performance.mark("graph:main");
})(window.GraphPage = window.GraphPage || {});
