/* Study plans in the page: a faithful port of graph.plan (known_closure, the depth-first
 * study_plan, its totals) and graph.query.next_steps, so the list equals `graph order`.
 * Nodes are numbers: a node's number is its rank in the files. */
(function (GP) {
  "use strict";

  const M = GP.model;
  const pred = M.pred;
  const succ = M.succ;

  /** Every node reached from ``starts`` over ordering edges (not the starts themselves, unless reached). */
  function reach(starts, adjacency, end, skipAnyOf) {
    const seen = new Set();
    const stack = starts.slice();
    while (stack.length) {
      const list = adjacency[stack.pop()];
      for (let k = 0; k < list.length; k++) {
        const e = list[k];
        if (!e.orders || (skipAnyOf && e.anyOf !== null)) continue;
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

  /** graph.plan._postorder: ``target`` and all it reaches, each after what it reaches. */
  function postorder(target, prerequisites) {
    const order = [];
    const entered = new Set([target]);
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

  /** graph.plan.study_plan with strategy "depth": the steps to reach ``target`` knowing ``known`` (numbers). */
  function studyPlan(target, known) {
    const knownList = Array.from(new Set(known));
    const knownSet = knownClosure(knownList);
    const needs = new Map();
    const soft = new Set();

    function prerequisites(node) {
      const found = [];
      const list = pred[node];
      for (let k = 0; k < list.length; k++) {
        const e = list[k];
        if (e.orders) {
          if (!knownSet.has(e.from)) found.push(e.from);
        } else if (e.strength === "recommended") {
          soft.add(e.from);
        }
      }
      if (found.length > 1) found.sort(byRank);
      needs.set(node, found);
      return found;
    }

    const order = knownSet.has(target) ? [] : postorder(target, prerequisites);
    const needed = knownSet.size ? ancestors(target).add(target) : new Set();
    const skipped = Array.from(needed).filter((i) => knownSet.has(i)).sort(byRank);
    const neededFor = new Map(order.map((i) => [i, []]));
    order.slice().sort(byRank).forEach((node) => {
      needs.get(node).forEach((u) => neededFor.get(u).push(node));
    });
    const recommended = Array.from(soft).filter((i) => !neededFor.has(i) && !knownSet.has(i)).sort(byRank);
    const steps = order.map((i, k) => ({
      number: k + 1, node: i, id: M.id(i),
      hours: typeof M.nodes[i].hours === "number" ? M.nodes[i].hours : null,
      neededFor: neededFor.get(i)
    }));
    return { target: target, known: knownList, knownSet: knownSet, steps: steps, skipped: skipped,
             recommended: recommended, totals: totals(steps) };
  }

  /** graph.plan.Plan.totals: steps, hours (steps without hours count 0), steps to study that give no hours. */
  function totals(steps) {
    let hours = 0;
    let without = 0;
    steps.forEach((s) => {
      if (s.hours === null) {
        if (M.nodes[s.node].kind !== "degree") without += 1;
      } else {
        hours += s.hours;
      }
    });
    return { steps: steps.length, hours: hours, stepsWithoutHours: without };
  }

  /** graph.query.next_steps: what can be studied now, in file order (``known``: a closed set of numbers). */
  function nextSteps(known, target) {
    const pool = target === null || target === undefined ? null : ancestors(target).add(target);
    const found = [];
    for (let i = 0; i < M.nodes.length; i++) {
      if (known.has(i) || (pool !== null && !pool.has(i))) continue;
      if (M.nodes[i].kind === "resource" && !succ[i].some((e) => e.orders)) continue;
      if (pred[i].every((e) => !e.orders || known.has(e.from))) found.push(i);
    }
    return found;
  }

  /** The fewest ids whose closure is ``closed`` (a set closed under what its members need), in file order. */
  function frontier(closed) {
    return Array.from(closed).filter((i) => !succ[i].some((e) => e.orders && e.anyOf === null && closed.has(e.to)))
      .sort(byRank);
  }

  GP.studyplan = {
    ancestors: ancestors,
    descendants: descendants,
    knownClosure: knownClosure,
    studyPlan: studyPlan,
    nextSteps: nextSteps,
    frontier: frontier
  };
})(window.GraphPage = window.GraphPage || {});
