"""Generate a random prerequisite DAG in the project's data format, for benchmarks.

The graph is acyclic by construction: the nodes are put in a random order and
every edge goes from a node earlier in that order to one later in it. Each node
draws its number of prerequisites around ``mean_prereqs``; most prerequisites are
near it in the order (so chains grow deep, as in a real map), some anywhere
before it. Ids are slugs; a share of the nodes also has a summary, hours and an
area, so the reader sees the field mix of real data.

As a module::

    from benchmarks.generate import generate, write
    data = generate(10_000, mean_prereqs=2.8, seed=1)
    write(data, "/tmp/g10k")          # nodes.yaml + edges.yaml
    data.deepest                       # the node with the longest chain of prerequisites
    data.chain                         # that chain, from a node that needs nothing to the deepest

As a script::

    python benchmarks/generate.py 10000 /tmp/g10k [--mean 2.8] [--seed 1]

prints the number of nodes and edges and the deepest node.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Generated", "generate", "write"]

_AREAS = ("calculus", "linear-algebra", "probability", "statistics", "optimization",
          "information-theory", "graph-theory", "numerical-methods", "machine-learning", "topology")
_WORDS = ("vector", "matrix", "kernel", "gradient", "series", "measure", "entropy", "graph", "norm",
          "space", "field", "group", "chain", "tensor", "flow", "bound", "map", "basis", "limit", "set")
_LOCAL_SHARE = 0.8   # share of prerequisites drawn near the node in the order
_LOCAL_SCALE = 20    # mean distance back in the order of a near prerequisite


@dataclass
class Generated:
    """A generated graph: node ids and fields in file order, edges, and facts about it."""

    nodes: list[dict]
    edges: list[tuple[str, str]]
    deepest: str  # the node with the longest chain of prerequisites (ties: first in the order)
    depth: int    # edges on that chain
    seed: int
    chain: tuple = ()  # that chain's nodes, from the one that needs nothing to the deepest


def _node_id(rng: random.Random, index: int) -> str:
    return f"{rng.choice(_WORDS)}-{rng.choice(_WORDS)}-{index}"


def generate(n: int, mean_prereqs: float = 2.8, seed: int = 0) -> Generated:
    """Return a random DAG of ``n`` topics with about ``mean_prereqs`` prerequisites per node."""
    if n < 1:
        raise ValueError("n must be at least 1")
    if mean_prereqs < 0:
        raise ValueError("mean_prereqs must be >= 0")
    rng = random.Random(seed)
    ids = [_node_id(rng, i) for i in range(n)]  # unique: the index is part of the id
    order = list(range(n))
    rng.shuffle(order)  # order[k]: the node at position k of the topological order

    edges: list[tuple[int, int]] = []
    level = [0] * n  # longest chain of prerequisites ending at each position
    via = [-1] * n  # the prerequisite that chain comes through
    for k in range(1, n):
        # Poisson-like count: a sum of coin flips with the wanted mean, capped by k.
        want = min(k, _count(rng, mean_prereqs))
        chosen: set[int] = set()
        tries = 0
        while len(chosen) < want and tries < 4 * want + 4:
            tries += 1
            if rng.random() < _LOCAL_SHARE:
                back = 1 + int(rng.expovariate(1 / _LOCAL_SCALE))
                j = k - back
                if j < 0:
                    continue
            else:
                j = rng.randrange(k)
            chosen.add(j)
        for j in sorted(chosen):
            edges.append((j, k))
            if level[j] + 1 > level[k]:
                level[k], via[k] = level[j] + 1, j

    depth = max(level)
    chain = [level.index(depth)]
    while via[chain[-1]] >= 0:
        chain.append(via[chain[-1]])
    deepest = ids[order[chain[0]]]

    nodes = []
    for i, node_id in enumerate(ids):
        node = {"id": node_id, "name": node_id.replace("-", " ").capitalize(), "kind": "topic"}
        if rng.random() < 0.5:
            node["summary"] = f"What a learner needs to know about {node['name'].lower()}."
        if rng.random() < 0.6:
            node["hours"] = rng.choice((1, 2, 3, 5, 8, 0.5, 1.5))
        if rng.random() < 0.7:
            node["area"] = rng.choice(_AREAS)
        nodes.append(node)

    pairs = [(ids[order[j]], ids[order[k]]) for j, k in edges]
    rng.shuffle(pairs)
    # Group the edges by target, as authors do, keeping the targets in random order.
    first = {}
    for _, target in pairs:
        first.setdefault(target, len(first))
    pairs.sort(key=lambda e: first[e[1]])
    return Generated(nodes, pairs, deepest, depth, seed, tuple(ids[order[k]] for k in reversed(chain)))


def _count(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    trials = max(1, int(mean * 4))
    p = mean / trials
    return sum(rng.random() < p for _ in range(trials))


def _scalar(value) -> str:
    if isinstance(value, str):
        # Generated text is plain words, digits, spaces, '-' and '.': safe unquoted,
        # except that ': ' or ' #' never occur. Quote anyway when in doubt.
        if value and value[0].isalpha() and ": " not in value and " #" not in value:
            return value
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def write(data: Generated, folder: str | Path) -> Path:
    """Write ``data`` as ``nodes.yaml`` and ``edges.yaml`` in ``folder`` (created); return the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = [f"# Generated by benchmarks/generate.py: {len(data.nodes):,} nodes, seed {data.seed}.\n", "nodes:\n"]
    for node in data.nodes:
        items = iter(node.items())
        name, value = next(items)
        out.append(f"  - {name}: {_scalar(value)}\n")
        out.extend(f"    {name}: {_scalar(value)}\n" for name, value in items)
    (folder / "nodes.yaml").write_text("".join(out), encoding="utf-8")
    out = [f"# Generated by benchmarks/generate.py: {len(data.edges):,} edges, seed {data.seed}.\n", "edges:\n"]
    out.extend(f"  - from: {u}\n    to: {v}\n" for u, v in data.edges)
    (folder / "edges.yaml").write_text("".join(out), encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of nodes")
    parser.add_argument("outdir", help="folder to write nodes.yaml and edges.yaml into")
    parser.add_argument("--mean", type=float, default=2.8, help="mean prerequisites per node (default 2.8)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("n must be at least 1")
    data = generate(args.n, args.mean, args.seed)
    write(data, args.outdir)
    print(f"{args.outdir}: {len(data.nodes):,} nodes, {len(data.edges):,} edges; "
          f"deepest node {data.deepest} ({data.depth} edges deep)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
