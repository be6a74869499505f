/* The side panel (everything about the selected node, "I know this", "Study plan to here") and
 * the tooltip. Text reaches the page only through textContent and checked http(s) hrefs. */
(function (GP) {
  "use strict";

  const M = GP.model;
  const RESOURCES_IN_TOOLTIP = 4;
  const detailsBox = document.getElementById("details");
  const hint = detailsBox.firstElementChild.cloneNode(true);
  const tooltip = document.getElementById("tooltip");
  const container = document.getElementById("map");
  const panel = document.getElementById("panel");
  const legendButton = document.getElementById("legend-button");
  let openedFor = null; // why the panel is open: "details" (a selection) or "legend" (the button)

  function el(tag, text, className) {
    const element = document.createElement(tag);
    if (text !== undefined && text !== null) element.textContent = String(text);
    if (className) element.className = className;
    return element;
  }

  function webUrl(value) {
    try {
      const url = new URL(String(value));
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function link(text, url) {
    const safe = webUrl(url);
    if (!safe) return el("span", text);
    const a = el("a", text);
    a.href = safe;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function hoursText(hours) {
    return (Math.round(hours * 10) / 10).toLocaleString("en-US") + " h";
  }

  function metaLine(d, known) {
    const parts = [d.kind];
    if (d.area) parts.push(d.area);
    if (typeof d.hours === "number") parts.push(hoursText(d.hours));
    if (d.format) parts.push(d.format);
    if (d.author) parts.push(d.author);
    if (d.free === true) parts.push("free");
    if (d.discontinued === true) parts.push("discontinued");
    if (known) parts.push("\u2713 known");
    return parts.join(" \u00b7 ");
  }

  function title(i) {
    const step = GP.state.stepNumber(i);
    return (GP.progress.isKnown(i) ? "\u2713 " : "") + (step ? step + ". " : "") + M.name(i);
  }

  function nodeButton(i, text) {
    const button = el("button", text === undefined ? M.name(i) : text, "node-link");
    button.type = "button";
    button.addEventListener("click", () => GP.actions.select(i, { focus: true }));
    return button;
  }

  /** A resource that teaches, by its ``teaches`` edge: its facts (its hours are the whole resource's) and
   * the part of it that teaches this node. */
  function resourceItem(edge) {
    const i = edge.from;
    const d = M.nodes[i];
    const item = el("li");
    item.append(d.link ? link(d.name, d.link) : nodeButton(i));
    if (d.preferred === true) item.append(" ", el("span", "\u2605 pick", "tag"));
    if (d.free === true) item.append(" ", el("span", "free", "tag"));
    if (d.format) item.append(" ", el("span", d.format, "tag"));
    if (typeof d.hours === "number") {
      item.append(" ", el("span", hoursText(d.hours), "tag"));
    }
    if (d.link) item.append(" ", nodeButton(i, "(details)"));
    if (edge.part) item.append(el("span", edge.part, "part"));
    if (edge.part && webUrl(edge.partUrl)) item.append(" ", link("open this part", edge.partUrl));
    return item;
  }

  function relatedItem(edge, other) {
    const item = el("li");
    let how = " " + edge.relation;
    if (edge.strength && edge.strength !== "required") how += ", " + edge.strength;
    if (edge.anyOf !== null) how += ", one of '" + edge.anyOf + "'";
    // Under "Teaches" the heading says the relation: "Calculus teaches" would read backwards.
    item.append(nodeButton(other));
    if (!edge.teaches) item.append(el("span", how, "rel"));
    if (edge.part) item.append(el("span", edge.part.replace(/^for this step: /, ""), "part"));
    if (edge.why) item.append(el("span", edge.why, "why"));
    return item;
  }

  function section(box, heading, items) {
    if (!items.length) return;
    const list = el("ul");
    items.forEach((item) => list.append(item));
    box.append(el("h3", heading), list);
  }

  /** Show everything about node ``i`` (``null``: the hint). A control of the details that had the focus
   * keeps it when the same node is shown again (ticking "I know this" redraws them). */
  function show(i) {
    const active = document.activeElement;
    const keep = active && detailsBox.contains(active) && detailsBox.dataset.node === String(i)
      ? active.dataset.focusKey || null : null;
    detailsBox.dataset.node = String(i);
    if (i === null) {
      detailsBox.replaceChildren(hint.cloneNode(true));
      return;
    }
    build(i);
    const again = keep && detailsBox.querySelector('[data-focus-key="' + keep + '"]');
    if (again) again.focus();
  }

  function build(i) {
    const d = M.nodes[i];
    const known = GP.progress.isKnown(i);
    const box = document.createDocumentFragment();
    const heading = el("h2", title(i));
    heading.tabIndex = -1;
    box.append(heading, el("p", metaLine(d, known), "meta"));
    const actions = el("div", null, "actions");
    const knowLabel = el("label", null, "know-box");
    const knowBox = el("input");
    knowBox.type = "checkbox";
    knowBox.dataset.focusKey = "know";
    knowBox.checked = known;
    knowBox.addEventListener("change", () => GP.actions.setKnown(i, knowBox.checked));
    knowLabel.append(knowBox, "I know this");
    actions.append(knowLabel);
    if (GP.state.target() !== i) {
      const goal = el("button", "Study plan to here", "goal-button");
      goal.type = "button";
      goal.dataset.focusKey = "goal";
      goal.addEventListener("click", () => GP.actions.setTarget(i));
      actions.append(goal);
    }
    box.append(actions);
    if (d.summary) box.append(el("p", d.summary));
    if (d.note) box.append(el("p", d.note, "note"));
    if (d.link) {
      const p = el("p");
      p.append(link("Open \u2197", d.link));
      box.append(p);
    } else if (d.rawUrl) {
      box.append(el("p", "Address (not a web link): " + d.rawUrl, "meta"));
    }
    if (d.aliases) box.append(el("p", "Also called: " + d.aliases.join(", "), "meta"));
    box.append(el("p", "id: " + d.id, "meta"));
    section(box, "Learn it from", M.teaching(i).map(resourceItem));
    const ins = M.pred[i].filter((e) => !e.teaches);
    const outs = M.succ[i];
    section(box, "Needs first", ins.filter((e) => e.strength !== "deepening").map((e) => relatedItem(e, e.from)));
    section(box, "Teaches", outs.filter((e) => e.teaches).map((e) => relatedItem(e, e.to)));
    section(box, "Opens up", outs.filter((e) => !e.teaches && e.strength !== "deepening").map((e) => relatedItem(e, e.to)));
    section(box, "Go deeper", ins.concat(outs).filter((e) => e.strength === "deepening")
      .map((e) => relatedItem(e, e.from === i ? e.to : e.from)));
    const up = GP.studyplan.ancestors(i).size;
    const down = GP.studyplan.descendants(i).size;
    box.append(el("p", "Lit up: " + up + " needed before it, " + down + " built on it.", "meta"));
    detailsBox.replaceChildren(box);
  }

  function showTooltip(i, pointer) {
    const d = M.nodes[i];
    const box = document.createDocumentFragment();
    box.append(el("strong", title(i)), el("p", metaLine(d, GP.progress.isKnown(i)), "meta"));
    if (d.summary) box.append(el("p", d.summary.length > 300 ? d.summary.slice(0, 299) + "\u2026" : d.summary));
    const from = M.teachers(i);
    if (from.length) {
      box.append(el("p", "Learn it from:"));
      const list = el("ul");
      from.slice(0, RESOURCES_IN_TOOLTIP).forEach((r) => {
        list.append(el("li", M.name(r) + (M.nodes[r].free === true ? " (free)" : "")));
      });
      if (from.length > RESOURCES_IN_TOOLTIP) list.append(el("li", "and " + (from.length - RESOURCES_IN_TOOLTIP) + " more"));
      box.append(list);
    }
    tooltip.replaceChildren(box);
    tooltip.hidden = false;
    const frame = container.getBoundingClientRect();
    let x = frame.left + pointer.x + 16;
    let y = frame.top + pointer.y + 16;
    if (x + tooltip.offsetWidth > window.innerWidth - 4) x = Math.max(4, frame.left + pointer.x - tooltip.offsetWidth - 16);
    if (y + tooltip.offsetHeight > window.innerHeight - 4) y = Math.max(4, frame.top + pointer.y - tooltip.offsetHeight - 16);
    tooltip.style.left = x + "px";
    tooltip.style.top = y + "px";
  }

  function hideTooltip() { tooltip.hidden = true; }

  // ---- the panel: open for a selection's details or for the legend ---------------------------

  // A tap on the map is followed by the click the browser makes of it, at the same place: where the
  // bottom sheet has just come up. For a moment after a tap opens the panel, that click is dropped.
  let tapGuardUntil = 0;
  const guard = (event) => {
    if (performance.now() < tapGuardUntil) {
      event.preventDefault(); // on mousedown, this also keeps the focus from the link under the finger
      event.stopPropagation();
    }
  };
  panel.addEventListener("mousedown", guard, true);
  panel.addEventListener("click", guard, true);

  /** Open the panel, for ``why`` ("details" or "legend"); ``tap``: a tap on the map opened it. The
   * legend's button says whether the panel is open for the legend (not only for a selection's details).
   * ``over``: where a node was chosen decides what the panel lies over on narrower screens (below 1200 px,
   * where it has no column of its own): "list" for a node chosen on the map or by the search, so the map
   * keeps its width; else the map's right side, so a step chosen in the list keeps the list in view. */
  function open(why, tap, over) {
    if (tap) tapGuardUntil = performance.now() + 500;
    if (why === "details" || panel.hidden) panel.classList.toggle("over-list", why === "details" && over === "list");
    if (openedFor !== "legend") openedFor = why;
    if (panel.hidden) {
      panel.hidden = false;
      panel.scrollTop = 0;
    }
    legendButton.setAttribute("aria-expanded", openedFor === "legend" ? "true" : "false");
    document.body.classList.add("panel-open"); // a phone's page gets the room to scroll above its bottom sheet
  }

  // Closing the sheet takes that room away only when the page does not stand in it: else the page would jump
  // (the map under the reader sliding down); the room goes once the reader scrolls back above it.
  function releaseRoom() {
    if (!panel.hidden || !document.body.classList.contains("panel-open")) return;
    const room = parseFloat(getComputedStyle(document.body).paddingBottom) || 0;
    if (window.scrollY + window.innerHeight <= document.documentElement.scrollHeight - room + 1) {
      document.body.classList.remove("panel-open");
    }
  }
  window.addEventListener("scroll", releaseRoom, { passive: true });

  /** Close the panel; ``why``: only if it was opened for that (a cleared selection leaves the legend open). */
  function close(why) {
    if (why && openedFor !== why) return false;
    const hadFocus = panel.contains(document.activeElement);
    panel.hidden = true;
    openedFor = null;
    releaseRoom();
    legendButton.setAttribute("aria-expanded", "false");
    return hadFocus;
  }

  legendButton.addEventListener("click", () => {
    if (!panel.hidden && openedFor === "legend") {
      close();
      return;
    }
    openedFor = "legend";
    open("legend");
    // The focus goes to what opened, so Tab goes on in the legend rather than through the map before it (the
    // legend's scroll margin keeps its heading clear of the panel's sticky Close bar).
    document.getElementById("legend").scrollIntoView({ block: "start" });
    document.getElementById("legend-heading").focus({ preventScroll: true });
  });
  // The bar above the map shows two lines of the layout's note (hovering, its title shows all): a tap or a click on it
  // opens the legend at the whole note, for a touch screen, which has no hover.
  document.getElementById("layout-note").addEventListener("click", () => {
    openedFor = "legend";
    open("legend");
    document.getElementById("legend").scrollIntoView({ block: "start" });
  });
  document.getElementById("panel-close").addEventListener("click", () => {
    const back = openedFor === "legend" ? legendButton : null;
    close();
    (back || GP.keyboard.map()).focus();
  });

  /** How many px of ``area`` the open panel hides at its right and bottom edges: lying over its right side top
   * to bottom (narrower screens), or across it from below (a phone's bottom sheet, with what lies past it). */
  function covers(area) {
    if (panel.hidden) return null;
    const a = area.getBoundingClientRect(), p = panel.getBoundingClientRect();
    if (p.left < a.right && p.right >= a.right && p.top <= a.top + 1 && p.bottom >= a.bottom - 1) {
      return { right: a.right - Math.max(p.left, a.left), bottom: 0 };
    }
    if (p.left <= a.left + 1 && p.right >= a.right - 1 && p.top < a.bottom && p.bottom > a.top) {
      return { right: 0, bottom: a.bottom - Math.max(p.top, a.top) };
    }
    return null;
  }

  GP.panel = {
    show: show, showTooltip: showTooltip, hideTooltip: hideTooltip, el: el, hoursText: hoursText, title: title,
    open: open, close: close, covers: covers, isOpen: function () { return !panel.hidden; },
    /** Whether the panel is a bottom sheet (a phone's layout). */
    isSheet: function () { return !panel.hidden && getComputedStyle(panel).position === "fixed"; }
  };
  performance.mark("graph:panel");
})(window.GraphPage = window.GraphPage || {});
