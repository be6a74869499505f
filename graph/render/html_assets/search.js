/* The search box: nodes by name, id or alias. Exact matches first, then names starting with
 * the query, then ids and aliases starting with it, then words starting with it, then the
 * rest; within each, topics before degrees before resources, then file order. Each result
 * shows its kind. */
(function (GP) {
  "use strict";

  const M = GP.model;
  const el = GP.panel.el;
  const RESULTS = 12;
  const KIND_ORDER = { topic: 0, degree: 1, resource: 2 };
  const box = document.getElementById("search");
  const resultsList = document.getElementById("search-results");
  const empty = document.getElementById("search-empty");

  const haystacks = M.drawn.map((i) => {
    const d = M.nodes[i];
    return {
      node: i,
      name: d.name.toLowerCase(),
      others: [d.id].concat(d.aliases || []).map((s) => String(s).toLowerCase()),
      kind: Object.prototype.hasOwnProperty.call(KIND_ORDER, d.kind) ? KIND_ORDER[d.kind] : 3
    };
  });

  function words(text) { return text.split(/[^a-z0-9\u00c0-\uffff]+/); }

  function tier(h, q) {
    if (h.name === q || h.others.indexOf(q) >= 0) return 0;
    if (h.name.indexOf(q) === 0) return 1;
    if (h.others.some((s) => s.indexOf(q) === 0)) return 2;
    if (words(h.name).some((w) => w.indexOf(q) === 0)) return 3;
    if (h.name.indexOf(q) >= 0 || h.others.some((s) => s.indexOf(q) >= 0)) return 4;
    return 5;
  }

  /** The node numbers matching ``query``, best first. */
  function find(query) {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const found = [];
    haystacks.forEach((h) => {
      const t = tier(h, q);
      if (t < 5) found.push([t, h.kind, h.node]);
    });
    found.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    return found.slice(0, RESULTS).map((f) => f[2]);
  }

  let results = [];
  let active = 0;

  function showResults() {
    resultsList.replaceChildren();
    results.forEach((i, k) => {
      const option = el("li", M.name(i));
      option.setAttribute("role", "option");
      option.id = "search-option-" + k;
      option.setAttribute("aria-selected", String(k === active));
      option.append(el("span", M.nodes[i].kind, "kind"), el("span", M.id(i), "id"));
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(i);
      });
      resultsList.append(option);
    });
    const asked = box.value.trim();
    // "No match" is a message beside the listbox, not an option in it.
    empty.hidden = !asked || results.length > 0;
    resultsList.hidden = !results.length;
    box.setAttribute("aria-expanded", String(!resultsList.hidden));
    if (results.length) box.setAttribute("aria-activedescendant", "search-option-" + active);
    else box.removeAttribute("aria-activedescendant");
  }

  function close() {
    results = [];
    resultsList.hidden = true;
    empty.hidden = true;
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
  }

  function choose(i) {
    box.value = M.name(i);
    close();
    GP.actions.select(i, { focus: true, over: "list" });
  }

  box.addEventListener("input", () => {
    results = find(box.value);
    active = 0;
    showResults();
  });
  box.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (results.length) active = (active + (event.key === "ArrowDown" ? 1 : results.length - 1)) % results.length;
      showResults();
    } else if (event.key === "Enter") {
      event.preventDefault();
      const picked = results.length ? results : find(box.value);
      if (picked.length) choose(picked[Math.min(active, picked.length - 1)]);
    } else if (event.key === "Escape") {
      // The first Escape clears the box; one in an empty box goes on to the page (it closes the details).
      if (!box.value && resultsList.hidden && empty.hidden) return;
      event.stopPropagation();
      box.value = "";
      close();
    }
  });
  box.addEventListener("blur", close);

  GP.search = { find: find };
  performance.mark("graph:search");
})(window.GraphPage = window.GraphPage || {});
