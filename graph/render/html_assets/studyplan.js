/* Study plans in the page: a faithful port of graph.plan (known_closure, the depth-first
 * study_plan, its totals) and graph.query.next_steps, so the list equals `graph order`.
 * Nodes are numbers: a node's number is its rank in the files. */
(function (GP) {
  "use strict";

  const M = GP.model;
  const pred = M.pred;
  const succ = M.succ;

  /** Every node reached from ``starts`` over ordering edges (not the starts themselves, unless reached);
   * ``requiredOnly``: over required edges only, as if recommendations did not order study. */
  function reach(starts, adjacency, end, skipAnyOf, requiredOnly) {
    const seen = new Set();
    const stack = starts.slice();
    while (stack.length) {
      const list = adjacency[stack.pop()];
      for (let k = 0; k < list.length; k++) {
        const e = list[k];
        if (!e.orders || (skipAnyOf && e.anyOf !== null) || (requiredOnly && e.strength !== "required")) continue;
        const next = e[end];
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    return seen;
  }

  /** graph.plan.ancestors: what node ``i`` needs. */
  function ancestors(i) { return reach([i], pred, "from", false); }

  /** graph.plan.descendants: what needs node ``i``. */
  function descendants(i) { return reach([i], succ, "to", false); }

  /** graph.plan.known_closure: ``ids`` plus everything they need (any-of edges are not followed). */
  function knownClosure(ids) {
    const found = reach(ids, pred, "from", true);
    ids.forEach((i) => found.add(i));
    return found;
  }

  function byRank(a, b) { return a - b; }

  /** graph.plan._postorder: ``target`` and all it reaches, each after what it reaches; ``entered``
   * records the nodes entered so far (``prerequisites`` may read it). */
  function postorder(target, prerequisites, entered) {
    const order = [];
    entered.add(target);
    const stack = [[target, prerequisites(target), 0]];
    while (stack.length) {
      const top = stack[stack.length - 1];
      const todo = top[1];
      let pushed = false;
      while (top[2] < todo.length) {
        const u = todo[top[2]++];
        if (!entered.has(u)) {
          entered.add(u);
          stack.push([u, prerequisites(u), 0]);
          pushed = true;
          break;
        }
      }
      if (!pushed) {
        stack.pop();
        order.push(top[0]);
      }
    }
    return order;
  }

  function hoursOf(i) {
    return typeof M.nodes[i].hours === "number" ? M.nodes[i].hours : 0;
  }

  /** graph.plan.study_plan with strategy "depth": the steps to reach ``target`` knowing ``known`` (numbers).
   * Of each any-of group a step needs, a known member satisfies it; else a member not discontinued (unless
   * all are) that adds the fewest hours: its own and all it needs, less what is known, what the target needs
   * anyway (not through alternatives) and what the walk has entered (then file order). */
  function studyPlan(target, known) {
    const knownList = Array.from(new Set(known));
    const knownSet = knownClosure(knownList);
    const entered = new Set();
    const needs = new Map();
    const soft = new Set();
    const deeper = new Map();
    const choices = new Map();

    let mandatory = null; // what the target needs whichever alternatives are taken: made at the first group

    function cost(node) {
      if (mandatory === null) mandatory = reach([target], pred, "from", true);
      const counts = (n) => !knownSet.has(n) && !mandatory.has(n) && !entered.has(n);
      let hours = counts(node) ? hoursOf(node) : 0;
      ancestors(node).forEach((n) => { if (counts(n)) hours += hoursOf(n); });
      return [M.nodes[node].discontinued === true ? 1 : 0, hours];
    }

    function prerequisites(node) {
      const found = [];
      let groups = null;
      const list = pred[node];
      for (let k = 0; k < list.length; k++) {
        const e = list[k];
        if (e.orders) {
          if (e.anyOf !== null) {
            if (groups === null) groups = new Map();
            if (!groups.has(e.anyOf)) groups.set(e.anyOf, { members: [], position: e.predPosition });
            const g = groups.get(e.anyOf);
            g.members.push(e.from);
            if (e.predPosition < g.position) g.position = e.predPosition;
          } else if (!knownSet.has(e.from)) {
            found.push(e.from);
          }
        } else if (e.strength === "recommended") {
          soft.add(e.from);
        } else if (e.strength === "deepening") {
          if (!deeper.has(node)) deeper.set(node, []);
          deeper.get(node).push(e.from);
        }
      }
      if (groups !== null) {
        const picks = [];
        // In the order graph.plan meets them: the order of the edges into the node in the files.
        Array.from(groups.entries()).sort((a, b) => a[1].position - b[1].position).forEach((entry) => {
          const group = entry[0];
          const members = entry[1].members.sort(byRank);
          const knownMembers = members.filter((m) => knownSet.has(m));
          let picked;
          if (knownMembers.length) {
            picked = knownMembers[0];
          } else {
            let best = null;
            members.forEach((m) => {
              const c = cost(m);
              if (best === null || c[0] < best[0] || (c[0] === best[0] && c[1] < best[1])) { best = c; picked = m; }
            });
            found.push(picked);
          }
          picks.push({ group: group, picked: picked, known: knownMembers.length > 0,
                       alternatives: members.filter((m) => m !== picked) });
        });
        choices.set(node, picks);
      }
      if (found.length > 1) found.sort(byRank);
      needs.set(node, found);
      return found;
    }

    const order = knownSet.has(target) ? [] : postorder(target, prerequisites, entered);
    const needed = knownSet.size ? ancestors(target).add(target) : new Set();
    const skipped = Array.from(needed).filter((i) => knownSet.has(i)).sort(byRank);
    const neededFor = new Map(order.map((i) => [i, []]));
    order.slice().sort(byRank).forEach((node) => {
      needs.get(node).forEach((u) => neededFor.get(u).push(node));
    });
    const recommended = Array.from(soft).filter((i) => !neededFor.has(i) && !knownSet.has(i)).sort(byRank);
    const deepOf = new Map();
    const deepening = new Set();
    deeper.forEach((us, node) => {
      if (!neededFor.has(node)) return;
      const kept = us.filter((u) => !neededFor.has(u) && !knownSet.has(u)).sort(byRank);
      deepOf.set(node, kept);
      kept.forEach((u) => deepening.add(u));
    });
    // With recommendations ordering study, what the target does not need through required edges is there for them.
    const hard = M.data.ordering.indexOf("recommended") >= 0 ? reach([target], pred, "from", false, true).add(target) : null;
    const steps = order.map((i, k) => {
      const hours = stepHours(i, (v) => neededFor.has(v) || knownSet.has(v));
      return {
        number: k + 1, node: i, id: M.id(i), hours: hours[0], wholeHours: hours[1],
        neededFor: neededFor.get(i), choices: choices.get(i) || [], deeper: deepOf.get(i) || [],
        recommended: hard !== null && !hard.has(i)
      };
    });
    return { target: target, known: knownList, knownSet: knownSet, steps: steps, skipped: skipped,
             recommended: recommended, deepening: Array.from(deepening).sort(byRank), totals: totals(steps) };
  }

  /** A step's hours and, for a resource whose parts teach ``counted`` nodes, its own hours (graph.plan._rest_of):
   * those parts are counted in their steps, the resource step keeps the rest. */
  function stepHours(i, counted) {
    const hours = M.nodes[i].hours;
    if (typeof hours !== "number") return [null, null];
    if (M.nodes[i].kind !== "resource") return [hours, null];
    let taken = 0;
    succ[i].forEach((e) => { if (e.teaches && e.partHours !== null && counted(e.to)) taken += e.partHours; });
    return taken ? [Math.max(0, hours - taken), hours] : [hours, null];
  }

  /** graph.plan.Plan.totals: steps, hours (steps without hours count 0), steps to study that give no hours,
   * and noEstimates (no step to study gives hours, as in an imported map). */
  function totals(steps) {
    let hours = 0;
    let without = 0;
    let studied = 0;
    steps.forEach((s) => {
      const studiedStep = M.nodes[s.node].kind !== "degree";
      if (studiedStep) studied += 1;
      if (s.hours === null) {
        if (studiedStep) without += 1;
      } else {
        hours += s.hours;
      }
    });
    return { steps: steps.length, hours: hours, stepsWithoutHours: without,
             noEstimates: without > 0 && !hours && without === studied };
  }

  /** graph.query.next_steps: what can be studied now, in file order (``known``: a closed set of numbers);
   * of an any-of group, one known member is enough. */
  function nextSteps(known, target) {
    const pool = target === null || target === undefined ? null : ancestors(target).add(target);
    const found = [];
    for (let i = 0; i < M.nodes.length; i++) {
      if (known.has(i) || (pool !== null && !pool.has(i))) continue;
      if (M.nodes[i].kind === "resource" && !succ[i].some((e) => e.orders)) continue;
      let ready = true;
      const groups = new Map();
      const list = pred[i];
      for (let k = 0; k < list.length && ready; k++) {
        const e = list[k];
        if (!e.orders) continue;
        if (e.anyOf !== null) groups.set(e.anyOf, groups.get(e.anyOf) === true || known.has(e.from));
        else if (!known.has(e.from)) ready = false;
      }
      groups.forEach((met) => { if (!met) ready = false; });
      if (ready) found.push(i);
    }
    return found;
  }

  GP.studyplan = {
    ancestors: ancestors,
    descendants: descendants,
    knownClosure: knownClosure,
    studyPlan: studyPlan,
    nextSteps: nextSteps
  };
  performance.mark("graph:studyplan");
})(window.GraphPage = window.GraphPage || {});
