/* The page from the keyboard: the map is one named, focusable control whose arrow keys walk the
 * graph (Left to what the selected node needs, Right to what it opens up, Up and Down through its
 * column, Enter to its details, Escape to clear), each step said in a live region; and the skip links. */
(function (GP) {
  "use strict";

  const M = GP.model;
  const map = GP.map;
  const network = map.network;
  const container = document.getElementById("map");
  const said = document.getElementById("map-said");
  const frame = container.querySelector(".vis-network") || container;
  const SAME_COLUMN = 1; // canvas units: nodes this close in x share a column

  // vis-network's own frame takes the focus; it becomes the map's one control, named for what it does.
  frame.tabIndex = 0;
  frame.setAttribute("role", "application");
  frame.setAttribute("aria-label", "Map of the graph");
  frame.setAttribute("aria-describedby", "map-help");
  frame.querySelectorAll("canvas").forEach((canvas) => canvas.setAttribute("aria-hidden", "true"));

  // The way back: after Left from a to b, Right from b returns to a (and the reverse).
  const cameFrom = { left: new Map(), right: new Map() };

  function shown(i) { return M.drawnSet.has(i) && !map.hidden.has(i); }

  function at(i) { return network.getPosition(i); }

  /** Of ``list``, the node nearest to ``i`` on the canvas, vertical distance first. */
  function nearest(i, list) {
    const p = at(i);
    let best = null, key = null;
    list.forEach((n) => {
      const q = at(n);
      const k = [Math.abs(q.y - p.y), Math.abs(q.x - p.x), n];
      if (key === null || k[0] < key[0] || (k[0] === key[0] && (k[1] < key[1] || (k[1] === key[1] && k[2] < key[2])))) {
        best = n;
        key = k;
      }
    });
    return best;
  }

  function neighbours(i, side) {
    const edges = side === "left" ? M.pred[i] : M.succ[i];
    const found = new Set();
    edges.forEach((e) => {
      const other = side === "left" ? e.from : e.to;
      if (other !== i && shown(other)) found.add(other);
    });
    return Array.from(found);
  }

  /** The shown nodes of ``i``'s column, top to bottom. */
  function column(i) {
    const x = at(i).x;
    const found = M.drawn.filter((n) => shown(n) && Math.abs(at(n).x - x) < SAME_COLUMN);
    const y = new Map(found.map((n) => [n, at(n).y]));
    return found.sort((a, b) => y.get(a) - y.get(b) || a - b);
  }

  /** Where a walk starts with nothing selected: the plan's first step in view, else the node in view
   * furthest left (top first), else the first shown node. */
  function start() {
    const w = container.clientWidth, h = container.clientHeight;
    const inView = M.drawn.filter((n) => {
      if (!shown(n)) return false;
      const p = map.domPosition(n);
      return p.x >= 0 && p.y >= 0 && p.x <= w && p.y <= h;
    });
    const plan = GP.state.plan();
    if (plan) {
      const seen = new Set(inView);
      const step = plan.steps.find((s) => seen.has(s.node)) || plan.steps.find((s) => shown(s.node));
      if (step) return step.node;
    }
    const pool = inView.length ? inView : M.drawn.filter(shown);
    let best = null;
    pool.forEach((n) => {
      if (best === null) { best = n; return; }
      const p = at(n), q = at(best);
      if (p.x < q.x || (p.x === q.x && p.y < q.y)) best = n;
    });
    return best;
  }

  function describe(i) {
    const d = M.nodes[i];
    const parts = [M.name(i) + ", " + d.kind + (d.area ? " in " + d.area : "")];
    const step = GP.state.stepNumber(i);
    const plan = GP.state.plan();
    if (step && plan) parts.push("step " + step + " of " + plan.steps.length);
    if (GP.progress.isKnown(i)) parts.push("known");
    const needs = neighbours(i, "left").length;
    const opens = neighbours(i, "right").length;
    const col = column(i);
    parts.push(needs + " before it (Left)", opens + " after it (Right)",
               (col.indexOf(i) + 1) + " of " + col.length + " in its column (Up, Down)");
    return parts.join("; ") + ".";
  }

  function say(text) {
    // The same words twice in a row are said again: the region is emptied first.
    said.textContent = "";
    window.setTimeout(() => { said.textContent = text; }, 30);
    said.dataset.text = text;
  }

  function go(i, from, side) {
    if (from !== null && side) {
      const back = side === "left" ? "right" : "left";
      cameFrom[back].set(i, from);
    }
    GP.actions.select(i, { focus: true, panel: false });
    say(describe(i));
  }

  function walk(key) {
    const here = GP.state.selected();
    if (here === null || !shown(here)) {
      const first = start();
      if (first === null) say("Nothing is shown on the map: the filters hide every node.");
      else go(first, null, null);
      return;
    }
    if (key === "ArrowLeft" || key === "ArrowRight") {
      const side = key === "ArrowLeft" ? "left" : "right";
      const options = neighbours(here, side);
      if (!options.length) {
        say(M.name(here) + (side === "left" ? " needs nothing shown on the map." : " opens up nothing shown on the map."));
        return;
      }
      const back = cameFrom[side].get(here);
      go(options.indexOf(back) >= 0 ? back : nearest(here, options), here, side);
      return;
    }
    const col = column(here);
    const k = col.indexOf(here) + (key === "ArrowDown" ? 1 : -1);
    if (k < 0 || k >= col.length) {
      say(M.name(here) + " is the " + (k < 0 ? "first" : "last") + " of its column.");
      return;
    }
    go(col[k], null, null);
  }

  function openDetails() {
    const here = GP.state.selected();
    if (here === null) {
      say("Nothing is selected: an arrow key selects a node.");
      return;
    }
    GP.panel.open("details", false, "list");
    const heading = document.querySelector("#details h2");
    if (heading) heading.focus();
  }

  frame.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"].indexOf(event.key) >= 0) {
      event.preventDefault();
      walk(event.key);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      openDetails();
    } else if (event.key === "Escape" && GP.state.selected() !== null) {
      say("Selection cleared.");
    }
  });

  // ---- skip links: buttons that move the focus (the address's hash holds the view: a #link would change it) ----

  const targets = {
    study: () => document.querySelector("#study-body h2") || document.getElementById("study-body"),
    map: () => frame,
    details: () => {
      GP.panel.open("details");
      return document.querySelector("#details h2") || document.getElementById("details");
    }
  };
  document.querySelectorAll("[data-skip]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const target = targets[link.dataset.skip]();
      target.focus();
      target.scrollIntoView({ block: "nearest" });
    });
  });

  GP.keyboard = {
    map: function () { return frame; },
    said: function () { return said.dataset.text || ""; },
    focused: function () {
      const active = document.activeElement;
      if (active === frame) return "map";
      if (!active || active === document.body) return "body";
      return active.id || active.tagName.toLowerCase();
    }
  };
  performance.mark("graph:keyboard");
})(window.GraphPage = window.GraphPage || {});
