/* What the learner knows: the ids they marked (as in the CLI's progress file) and their known
 * closure. Kept in localStorage under a key tied to the data set; exported and imported as the
 * progress file of graph/progress.py. An imported file is untrusted: parsed as data by js-yaml,
 * checked as the CLI checks it, never run or inserted as HTML. */
(function (GP) {
  "use strict";

  const M = GP.model;
  const P = GP.studyplan;
  const KEY = "graph-explorer:progress:" + M.data.key;
  const LIMITS = M.data.progressLimits; // one set of limits for the page and the CLI (graph/readlimits.py)
  const HEADER = "# Progress for `graph`: the ids you already know.\n";
  const listeners = [];

  let marked = []; // the ids the learner said they know, in the order they said it (some may be in no node here)
  let known = new Set(); // the numbers of the nodes known: the closure of ``marked``
  let storage = null;
  let storageProblem = null;

  try {
    storage = window.localStorage;
    storage.getItem(KEY);
  } catch (error) {
    storage = null;
    storageProblem = "This browser does not let the page keep your progress; export it to keep it.";
  }

  function ids(numbers) { return numbers.map(M.id); }

  function numbers(list) {
    const found = [];
    list.forEach((id) => {
      const i = M.find(id);
      if (i !== undefined) found.push(i);
    });
    return found;
  }

  function recompute() {
    known = P.knownClosure(numbers(marked));
  }

  function builtIn() {
    return ids(numbers(M.data.known)); // what the learner marked, as the CLI's progress file has it
  }

  function read() {
    const base = builtIn();
    let record = null;
    if (storage) {
      try {
        record = JSON.parse(storage.getItem(KEY) || "null");
      } catch (error) {
        record = null;
      }
    }
    if (!record || !Array.isArray(record.known)) {
      marked = base;
    } else {
      const seen = new Set(Array.isArray(record.base) ? record.base.map(String) : []);
      marked = record.known.map(String);
      // What the page was built knowing since it was last opened (graph done, then a rebuild) joins in.
      base.forEach((id) => { if (!seen.has(id) && marked.indexOf(id) < 0) marked.push(id); });
    }
    recompute();
  }

  function save() {
    if (!storage) return;
    try {
      storage.setItem(KEY, JSON.stringify({ version: 1, known: marked, base: builtIn() }));
    } catch (error) {
      storageProblem = "Your progress could not be saved in this browser (" + error.name + "); export it to keep it.";
    }
  }

  function changed(how) {
    recompute();
    save();
    listeners.forEach((f) => f(how));
  }

  /** Mark node ``i`` known (with everything it needs), or not known: unmark it and every marked node that
   * needs it, adding nothing (graph.plan.forget, as graph done --undo does). */
  function setKnown(i, on) {
    if (on === known.has(i)) return;
    const id = M.id(i);
    if (on) {
      marked.push(id);
      changed({ node: i, known: true });
      return;
    }
    const lost = new Set([i]);
    const stack = [i];
    while (stack.length) {
      M.succ[stack.pop()].forEach((e) => {
        if (e.orders && e.anyOf === null && known.has(e.to) && !lost.has(e.to)) {
          lost.add(e.to);
          stack.push(e.to);
        }
      });
    }
    marked = marked.filter((m) => { const n = M.find(m); return n === undefined || !lost.has(n); });
    changed({ node: i, known: false });
  }

  function reset() {
    marked = [];
    changed({ reset: true });
  }

  /** The progress file's text: graph/progress.py's format, every id the learner marked (those this
   * map does not have too: the CLI keeps them). */
  function exportText() {
    return HEADER + window.jsyaml.dump({ known: marked });
  }

  function fold(text) { return String(text).toLowerCase().replace(/[\s_\-]+/g, " ").trim(); }

  /** graph.lookup.resolve: the node an entry names (an id, or one node's id, name or alias in any case,
   * spaces, underscores and hyphens alike), or undefined. */
  function resolve(entry) {
    const exact = M.find(entry);
    if (exact !== undefined) return exact;
    const wanted = fold(entry);
    const found = new Set();
    M.nodes.forEach((d, i) => {
      [d.id, d.name].concat(d.aliases || []).forEach((label) => { if (fold(label) === wanted) found.add(i); });
    });
    return found.size === 1 ? found.values().next().value : undefined;
  }

  /** Read a progress file's bytes (or its text) as graph/marks.py does; replace the progress with its entries, each
   * once, as ids where this map has them; the others are kept (and exported) as written.
   * Returns ``{error}`` (nothing changed) or ``{imported, unknown}``. */
  function importText(text) {
    const found = parseProgress(text);
    if (found.error) return found;
    const entries = [];
    const unknown = [];
    found.ids.forEach((entry) => {
      const i = resolve(entry);
      const id = i === undefined ? entry : M.id(i);
      if (entries.indexOf(id) >= 0) return;
      entries.push(id);
      if (i === undefined) unknown.push(entry);
    });
    marked = entries;
    changed({ imported: true });
    return { imported: entries.length - unknown.length, unknown: unknown };
  }

  function overLimit(size) {
    return size > LIMITS.bytes ? { error: "the file is " + size.toLocaleString("en-US") +
      " bytes, over the progress file limit of " + LIMITS.bytes.toLocaleString("en-US") + " bytes" } : null;
  }

  /** Read a progress file's bytes (an ArrayBuffer) or text, within the limits graph/progress.py applies:
   * its size in bytes, its encoding (UTF-8, a byte-order mark dropped), its depth and aliases. */
  function parseProgress(text) {
    if (text instanceof ArrayBuffer) {
      const tooBig = overLimit(text.byteLength);
      if (tooBig) return tooBig;
      try {
        text = new TextDecoder(LIMITS.encodings[0], { fatal: true }).decode(text);
      } catch (error) {
        return { error: "the file is not valid " + LIMITS.encodings[0].toUpperCase() };
      }
    }
    if (typeof text !== "string") return { error: "not a text file" };
    const over = overLimit(new TextEncoder().encode(text).length);
    if (over) return over;
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let documents;
    try {
      documents = window.jsyaml.loadAll(text, { schema: window.jsyaml.YAML11_SCHEMA, maxDepth: LIMITS.depth,
        maxAliases: LIMITS.aliases });
    } catch (error) {
      const where = error && error.mark && typeof error.mark.line === "number" ? "line " + (error.mark.line + 1) + ": " : "";
      const reason = error && typeof error.reason === "string" ? error.reason : "not valid YAML";
      return { error: where + reason };
    }
    if (documents.length > 1) return { error: "expected one YAML document, found " + documents.length };
    const root = documents.length ? documents[0] : null;
    if (root === null || root === undefined) return { ids: [] };
    if (typeof root !== "object" || Array.isArray(root)) return { error: "expected a mapping with the key 'known:'" };
    const keys = Object.keys(root);
    if (keys.length !== 1 || keys[0] !== "known") return { error: "expected only the key 'known:' (a list of ids)" };
    const list = root.known;
    if (list === null || list === undefined) return { ids: [] };
    if (!Array.isArray(list)) return { error: "'known' must be a list of ids" };
    for (let k = 0; k < list.length; k++) {
      if (typeof list[k] !== "string") return { error: "entry " + (k + 1) + " of 'known' is not an id (text)" };
    }
    return { ids: list.slice() };
  }

  // Another tab of the same map changed the progress.
  window.addEventListener("storage", (event) => {
    if (event.key === KEY) {
      read();
      listeners.forEach((f) => f({ elsewhere: true }));
    }
  });

  read();

  GP.progress = {
    key: KEY,
    problem: function () { return storageProblem; },
    known: function () { return known; },
    isKnown: function (i) { return known.has(i); },
    marked: function () { return marked.slice(); },
    setKnown: setKnown,
    reset: reset,
    exportText: exportText,
    importText: importText,
    onChange: function (f) { listeners.push(f); }
  };
  performance.mark("graph:progress");
})(window.GraphPage = window.GraphPage || {});
