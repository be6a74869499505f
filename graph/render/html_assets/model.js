/* The page's data and its indexes: nodes by number (file order), edges in and out.
 * Everything else reads the graph through GraphPage.model. */
(function (GP) {
  "use strict";

  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const nodes = data.nodes; // details of each node, in file order: the index is the file rank
  const index = new Map();
  nodes.forEach((d, i) => index.set(d.id, i));
  const pred = nodes.map(() => []);
  const succ = nodes.map(() => []);
  const ordering = new Set(data.ordering);
  const edges = data.edges.map((row, n) => {
    const look = data.looks[row[2]];
    const edge = {
      n: n, from: row[0], to: row[1], look: look,
      relation: look.relation, strength: look.strength, teaches: look.teaches,
      anyOf: row.length > 3 ? row[3] : null,
      predPosition: row.length > 4 ? row[4] : -1,
      why: Object.prototype.hasOwnProperty.call(data.why, n) ? data.why[n] : null,
      part: Object.prototype.hasOwnProperty.call(data.parts, n) ? data.parts[n] : null,
      partHours: Object.prototype.hasOwnProperty.call(data.partHours, n) ? data.partHours[n] : null,
      partUrl: data.partUrls && Object.prototype.hasOwnProperty.call(data.partUrls, n) ? data.partUrls[n] : null
    };
    // An edge orders study when its strength is one the page follows (graph.model.ordering_strengths).
    edge.orders = ordering.has(edge.strength);
    succ[row[0]].push(edge);
    pred[row[1]].push(edge);
    return edge;
  });
  const drawn = data.drawn === null ? nodes.map((_, i) => i) : data.drawn;

  GP.model = {
    data: data,
    nodes: nodes,
    edges: edges,
    pred: pred,
    succ: succ,
    drawn: drawn,
    drawnSet: new Set(drawn),
    /** The number of a node id, or undefined. */
    find: function (id) { return index.get(String(id)); },
    id: function (i) { return nodes[i].id; },
    name: function (i) { return nodes[i].name; },
    /** The resources that teach node ``i``: preferred first, then free, then file order (graph.plan.resources_for). */
    teachers: function (i) {
      return GP.model.teaching(i).map((e) => e.from);
    },
    /** The edges by which resources teach node ``i``, in the order of ``teachers``. */
    teaching: function (i) {
      const found = pred[i].filter((e) => e.teaches);
      return found.sort((p, q) => (nodes[q.from].preferred === true) - (nodes[p.from].preferred === true) ||
        (nodes[q.from].free === true) - (nodes[p.from].free === true) || p.from - q.from);
    }
  };
  performance.mark("graph:model");
})(window.GraphPage = window.GraphPage || {});
