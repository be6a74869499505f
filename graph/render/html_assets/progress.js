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

  /** The nodes each id, name and alias names as graph.lookup.fold compares them: ``Map`` of folded label to
   * node numbers in file order (made once an import, as graph.lookup.resolver folds the labels once). */
  function labelIndex() {
    const index = new Map();
    M.nodes.forEach((d, i) => {
      [d.id, d.name].concat(d.aliases || []).forEach((label) => {
        if (typeof label !== "string") return;
        const key = fold(label);
        if (!index.has(key)) index.set(key, []);
        if (index.get(key).indexOf(i) < 0) index.get(key).push(i);
      });
    });
    return index;
  }

  /** graph.lookup.resolve: the node an entry names (an id, or one node's id, name or alias in any case,
   * spaces, underscores and hyphens alike), or undefined. */
  function resolve(entry, index) {
    const exact = M.find(entry);
    if (exact !== undefined) return exact;
    const found = index.get(fold(entry)) || [];
    return found.length === 1 ? found[0] : undefined;
  }

  // ---- "did you mean": graph.lookup.suggest, with Python's difflib.get_close_matches (cutoff 0.75) ----

  /** difflib.SequenceMatcher's ratio of ``a`` to ``b`` (arrays of characters; ``b2j``: where each character
   * of ``b`` stands, its popular characters dropped when ``b`` has 200 or more, as CPython's autojunk does). */
  function ratio(a, b, b2j) {
    let matches = 0;
    const queue = [[0, a.length, 0, b.length]];
    while (queue.length) {
      const [alo, ahi, blo, bhi] = queue.pop();
      let besti = alo;
      let bestj = blo;
      let bestsize = 0;
      let j2len = new Map();
      for (let i = alo; i < ahi; i++) {
        const next = new Map();
        for (const j of b2j.get(a[i]) || []) {
          if (j < blo) continue;
          if (j >= bhi) break;
          const k = (j2len.get(j - 1) || 0) + 1;
          next.set(j, k);
          if (k > bestsize) { besti = i - k + 1; bestj = j - k + 1; bestsize = k; }
        }
        j2len = next;
      }
      while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) { besti--; bestj--; bestsize++; }
      while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) bestsize++;
      if (!bestsize) continue;
      matches += bestsize;
      if (alo < besti && blo < bestj) queue.push([alo, besti, blo, bestj]);
      if (besti + bestsize < ahi && bestj + bestsize < bhi) queue.push([besti + bestsize, ahi, bestj + bestsize, bhi]);
    }
    return a.length + b.length ? 2 * matches / (a.length + b.length) : 1;
  }

  /** difflib.get_close_matches(word, possibilities, n, 0.75): the best first, equal scores in reverse order. */
  function closeMatches(word, possibilities, n) {
    const b = Array.from(word);
    const b2j = new Map();
    const counts = new Map();
    b.forEach((c, j) => {
      if (!b2j.has(c)) b2j.set(c, []);
      b2j.get(c).push(j);
      counts.set(c, (counts.get(c) || 0) + 1);
    });
    if (b.length >= 200) {
      const most = Math.floor(b.length / 100) + 1;
      Array.from(b2j.keys()).forEach((c) => { if (b2j.get(c).length > most) b2j.delete(c); });
    }
    const cutoff = 0.75;
    const found = [];
    possibilities.forEach((x) => {
      const a = Array.from(x);
      const total = a.length + b.length;
      if (total && 2 * Math.min(a.length, b.length) / total < cutoff) return; // real_quick_ratio
      const avail = new Map();
      let common = 0;
      a.forEach((c) => {
        const left = avail.has(c) ? avail.get(c) : (counts.get(c) || 0);
        avail.set(c, left - 1);
        if (left > 0) common++;
      });
      if (total && 2 * common / total < cutoff) return; // quick_ratio
      const score = ratio(a, b, b2j);
      if (score >= cutoff) found.push([score, x]);
    });
    found.sort((p, q) => q[0] - p[0] || (q[1] < p[1] ? -1 : q[1] > p[1] ? 1 : 0));
    return found.slice(0, n).map((p) => p[1]);
  }

  /** graph.lookup.suggest: up to 3 ids whose id, name or alias resembles ``text`` or starts with it (``index``:
   * :func:`labelIndex`; a label stands for the first node it names). */
  function suggest(text, index) {
    const wanted = fold(text);
    const labels = Array.from(index.keys());
    const first = (label) => M.id(index.get(label)[0]);
    const exact = index.has(wanted) ? [first(wanted)] : [];
    const starting = wanted.length >= 3 ? labels.filter((label) => label.startsWith(wanted)) : [];
    return Array.from(new Set(exact.concat(closeMatches(wanted, labels, 9).concat(starting).map(first)))).slice(0, 3);
  }

  const SUGGESTED = 10; // entries the message names, each with its "did you mean" (graph/marks.py: the first 50)

  /** What graph/marks.py warns of an entry this map does not have: its line, and "did you mean" or the nodes
   * it names (``hint``), for the first few. */
  function unknownEntry(entry, line, k, index) {
    const several = index.get(fold(entry)) || [];
    let hint = "";
    if (several.length > 1) {
      hint = "names " + several.length + " nodes: " + several.map(M.id).join(", ") + "; give one of these ids";
    } else if (k < SUGGESTED) {
      const close = suggest(entry, index);
      if (close.length) hint = "did you mean " + close.map((id) => "'" + id + "'").join(" or ") + "?";
    }
    return { entry: entry, line: line, hint: hint };
  }

  /** Read a progress file's bytes (or its text) as graph/marks.py does; replace the progress with its entries, each
   * once, as ids where this map has them; the others are kept (and exported) as written.
   * Returns ``{error}`` (nothing changed) or ``{imported, unknown}``, each unknown entry ``{entry, line, hint}``. */
  function importText(text) {
    const found = parseProgress(text);
    if (found.error) return found;
    const entries = [];
    const unknown = [];
    const index = labelIndex();
    const seen = new Set(); // a hostile file may hold 100,000 entries: no list scans
    found.ids.forEach((entry, k) => {
      const i = resolve(entry, index);
      const id = i === undefined ? entry : M.id(i);
      if (seen.has(id)) return;
      seen.add(id);
      entries.push(id);
      if (i === undefined) unknown.push(unknownEntry(entry, found.lines[k], unknown.length, index));
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
      const reason = error && typeof error.reason === "string" ? clip(error.reason, 200) : "not valid YAML"; // it may quote a tag
      return { error: where + reason };
    }
    if (documents.length > 1) return { error: "expected one YAML document, found " + documents.length };
    const root = documents.length ? documents[0] : null;
    if (root === null || root === undefined) return { ids: [], lines: [] };
    const at = places(text);
    const line = (where) => (where ? "line " + where + ": " : "");
    if (typeof root !== "object" || Array.isArray(root)) {
      return { error: line(at.root) + "expected a mapping with the key 'known:'" };
    }
    const keys = Object.keys(root);
    if (keys.length !== 1 || keys[0] !== "known") {
      return { error: line(at.badKey) + "expected only the key 'known:' (a list of ids)" };
    }
    const list = root.known;
    if (list === null || list === undefined) return { ids: [], lines: [] };
    if (!Array.isArray(list)) return { error: line(at.known) + "'known' must be a list of ids" };
    for (let k = 0; k < list.length; k++) {
      const entry = at.entries[k] || {};
      if (typeof list[k] !== "string") return { error: line(entry.line) + "each known entry must be an id (text)" };
      if (entry.end > entry.line && list[k].trim()) {
        // A '- ' indented too far continues the entry above: "derivatives - chain-rule" names nothing.
        return { error: line(entry.end) + "this line continues the entry of line " + entry.line + " (" + repr(clip(list[k], 60)) +
          "); give one id per '- ' entry, each '- ' under the one before" };
      }
    }
    return { ids: list.slice(), lines: list.map((_, k) => (at.entries[k] || {}).line) };
  }

  /** ``text`` as a message quotes it: whole up to ``n`` characters, else its first ones and an ellipsis (a hostile file's
   * entry, or a tag js-yaml's reason names, may be megabytes long). */
  function clip(text, n) {
    const chars = Array.from(text);
    return chars.length > n ? chars.slice(0, n - 1).join("") + "\u2026" : text;
  }

  /** Python's repr of a text, as graph/progress.py quotes an entry: 'a\\nb', or "it's" when it holds a quote. */
  function repr(text) {
    const quote = text.indexOf("'") >= 0 && text.indexOf('"') < 0 ? '"' : "'";
    const escaped = text.replace(/[\\\n\r\t]/g, (c) => ({ "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c]);
    return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
  }

  /** Where a progress file's parts stand, from js-yaml's events (offsets into ``text``), as PyYAML's marks give
   * them to graph/progress.py: the lines of the root, of the first key that is not the one 'known', of its value,
   * and of each entry of that list (``line``, and ``end``, the line it ends on). */
  function places(text) {
    const Y = window.jsyaml;
    const found = { root: 0, badKey: 0, known: 0, entries: [] };
    let events;
    try {
      events = Y.parseEvents(text, { maxDepth: LIMITS.depth + 1 });
    } catch (error) {
      return found;
    }
    const breaks = [];
    text.replace(/\r\n|[\r\n\x85\u2028\u2029]/g, (match, offset) => { breaks.push(offset + match.length - 1); });
    const lineOf = (offset) => { // 1-based: the breaks before ``offset``, and one
      let lo = 0;
      let hi = breaks.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (breaks[mid] < offset) lo = mid + 1; else hi = mid; }
      return lo + 1;
    };
    const start = (e) => [e.tagStart, e.anchorStart, e.valueStart, e.start].find((o) => o !== undefined && o >= 0) || 0;
    const stack = []; // each open collection: {type, items (so far), key: whether the next item of a mapping is a key}
    let keys = 0;
    for (const e of events) {
      const top = stack[stack.length - 1];
      if (e.type === Y.EVENT_DOCUMENT || e.type === Y.EVENT_POP) {
        if (e.type === Y.EVENT_POP) stack.pop();
        continue;
      }
      const depth = stack.length; // 0: the root
      if (depth === 0) found.root = lineOf(start(e));
      if (depth === 1 && top.type === Y.EVENT_MAPPING) {
        if (top.items % 2 === 0) {
          keys++;
          const name = e.type === Y.EVENT_SCALAR ? Y.getScalarValue(text, e) : null;
          if (!found.badKey && (name !== "known" || keys > 1)) found.badKey = lineOf(start(e));
        } else if (keys === 1) {
          found.known = lineOf(start(e));
        }
      }
      if (depth === 2 && top.type === Y.EVENT_SEQUENCE && stack[0].type === Y.EVENT_MAPPING) { // 'known' (checked)
        const block = e.style === Y.SCALAR_STYLE_LITERAL_BLOCK || e.style === Y.SCALAR_STYLE_FOLDED_BLOCK;
        const from = block ? Math.max(text.lastIndexOf("|", e.valueStart), text.lastIndexOf(">", e.valueStart)) : start(e);
        const end = e.type === Y.EVENT_SCALAR && e.valueEnd > e.valueStart ? e.valueEnd - 1 : from;
        found.entries.push({ line: lineOf(from), end: lineOf(end) }); // a block scalar starts at its | or >
      }
      if (top) top.items++;
      if (e.type === Y.EVENT_MAPPING || e.type === Y.EVENT_SEQUENCE) stack.push({ type: e.type, items: 0 });
    }
    return found;
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
    named: SUGGESTED, // how many of the entries this map does not have a message names
    onChange: function (f) { listeners.push(f); }
  };
  performance.mark("graph:progress");
})(window.GraphPage = window.GraphPage || {});
