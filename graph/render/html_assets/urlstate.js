/* The view in the URL's hash: #node=ID selects a node, #target=ID shows the plan to ID, both
 * together work (#node=a&target=b). Each selection adds a history entry, so Back and Forward
 * walk the selections and a copied address reopens the same view. */
(function (GP) {
  "use strict";

  const M = GP.model;
  let applying = false;

  /** The ids in the hash (strings, or null) and the unknown ones, as ``{node, target, unknown}``. */
  function read() {
    const params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    const found = { node: null, target: null, unknown: [] };
    ["node", "target"].forEach((key) => {
      const value = params.get(key);
      if (value === null || value === "") return;
      const i = M.find(value);
      if (i === undefined) found.unknown.push([key, value]);
      else found[key] = i;
    });
    return found;
  }

  function format(node, target) {
    const params = new URLSearchParams();
    if (node !== null) params.set("node", M.id(node));
    if (target !== null) params.set("target", M.id(target));
    const text = params.toString();
    return text ? "#" + text : "";
  }

  /** Record the view (node and target numbers, or null) as a new history entry, if it changed. */
  function push(node, target) {
    if (applying) return;
    const hash = format(node, target);
    if (hash === window.location.hash || (hash === "" && window.location.hash === "#")) return;
    if (hash === "") {
      history.pushState(null, "", window.location.pathname + window.location.search);
    } else {
      history.pushState(null, "", hash);
    }
  }

  /** Call ``apply(state)`` now and whenever the hash changes (Back, Forward, an edited address). */
  function follow(apply) {
    function run() {
      applying = true;
      try {
        apply(read());
      } finally {
        applying = false;
      }
    }
    window.addEventListener("popstate", run);
    window.addEventListener("hashchange", run);
    run();
  }

  GP.urlstate = { read: read, push: push, follow: follow };
  performance.mark("graph:urlstate");
})(window.GraphPage = window.GraphPage || {});
