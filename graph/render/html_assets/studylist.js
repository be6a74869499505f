/* The study list beside the map: for a goal, its numbered steps (as `graph order` lists them)
 * with a checkbox each, hours, running total and hours left; without one, the degrees, what
 * can be started now and an outline of the topics by area. Real HTML: it reads aloud, finds
 * in page and prints. */
(function (GP) {
  "use strict";

  const M = GP.model;
  const P = GP.studyplan;
  const el = GP.panel.el;
  const hoursText = GP.panel.hoursText;
  const body = document.getElementById("study-body");
  const NOW_SHOWN = 40; // of what can be started now, in the outline
  const DEGREE_PLANS = 24; // degrees whose plan hours are shown
  const FILTER_SHOWN = 200; // matches shown per area while filtering
  const OPEN_UP_TO = 300; // topics in an area that a selection on the map opens

  let serial = 0;
  let current = null; // the node marked as selected in the list
  const outlineAreas = []; // {name, nodes, details, list, built}
  let filterBox = null;
  let rendered; // the goal the list was last drawn for (null: the outline)

  function item(i, options) {
    const li = el("li");
    li.dataset.node = String(i);
    const nameId = "sl-" + (serial += 1);
    const box = el("input");
    box.type = "checkbox";
    box.checked = GP.progress.isKnown(i);
    box.dataset.node = String(i);
    box.setAttribute("aria-labelledby", nameId);
    box.title = "I know this";
    box.addEventListener("change", () => GP.actions.setKnown(i, box.checked));
    const name = el("button", M.name(i), "node-link name");
    name.type = "button";
    name.id = nameId;
    name.addEventListener("click", () => GP.actions.select(i, { focus: true }));
    const cell = el("span", null, "cell");
    cell.append(name);
    if (options && options.now) cell.append(" ", el("span", "start now", "tag now"));
    if (options && options.recommended) cell.append(" ", el("span", "recommended", "tag soft"));
    if (M.nodes[i].discontinued === true) cell.append(" ", el("span", "discontinued", "tag gone"));
    li.append(box, cell, el("span", options && options.hours !== undefined ? options.hours : "", "hours"));
    if (i === GP.state.selected()) {
      li.setAttribute("aria-current", "true");
    }
    return li;
  }

  function heading(text) {
    const h = el("h2", text);
    h.tabIndex = -1;
    return h;
  }

  function hoursOf(i) {
    return typeof M.nodes[i].hours === "number" ? hoursText(M.nodes[i].hours) : "? h";
  }

  function list(tag, label, className) {
    const l = el(tag, null, className);
    l.setAttribute("aria-label", label);
    return l;
  }

  // ---- a goal's plan ----------------------------------------------------------------------

  function renderPlan(plan, next) {
    const t = plan.target;
    const frag = document.createDocumentFragment();
    const knownHours = plan.skipped.reduce((h, i) => h + (typeof M.nodes[i].hours === "number" ? M.nodes[i].hours : 0), 0);
    const totals = plan.totals;
    frag.append(heading("Study plan: " + M.name(t)));
    // A map without hours (an imported one) counts its progress in steps, not in 0 h.
    const inSteps = totals.noEstimates && !knownHours;
    const parts = [totals.steps + (totals.steps === 1 ? " step" : " steps")];
    if (inSteps) {
      parts.push("no hour estimates");
      if (plan.skipped.length) parts.push(plan.skipped.length + " known");
    } else {
      parts.push(hoursText(totals.hours) + " left");
      if (totals.stepsWithoutHours) parts.push(totals.stepsWithoutHours + " without an estimate");
      if (plan.skipped.length) parts.push(plan.skipped.length + " known (" + hoursText(knownHours) + ")");
    }
    const row = el("div", null, "summary-row");
    row.append(el("p", parts.join(" \u00b7 "), "summary"));
    frag.append(row);
    const soft = plan.steps.filter((s) => s.recommended);
    if (soft.length) {
      const softHours = soft.reduce((h, s) => h + (s.hours === null ? 0 : s.hours), 0);
      frag.append(el("p", "Recommended, included: " + soft.length + (soft.length === 1 ? " step, " : " steps, ") +
        hoursText(softHours) + " (tagged \u201crecommended\u201d)", "hint"));
    }
    const bar = el("progress");
    bar.max = Math.max(1, inSteps ? totals.steps + plan.skipped.length : totals.hours + knownHours);
    bar.value = inSteps ? plan.skipped.length : knownHours;
    bar.setAttribute("aria-label", inSteps ? "Steps known of the plan" : "Hours known of the plan");
    bar.textContent = Math.round(100 * bar.value / bar.max) + "%";
    row.append(bar);
    const nowSet = new Set(next);
    if (!plan.steps.length) {
      frag.append(el("p", M.name(t) + " is known: nothing left to study.", "hint"));
    } else {
      frag.append(el("p", startNow(plan, next), "hint"));
    }
    const ol = list("ol", "Steps to study");
    let running = 0;
    plan.steps.forEach((s) => {
      running += s.hours === null ? 0 : s.hours;
      const li = item(s.node, { now: nowSet.has(s.node), recommended: s.recommended,
                                hours: inSteps ? "" : (s.hours === null ? "? h" : hoursText(s.hours)) + " \u00b7 " +
                                  hoursText(running) + " so far" });
      (s.choices || []).forEach((c) => {
        const members = [c.picked].concat(c.alternatives).sort((a, b) => a - b).map(named);
        li.append(el("span", "any one of " + members.join(", ") + " will do: " + M.name(c.picked) +
          (c.known ? " is known" : " is planned"), "choice"));
      });
      if (s.deeper && s.deeper.length) li.append(el("span", "go deeper: " + s.deeper.map(M.name).join(", "), "deeper"));
      const source = firstSource(s.node);
      if (source) li.append(source);
      ol.append(li);
    });
    frag.append(ol);
    if (plan.skipped.length) {
      frag.append(el("h3", "Already known"));
      const ul = list("ul", "Already known", "known-list");
      plan.skipped.forEach((i) => ul.append(item(i, { hours: hoursOf(i) })));
      frag.append(ul);
    }
    if (plan.recommended.length) {
      frag.append(el("p", "Recommended, not included: " + plan.recommended.map(M.name).join(", "), "hint"));
    }
    const back = el("button", "All topics", "goal-button");
    back.type = "button";
    back.addEventListener("click", () => GP.actions.setTarget(null));
    frag.append(back);
    return frag;
  }

  /** Where to learn step ``i`` from, for paper: its first resource (or itself, a resource with an address),
   * name and address. Shown in print only. */
  function firstSource(i) {
    const from = M.nodes[i].kind === "resource" ? i : M.teachers(i)[0];
    if (from === undefined) return null;
    const d = M.nodes[from];
    const where = d.link || d.rawUrl;
    if (from === i) return where ? el("span", "Address: " + where, "source") : null;
    return el("span", "Learn it from: " + d.name + (where ? " \u2014 " + where : ""), "source");
  }

  function named(i) { return M.name(i) + (M.nodes[i].discontinued === true ? " (discontinued)" : ""); }

  /** What can be started toward the goal (as graph next --target counts it): the steps tagged below,
   * and what lies only on the way through an alternative the plan does not take. */
  function startNow(plan, next) {
    const steps = new Set(plan.steps.map((s) => s.node));
    const outside = next.filter((i) => !steps.has(i));
    if (!outside.length) return "You can start on " + next.length + " now (tagged \u201cstart now\u201d).";
    const inside = next.length - outside.length;
    return "You can start on " + next.length + " now: " + inside + (inside === 1 ? " step" : " steps") +
      " below (tagged \u201cstart now\u201d), and " + outside.map(named).join(", ") +
      ", on the way through alternatives the plan does not take.";
  }

  // ---- no goal: degrees, what to start now, topics by area -------------------------------

  function renderOutline(next) {
    const frag = document.createDocumentFragment();
    const known = GP.progress.known();
    const degrees = [];
    const topics = [];
    M.nodes.forEach((d, i) => {
      if (!M.drawnSet.has(i)) return;
      if (d.kind === "degree") degrees.push(i);
      else if (d.kind !== "resource") topics.push(i);
    });
    frag.append(heading("What to learn"));
    const knownTopics = topics.reduce((n, i) => n + (known.has(i) ? 1 : 0), 0);
    frag.append(el("p", topics.length + " topics \u00b7 " + knownTopics + " known", "summary"));
    if (degrees.length) {
      frag.append(el("h3", "Degrees"));
      const ul = list("ul", "Degrees");
      degrees.forEach((i, k) => {
        let hours;
        if (k < DEGREE_PLANS) {
          const totals = P.studyPlan(i, GP.progress.marked().map(M.find).filter((n) => n !== undefined)).totals;
          hours = totals.steps + (totals.steps === 1 ? " step, " : " steps, ") + hoursText(totals.hours);
        }
        const li = item(i, { hours: hours });
        const goal = el("button", "Study plan", "goal-button");
        goal.type = "button";
        goal.setAttribute("aria-label", "Study plan for " + M.name(i));
        goal.addEventListener("click", () => GP.actions.setTarget(i));
        li.querySelector(".cell").append(" ", goal);
        ul.append(li);
      });
      frag.append(ul);
    }
    frag.append(el("h3", "You can start on " + next.length + " now"));
    const now = list("ul", "What you can start now");
    next.slice(0, NOW_SHOWN).forEach((i) => now.append(item(i, { hours: hoursOf(i) })));
    frag.append(now);
    if (next.length > NOW_SHOWN) frag.append(el("p", "and " + (next.length - NOW_SHOWN) + " more", "hint"));
    frag.append(el("h3", "Topics by area"));
    filterBox = el("input", null, "outline-filter");
    filterBox.type = "search";
    filterBox.placeholder = "Filter topics";
    filterBox.setAttribute("aria-label", "Filter topics");
    filterBox.addEventListener("input", applyFilter);
    frag.append(filterBox);
    outlineAreas.length = 0;
    const byArea = new Map();
    topics.forEach((i) => {
      const area = M.nodes[i].area || "(no area)";
      if (!byArea.has(area)) byArea.set(area, []);
      byArea.get(area).push(i);
    });
    const names = M.data.areas.filter((a) => byArea.has(a));
    if (byArea.has("(no area)")) names.push("(no area)");
    names.forEach((name) => {
      const members = byArea.get(name);
      const details = el("details");
      const count = members.reduce((n, i) => n + (known.has(i) ? 1 : 0), 0);
      details.append(el("summary", name + " (" + count + " of " + members.length + " known)"));
      const ul = list("ul", "Topics in " + name);
      details.append(ul);
      const area = { name: name, nodes: members, details: details, list: ul, built: false };
      details.addEventListener("toggle", () => { if (details.open) build(area); });
      outlineAreas.push(area);
      frag.append(details);
    });
    return frag;
  }

  function build(area) {
    if (area.built) return;
    area.built = true;
    area.nodes.forEach((i) => area.list.append(item(i, { hours: hoursOf(i) })));
  }

  function applyFilter() {
    const q = filterBox.value.trim().toLowerCase();
    outlineAreas.forEach((area) => {
      if (!q) {
        area.details.hidden = false;
        if (area.built && area.list.children.length !== area.nodes.length) {
          area.list.replaceChildren();
          area.built = false;
          if (area.details.open) build(area);
        }
        return;
      }
      const found = area.nodes.filter((i) => M.name(i).toLowerCase().indexOf(q) >= 0 || M.id(i).indexOf(q) >= 0);
      area.details.hidden = !found.length;
      area.list.replaceChildren();
      found.slice(0, FILTER_SHOWN).forEach((i) => area.list.append(item(i, { hours: hoursOf(i) })));
      area.built = true;
      area.details.open = found.length > 0;
    });
  }

  // ---- drawing it, keeping focus ----------------------------------------------------------

  function render() {
    const active = document.activeElement;
    let keep = null;
    if (active && body.contains(active) && active.dataset && active.dataset.node !== undefined) {
      const ol = body.querySelector("ol");
      keep = { node: active.dataset.node, inSteps: !!(ol && ol.contains(active)),
               index: ol ? Array.prototype.indexOf.call(ol.children, active.parentElement) : -1 };
    }
    const filter = filterBox && body.contains(filterBox) ? filterBox.value : "";
    const open = new Set(outlineAreas.filter((a) => a.details.open && body.contains(a.details)).map((a) => a.name));
    const scrolled = body.scrollTop;
    const plan = GP.state.plan();
    body.replaceChildren(plan ? renderPlan(plan, GP.state.next()) : renderOutline(GP.state.next()));
    const same = rendered === (plan ? plan.target : null);
    rendered = plan ? plan.target : null;
    if (same) body.scrollTop = scrolled;
    if (!plan) {
      outlineAreas.forEach((a) => { if (open.has(a.name)) { build(a); a.details.open = true; } });
      if (filter) {
        filterBox.value = filter;
        applyFilter();
      }
      if (same) body.scrollTop = scrolled;
    }
    current = null;
    markSelected(GP.state.selected(), false);
    if (keep) {
      const ol = body.querySelector("ol");
      let target = null;
      if (keep.inSteps && ol && ol.children.length) {
        const same = ol.querySelector('input[data-node="' + keep.node + '"]');
        target = same || ol.children[Math.min(keep.index, ol.children.length - 1)].querySelector("input");
      }
      target = target || body.querySelector('input[data-node="' + keep.node + '"]');
      if (target) target.focus();
    }
  }

  /** Mark node ``i`` as the one selected in the list (``null``: none), scrolling it into view. */
  function markSelected(i, scroll) {
    body.querySelectorAll('li[aria-current="true"]').forEach((li) => li.removeAttribute("aria-current"));
    current = i;
    if (i === null) return;
    if (!GP.state.plan()) {
      const area = outlineAreas.find((a) => a.nodes.indexOf(i) >= 0 && !a.details.hidden);
      if (area && scroll !== false && (area.built || area.nodes.length <= OPEN_UP_TO)) {
        build(area);
        area.details.open = true;
      }
    }
    const items = body.querySelectorAll('li[data-node="' + i + '"]');
    items.forEach((li) => li.setAttribute("aria-current", "true"));
    if (items.length && scroll !== false) reveal(items[0]);
  }

  /** Scroll the list's own box to show ``li``, and nothing else: on a phone, whose page scrolls, a node tapped
   * on the map must not carry the map away from under the finger. */
  function reveal(li) {
    const b = body.getBoundingClientRect(), r = li.getBoundingClientRect();
    if (r.top < b.top) body.scrollTop -= b.top - r.top;
    else if (r.bottom > b.bottom) body.scrollTop += Math.min(r.bottom - b.bottom, r.top - b.top);
  }

  /** The ids of the steps in the list, in order. */
  function order() {
    return Array.from(body.querySelectorAll("ol > li")).map((li) => M.id(Number(li.dataset.node)));
  }

  /** Move the focus to the list's heading (after a button redrew the list under it). */
  function focusHeading() {
    const h = body.querySelector("h2");
    if (h) h.focus();
  }

  GP.studylist = { render: render, markSelected: markSelected, order: order, focusHeading: focusHeading };
  performance.mark("graph:studylist");
})(window.GraphPage = window.GraphPage || {});
