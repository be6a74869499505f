"""Time the ``graph`` command line against its floors, on random graphs and on the bundled map.

Every command runs as a whole process (``python -m graph --data DIR ...``), as a
user runs it: cold (``--no-cache``), first (an empty cache folder: parse and
write the cache) and warm (the cache filled). Beside them, in the same run, the
floors: a process that only loads the two YAML files with
``yaml.load(f, Loader=yaml.CSafeLoader)``, and one that only runs
``import networkx, yaml, click``. Time is the wall-clock time of the best of the
repetitions (the machine may be busy; the best is the least disturbed), memory
the peak resident set of the process (``os.wait4``'s rusage).

    python benchmarks/run.py            # N = 1,000, 10,000, 100,000 (+ 5,000 and 20,000 for the page): several minutes
    python benchmarks/run.py --quick    # N = 200 and 1,000, one repetition: under a minute, for CI

Beside them, the map's layout: its crossings beside Graphviz ``dot``'s on the
bundled map, a generated 1,000-node map (not with ``--quick``) and metacademy
where present, and its time at 1,000, 5,000 and 20,000 nodes.

Prints a Markdown table (also written to ``--markdown``) and writes every
sample as JSON (``--json``). It is a benchmark, not a test: it never fails on a
time, only when a command fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate, write  # noqa: E402

FLOOR_YAML = """
import sys, yaml
for name in ("nodes.yaml", "edges.yaml"):
    with open(sys.argv[1] + "/" + name, "rb") as f:
        yaml.load(f, Loader=yaml.CSafeLoader)
"""
FLOOR_YAML_NO_GC = "import gc; gc.disable()\n" + FLOOR_YAML
FLOOR_IMPORT = "import networkx, yaml, click"
HTML_TIMER = """
import json, sys, time
from graph.load import load_graph
graph = load_graph(sys.argv[1])
start = time.perf_counter()
from graph.render.html import render_html
page = render_html(graph)
seconds = time.perf_counter() - start
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write(page)
print(json.dumps({"seconds": seconds, "bytes": len(page.encode("utf-8"))}))
"""
WARM_UP = """
import click, networkx, yaml, platformdirs, json, hashlib, tempfile
import graph.cli, graph.cache, graph.load, graph.plan, graph.query, graph.progress, graph.output
import graph.render.text, graph.render.json, graph.render.markdown, graph.render.html
"""
TARGETS = {
    "startup": 1.3,      # bundled map, warm: each query within 1.3x the import floor
    "cold": 1.25,        # 100,000 nodes: each command within 1.25x the CSafeLoader floor
    "warm": 10.0,        # 100,000 nodes: a warm query at least 10x faster than the CSafeLoader floor
    "rss_mib": 1024,     # 100,000 nodes: peak RSS under 1 GiB
    "html_generate": 5.0,  # 5,000 nodes: page generated within 5 s
    "html_command": 5.0,   # 20,000 nodes: `graph html` (warm) within 5 s
    "ready": {5000: 2.0, 20000: 4.0},  # the page ready in headless Chromium within these seconds
    "click_ms": 200,       # 5,000 nodes: a click on a node whose chain holds 90% of them, to its lit frame
    "small": {100_000: 1.5, 1_000_000: 2.0},  # warm small answers (the index): within these times the import floor
    "small_rss_mib": 150,  # 100,000 nodes: a small answer's peak RSS
    "order_parse": 0.10,   # 100,000 nodes: warm order --format json within this share of the CSafeLoader floor
}
# The answers the index gives: one node, one level of prerequisites, a search for an id's start, and the
# completion of an id (what the shell asks for at each Tab). Run warm; cold and first as the others.
SMALL = ("show", "prereqs1", "search", "complete")
# Also from the index, shown beside them and not held to their target: why a node two edges above the
# deepest (along its longest chain) is needed for it, and what one who knows a topic that needs nothing can start on (the map's other
# such topics among it: thousands on a generated map).
ALSO_SMALL = ("path", "next")
INDEX_TIMER = """
import json, sys, time
from pathlib import Path
from graph import cache, index
from graph.load import load
from graph.validate import REDUNDANT_LIMIT
data = Path(sys.argv[1])
loaded = load(data)
nodes, edges = data / "nodes.yaml", data / "edges.yaml"
start = time.perf_counter()
index.write_index(nodes, edges, loaded, cache.key(nodes, edges, REDUNDANT_LIMIT))
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "bytes": index.location(data).stat().st_size,
                  "fts5": index._has_fts5()}))
"""
CLICK_CHAIN_SHARE = 0.9
# Timed and shown, but not held to the warm target: the tree text of the deepest topic repeats its
# indentation on every line (220 MB on 100,000 nodes, nine times the JSON), and writing it is its time.
OUTPUT_BOUND = {"tree"}


# Starts each process timed and waits for it, for a Runner: a process's peak RSS as the kernel reports it
# is at least the peak of the process it was forked from, and this one stays small while the benchmark
# grows (a generated map of 1,000,000 nodes holds gigabytes).
SPAWNER = """
import json, os, subprocess, sys, time
for line in sys.stdin:
    job = json.loads(line)
    with open(job["out"], "wb") as stdout, open(job["err"], "wb") as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(job["args"], stdout=stdout, stderr=stderr, env=job["env"], cwd=job["cwd"])
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    print(json.dumps({"wall": wall, "status": status, "cpu": usage.ru_utime + usage.ru_stime,
                      "maxrss": usage.ru_maxrss}), flush=True)
"""


class Runner:
    """Runs processes, records every sample, and keeps the environment of the runs."""

    def __init__(self, workdir: Path, verbose: bool = True):
        self.workdir = workdir
        self.verbose = verbose
        self.samples: list[dict] = []
        env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPH_")}
        # As an installed package runs: with its byte code cached (in __pycache__, as Python does by default).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env = env
        self._spawner = subprocess.Popen([sys.executable, "-c", SPAWNER], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, text=True)

    def run(self, label: str, args: list, *, cache: Path | None = None, out: Path | None = None,
            env_extra: dict | None = None) -> dict:
        """Run ``args`` once; return and record wall and CPU seconds, peak RSS and exit code."""
        env = dict(self.env, **(env_extra or {}))
        if cache is not None:
            env["GRAPH_CACHE_DIR"] = str(cache)
        else:
            env["GRAPH_CACHE_DIR"] = str(self.workdir / "unused-cache")
        out = out or self.workdir / "stdout"
        job = {"args": [str(a) for a in args], "env": env, "cwd": str(self.workdir), "out": str(out),
               "err": str(self.workdir / "stderr")}
        self._spawner.stdin.write(json.dumps(job) + "\n")
        self._spawner.stdin.flush()
        done = json.loads(self._spawner.stdout.readline())
        wall = done["wall"]
        code = os.waitstatus_to_exitcode(done["status"])
        sample = {
            "label": label,
            "args": [str(a) for a in args[1:]],
            "wall": round(wall, 4),
            "cpu": round(done["cpu"], 4),
            "rss_mib": round(done["maxrss"] / 1024, 1),
            "exit": code,
            "stdout_bytes": out.stat().st_size,
        }
        if code not in (0,):
            sample["stderr"] = (self.workdir / "stderr").read_text(errors="replace")[-2000:]
            print(f"  ! {label} exited {code}: {sample['stderr'][-500:]}", file=sys.stderr)
        self.samples.append(sample)
        if self.verbose:
            print(f"  {label:<48} {wall:8.3f} s  {sample['rss_mib']:7.1f} MiB", file=sys.stderr, flush=True)
        return sample


def best(samples: list[dict]) -> dict:
    """The summary of repeated samples: best wall time, its CPU time, the largest peak RSS."""
    fastest = min(samples, key=lambda s: s["wall"])
    return {
        "wall": fastest["wall"],
        "cpu": fastest["cpu"],
        "median": round(statistics.median(s["wall"] for s in samples), 4),
        "rss_mib": max(s["rss_mib"] for s in samples),
        "runs": len(samples),
        "ok": all(s["exit"] == 0 for s in samples),
        "stdout_bytes": fastest.get("stdout_bytes"),
    }


def graph_cmd(data: Path, *args, cache: bool = True) -> list:
    return [sys.executable, "-m", "graph", "--data", data, *([] if cache else ["--no-cache"]), *args]


def two_up(chain: tuple) -> str:
    """The node two edges above the last of ``chain`` (the longest chain of a generated map) along it."""
    return chain[max(0, len(chain) - 3)]


def a_root(nodes: list, edges: list) -> str:
    """The first node in file order that no edge leads to."""
    led_to = {v for _, v in edges}
    return next((n["id"] for n in nodes if n["id"] not in led_to), nodes[0]["id"])


def small_commands(data: Path, deepest: str, above: str, root: str) -> dict:
    """The small answers' arguments (an environment with them: the completion a shell asks for); ``above``:
    a node ``deepest`` needs, for ``path``; ``root``: a node that needs nothing, known for ``next``."""
    prefix = deepest[:-1]  # an id's start, as typed: the ids of its family and of the same number's start
    return {
        "path": (["path", above, deepest, "--format", "json"], None),
        "next": (["next", "--known", root, "--format", "json"], None),
        "show": (["show", deepest, "--format", "json"], None),
        "prereqs1": (["prereqs", deepest, "--depth", "1"], None),
        "search": (["search", prefix], None),
        "complete": ([], {"_GRAPH_COMPLETE": "bash_complete", "COMP_WORDS": f"graph --data {data} show {prefix}",
                          "COMP_CWORD": "4"}),
    }


def command_line(data: Path, args: list, env: dict | None, cache: bool = True) -> tuple[list, dict | None]:
    """The process to run: ``graph`` with ``args``, or, given a completion's environment, the
    ``graph`` script as a shell runs it at a Tab (``--no-cache`` in its words when not ``cache``)."""
    if not env:
        return graph_cmd(data, *args, cache=cache), None
    words = env["COMP_WORDS"].split(" ")
    if not cache:
        words.insert(1, "--no-cache")
    env = dict(env, COMP_WORDS=" ".join(words), COMP_CWORD=str(len(words) - 1))
    return [sys.executable, "-c", "from graph.cli import main; main(prog_name='graph')"], env


def measure_size(runner: Runner, n: int, data: Path, deepest: str, above: str, root: str, reps: int, html: bool,
                 commands: bool, only: set | None = None, warm_only: bool = False) -> dict:
    """Floors and commands on one generated graph, repetitions interleaved.

    ``only``: the names of the commands to run (None: all). ``warm_only``: no cold runs; the first
    command's first run fills the cache, then every command runs warm.
    """
    work = runner.workdir
    todo = {}
    if commands:
        todo = {
            "validate": (["validate"], None),
            "order": (["order", "--target", deepest, "--format", "json"], None),
            "prereqs": (["prereqs", deepest, "--format", "json"], None),
            "tree": (["prereqs", deepest], None),  # what a user types: the tree, the largest answer
        }
        todo.update(small_commands(data, deepest, above, root))
        todo = {name: spec for name, spec in todo.items() if only is None or name in only}
    if html:
        todo["html"] = (["html", "--out", work / f"page-{n}.html"], None)  # what a user types: load, render, write
    raw: dict = {"floor_yaml": [], "floor_yaml_gc_paused": [], "floor_import": []}
    for name in todo:
        raw.update({f"{name}_cold": [], f"{name}_first": [], f"{name}_warm": []})
    cache = work / f"cache-{n}"
    for rep in range(reps):
        print(f"N={n:,} repetition {rep + 1}/{reps}", file=sys.stderr)
        raw["floor_yaml"].append(runner.run(f"N={n} floor yaml.load CSafeLoader",
                                            [sys.executable, "-c", FLOOR_YAML, data]))
        raw["floor_yaml_gc_paused"].append(runner.run(f"N={n} floor yaml.load CSafeLoader, gc paused",
                                                      [sys.executable, "-c", FLOOR_YAML_NO_GC, data]))
        raw["floor_import"].append(runner.run(f"N={n} floor import networkx, yaml, click",
                                              [sys.executable, "-c", FLOOR_IMPORT]))
        for name, (args, env) in todo.items():
            if not warm_only:
                argv, extra = command_line(data, args, env, cache=False)
                raw[f"{name}_cold"].append(runner.run(f"N={n} {name} cold", argv, env_extra=extra))
            argv, extra = command_line(data, args, env)
            if not warm_only or (rep == 0 and name == next(iter(todo))):  # warm only: the cache filled once
                shutil.rmtree(cache, ignore_errors=True)
                raw[f"{name}_first"].append(runner.run(f"N={n} {name} first", argv, cache=cache, env_extra=extra))
            raw[f"{name}_warm"].append(runner.run(f"N={n} {name} warm", argv, cache=cache, env_extra=extra))
    found = {key: best(samples) for key, samples in raw.items() if samples}
    if commands:
        timed = runner.run(f"N={n} index written in process", [sys.executable, "-c", INDEX_TIMER, data], cache=cache)
        if timed["exit"] == 0:
            found["index"] = json.loads((runner.workdir / "stdout").read_text())
    return found


def measure_large(runner: Runner, n: int, data: Path, deepest: str, above: str, root: str, reps: int) -> dict:
    """On a map too large for the other commands: the cold build (``validate`` with an empty cache
    folder: parse, check, write the cache entry and the index), then the small answers warm, against
    the import floor measured in the same run."""
    cache = runner.workdir / f"cache-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    raw: dict = {"build_first": [runner.run(f"N={n} validate first (the cold build)", graph_cmd(data, "validate"),
                                            cache=cache)], "floor_import": []}
    small = small_commands(data, deepest, above, root)
    for name in small:
        raw[f"{name}_warm"] = []
    for rep in range(reps):
        print(f"N={n:,} repetition {rep + 1}/{reps}", file=sys.stderr)
        raw["floor_import"].append(runner.run(f"N={n} floor import networkx, yaml, click",
                                              [sys.executable, "-c", FLOOR_IMPORT]))
        for name, (args, env) in small.items():
            argv, extra = command_line(data, args, env)
            raw[f"{name}_warm"].append(runner.run(f"N={n} {name} warm", argv, cache=cache, env_extra=extra))
    found = {key: best(samples) for key, samples in raw.items()}
    indexes = list(cache.glob("index-*.sqlite"))
    entries = list(cache.glob("*.json"))
    found["index"] = {"bytes": indexes[0].stat().st_size if indexes else None,
                      "entry_bytes": entries[0].stat().st_size if entries else None}
    return found


def html_page(runner: Runner, data: Path, n: int, browser: bool) -> dict:
    """Generation time of the page in Python; in headless Chromium, its ready time and the time from a
    click on the node with the largest chain to the frame that shows the chain lit."""
    page = runner.workdir / f"page-timed-{n}.html"
    cache = runner.workdir / f"cache-{n}"
    result = runner.run(f"N={n} render_html in process", [sys.executable, "-c", HTML_TIMER, data, page], cache=cache)
    found = {"generate_seconds": None, "page_bytes": None, "ready_seconds": None, "ready_wall_seconds": None}
    if result["exit"] == 0:
        found.update(json.loads((runner.workdir / "stdout").read_text()))
        found["generate_seconds"] = round(found.pop("seconds"), 3)
        found["page_bytes"] = found.pop("bytes")
    if browser and result["exit"] == 0:
        node, share = _largest_chain(data)
        found.update(_browser_ready(page, node))
        found["click_chain_share"] = round(share, 3)
    return found


def _largest_chain(data: Path) -> tuple[str, float]:
    """A node whose chain (what it needs and what needs it) holds 90% of the nodes, and that share."""
    from graph.load import load_graph
    from graph.model import ordering_strengths
    from graph.plan import ancestors, descendants

    graph = load_graph(data, use_cache=False)
    strengths = ordering_strengths()
    nodes = list(graph)
    sizes = {n: len(ancestors(graph, n, strengths)) + len(descendants(graph, n, strengths)) + 1
             for n in nodes[::max(1, len(nodes) // 400)]}
    # Of those whose chain holds the share the target asks for, the one nearest the middle of the
    # file (the middle of the drawing, where a click lands on it), else the largest.
    rank = {n: i for i, n in enumerate(nodes)}
    wide = [n for n in sizes if sizes[n] >= CLICK_CHAIN_SHARE * len(nodes)]
    node = min(wide, key=lambda n: abs(rank[n] - len(nodes) / 2)) if wide else max(sizes, key=sizes.get)
    return node, sizes[node] / len(nodes)


CLICK_TIMER = """id => {
  const net = GraphPage.map.network;
  const canvas = document.querySelector("#map canvas");
  window.__click = { start: null, drawn: null, lit: null };
  canvas.addEventListener("pointerdown", () => { window.__click.start = performance.now(); }, { capture: true, once: true });
  const drawn = () => {
    if (graphExplorer.selected() !== id) return;
    net.off("afterDrawing", drawn);
    window.__click.drawn = performance.now();
    window.__click.lit = graphExplorer.highlighted().length;
  };
  net.on("afterDrawing", drawn);
}"""


def _browser_ready(page: Path, node: str) -> dict:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"browser": "skipped: playwright is not installed"}
    executable = "/usr/bin/chromium"
    if not Path(executable).exists():
        return {"browser": f"skipped: no {executable}"}
    readies, walls, clicks, lit = [], [], [], None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            for _ in range(3):
                tab = browser.new_page(viewport={"width": 1440, "height": 900})
                start = time.perf_counter()
                tab.goto(page.as_uri())
                tab.wait_for_function("window.graphReady === true", timeout=120_000)
                walls.append(time.perf_counter() - start)
                readies.append(tab.evaluate("window.graphReadyAt") / 1000)
                # Zoomed in on the node as a person who wants to click it (at the whole map's scale it is under
                # a pixel), then a real click; the page then fits the chain: most of the map, every edge drawn.
                tab.evaluate("id => { const net = GraphPage.map.network; net.moveTo({ position: "
                             "net.getPosition(GraphPage.model.find(id)), scale: 0.8 }); }", node)
                tab.wait_for_timeout(300)
                box = tab.locator("#map canvas").bounding_box()
                at = tab.evaluate("id => graphExplorer.domPosition(id)", node)
                tab.evaluate(CLICK_TIMER, node)
                tab.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
                tab.wait_for_function("() => window.__click.drawn !== null", timeout=60_000)
                click = tab.evaluate("window.__click")
                clicks.append(click["drawn"] - click["start"])
                lit = click["lit"]
                tab.close()
        finally:
            browser.close()
    return {"ready_seconds": round(min(readies), 3), "ready_wall_seconds": round(min(walls), 3),
            "click_ms": round(min(clicks), 1), "click_ms_median": round(statistics.median(clicks), 1),
            "click_lit": lit, "click_node": node, "browser": "chromium " + executable}


def bundled(runner: Runner, reps: int) -> dict:
    """Query commands on the bundled map, cold and warm, against the import floor."""
    from graph.load import load, resolve_data_dir
    from graph.model import ordering_strengths
    from graph.plan import ancestors

    data = (ROOT / "data") if (ROOT / "data" / "nodes.yaml").is_file() else resolve_data_dir(None)
    loaded = load(data, use_cache=False)
    if loaded.errors:
        return {"data": str(data), "skipped": "the bundled map has errors"}
    graph = loaded.graph
    relations = ordering_strengths()
    needs = {n: ancestors(graph, n, relations) for n in graph}
    target = max(graph, key=lambda n: len(needs[n]))
    source = next(n for n in graph if n in needs[target] and not ancestors(graph, n, relations))
    middle = max(needs[target], key=lambda n: len(needs[n]))
    commands = {
        "validate": ["validate"],
        "order": ["order", "--target", target],
        "prereqs": ["prereqs", middle],
        "dependents": ["dependents", source],
        "path": ["path", source, target],
        "next": ["next", "--known", source],
        "show": ["show", middle],
    }
    cache = runner.workdir / "cache-bundled"
    raw: dict = {"floor_import": []}
    for name in commands:
        raw.update({f"{name}_cold": [], f"{name}_warm": []})
    runner.run("bundled: fill the cache", graph_cmd(data, "validate"), cache=cache)
    for rep in range(reps):
        print(f"bundled map repetition {rep + 1}/{reps}", file=sys.stderr)
        raw["floor_import"].append(runner.run("floor import networkx, yaml, click",
                                              [sys.executable, "-c", FLOOR_IMPORT]))
        for name, args in commands.items():
            raw[f"{name}_warm"].append(runner.run(f"bundled {name} warm", graph_cmd(data, *args), cache=cache))
            raw[f"{name}_cold"].append(runner.run(f"bundled {name} cold", graph_cmd(data, *args, cache=False)))
    heavy = _heavy_imports(runner, data, ["prereqs", middle], cache)
    return {
        "data": str(data),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "commands": {name: " ".join(map(str, args)) for name, args in commands.items()},
        "results": {key: best(samples) for key, samples in raw.items()},
        "imports_pyvis_or_jinja2": heavy,
    }


def _heavy_imports(runner: Runner, data: Path, args: list, cache: Path) -> list[str]:
    """The modules of pyvis and jinja2 that a query imports (``python -X importtime``): should be none."""
    env = dict(runner.env, GRAPH_CACHE_DIR=str(cache))
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "graph", "--data", str(data), *map(str, args)],
                         capture_output=True, text=True, env=env)
    modules = [line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")]
    return sorted({m for m in modules if m.split(".")[0] in ("pyvis", "jinja2")})


# --- the map's layout: crossings beside dot's, and its time ----------------------------------------------------

METACADEMY = ("../shared/datasets/metacademy", "../../shared/datasets/metacademy")  # beside the checkout, if there
DOT_TIMEOUT = 3600  # seconds: dot's own layout of a 1,000-node generated map takes minutes


def layout_section(workdir: Path, quick: bool, seed: int, dot_timeout: float = DOT_TIMEOUT) -> dict:
    """The crossings of the page's layout (as drawn, through its bends) beside ``dot``'s (straight segments
    between node centres), counted by one counter over every edge but ``teaches``, on the bundled map, a
    generated 1,000-node map (not with ``--quick``: dot takes minutes) and metacademy where present; and
    the layout's CPU time on generated maps of 1,000, 5,000 and 20,000 nodes."""
    from graph.crossings import counted_edges, crossings, dot_positions, drawing_segments
    from graph.layout import LAYERED_UP_TO, layout
    from graph.load import load

    if quick:
        dot_timeout = min(dot_timeout, 120)  # CI's run: a slow dot is reported, not waited for
    maps = [("bundled map", ROOT / "data")]
    if not quick:
        maps.append(("generated, 1,000 nodes", write(generate(1000, 2.8, seed), workdir / "layout-1000")))
    maps += [("metacademy", (ROOT / m).resolve()) for m in METACADEMY if (ROOT / m / "nodes.yaml").is_file()][:1]
    rows = []
    for label, folder in maps:
        graph = load(folder, use_cache=False).graph
        edges = counted_edges(graph)
        start = time.process_time()
        drawing = layout(graph)
        seconds = time.process_time() - start
        ours = crossings(drawing_segments(drawing.positions, edges, drawing.bends))
        row = {"map": label, "nodes": graph.number_of_nodes(), "edges": len(edges), "layered": drawing.layered,
               "crossings": ours, "layout_seconds": round(seconds, 3), "dot": None}
        started = time.perf_counter()
        try:
            positions = dot_positions(graph, timeout=dot_timeout)
        except (subprocess.SubprocessError, OSError) as error:
            row["dot_error"] = f"dot failed or took over {dot_timeout:.0f} s" if isinstance(
                error, subprocess.TimeoutExpired) else str(error)[:200]
            positions = None
        if positions is not None:
            row["dot"] = crossings(drawing_segments(positions, edges))
            row["dot_seconds"] = round(time.perf_counter() - started, 2)
        print(f"  layout {label}: {ours:,} crossings, dot {row['dot']}", file=sys.stderr, flush=True)
        rows.append(row)
    times = []
    for n in (1000, 5000, 20_000):
        data = generate(n, 2.8, seed)
        graph = load(write(data, workdir / f"layout-time-{n}"), use_cache=False).graph
        start = time.process_time()
        drawing = layout(graph)
        times.append({"n": n, "seconds": round(time.process_time() - start, 3), "layered": drawing.layered})
    return {"maps": rows, "times": times, "layered_up_to": LAYERED_UP_TO}


def layout_markdown(section: dict) -> list[str]:
    lines = ["", "The map's layout: edge crossings of the page's drawing (through its bends, as drawn) beside "
             "Graphviz `dot`'s (`dot -Tplain` on `digraph { rankdir=LR; node [shape=box, width=1.2, "
             "height=0.4]; ... }`, straight segments between node centres), both counted by "
             "`graph.crossings.crossings` over every edge but `teaches`, in the same run:", "",
             "| map | nodes | counted edges | page's crossings | dot's crossings | at most dot's | layout (CPU) |",
             "|---|---:|---:|---:|---:|---|---:|"]
    for r in section["maps"]:
        dot = f"{r['dot']:,}" if r["dot"] is not None else r.get("dot_error", "no dot")
        ok = "–" if r["dot"] is None else "✅" if r["crossings"] <= r["dot"] else "❌"
        lines.append(f"| {r['map']} | {r['nodes']:,} | {r['edges']:,} | {r['crossings']:,} | {dot} | {ok} "
                     f"| {_s(r['layout_seconds'])} |")
    lines += ["", f"The layout's CPU time on generated maps (layered up to {section['layered_up_to']:,} drawn "
              "nodes, the fast layout above): " + ", ".join(
                  f"{t['n']:,} nodes {_s(t['seconds'])} ({'layered' if t['layered'] else 'fast'})"
                  for t in section["times"]) + "."]
    return lines


# --- report ------------------------------------------------------------------------------------------------------

def _s(seconds) -> str:
    if seconds is None:
        return "–"
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def _x(ratio) -> str:
    return "–" if ratio is None else f"{ratio:.2f}×"


def markdown(results: dict) -> str:
    env = results["environment"]
    floor_import = results["bundled"].get("results", {}).get("floor_import", {}).get("wall")
    lines = [
        f"Machine: {env['cpus']} CPUs, Python {env['python']}, PyYAML {env['pyyaml']} (libyaml: "
        f"{env['libyaml']}), networkx {env['networkx']}; best of {results['reps']} runs; "
        f"load average {env['load_before']} before, {env['load_after']} after.",
        "",
        "Generated graphs (about 2.8 prerequisites per topic; the target is the node with the longest chain). "
        "`order`, `prereqs` and `show` print JSON; `tree` is `prereqs` as users type it, the tree text:",
        "",
        "| N | command | cold | cold ÷ YAML floor | first run | warm | YAML floor ÷ warm | warm ÷ import floor "
        "| peak RSS cold / warm | output |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in results["sizes"]:
        r = size["results"]
        floor = r["floor_yaml"]["wall"]
        lines.append(f"| {size['n']:,} | *floor: `yaml.load` CSafeLoader* ({size['edges']:,} edges) | {_s(floor)} "
                     f"| 1.00× | | | | | {r['floor_yaml']['rss_mib']:.0f} MiB | |")
        lines.append(f"| {size['n']:,} | *the same, gc paused* | {_s(r['floor_yaml_gc_paused']['wall'])} "
                     f"| {_x(r['floor_yaml_gc_paused']['wall'] / floor)} | | | | | "
                     f"{r['floor_yaml_gc_paused']['rss_mib']:.0f} MiB | |")
        floor_here = r.get("floor_import", {}).get("wall") or floor_import
        if "floor_import" in r:
            lines.append(f"| {size['n']:,} | *floor: `import networkx, yaml, click`* | | | | "
                         f"{_s(floor_here)} | | 1.00× | {r['floor_import']['rss_mib']:.0f} MiB | |")
        for name in ("validate", "order", "prereqs", "tree", *SMALL, *ALSO_SMALL, "html"):
            if f"{name}_warm" not in r:
                continue
            none = {"wall": None, "rss_mib": None}
            cold, first, warm = r.get(f"{name}_cold", none), r.get(f"{name}_first", none), r[f"{name}_warm"]
            vs_import = _x(warm["wall"] / floor_here) if floor_here else "–"
            lines.append(f"| {size['n']:,} | `{name}` | {_s(cold['wall'])} | "
                         f"{_x(cold['wall'] / floor if cold['wall'] else None)} "
                         f"| {_s(first['wall'])} | {_s(warm['wall'])} | {_x(floor / warm['wall'])} | {vs_import} "
                         f"| {_mib(cold['rss_mib'])} / {warm['rss_mib']:.0f} MiB | {_bytes(warm.get('stdout_bytes'))} |")
    indexed = [(size["n"], size["results"]["index"]) for size in results["sizes"] if "index" in size["results"]]
    if indexed:
        lines += ["", "The index (SQLite, beside the cache entry; "
                  f"full-text search {'FTS5' if indexed[0][1].get('fts5') else 'by a scan'}), written in the first "
                  "run: " + "; ".join(f"{n:,} nodes: {i['bytes'] / 1e6:,.1f} MB in {_s(i['seconds'])}"
                                      for n, i in indexed) + "."]
    for big in results.get("large", []):
        r, floor = big["results"], big["results"]["floor_import"]["wall"]
        build, sizes = r["build_first"], r["index"]
        lines += ["", f"A generated map of {big['n']:,} nodes and {big['edges']:,} edges (generated in "
                  f"{_s(big['generated_seconds'])}): the cold build (`validate` with an empty cache folder: parse, "
                  f"check, write the cache entry and the index) took {_s(build['wall'])} and "
                  f"{build['rss_mib']:,.0f} MiB at its peak; the index is "
                  f"{(sizes['bytes'] or 0) / 1e6:,.0f} MB, the cache entry {(sizes['entry_bytes'] or 0) / 1e6:,.0f} MB. "
                  "Warm, against the import floor of the same run:", "",
                  "| command | warm | warm ÷ import floor | peak RSS |", "|---|---:|---:|---:|",
                  f"| *floor: `import networkx, yaml, click`* | {_s(floor)} | 1.00× | "
                  f"{r['floor_import']['rss_mib']:.0f} MiB |"]
        for name in (*SMALL, *ALSO_SMALL):
            if f"{name}_warm" not in r:
                continue
            warm = r[f"{name}_warm"]
            lines.append(f"| `{name}` | {_s(warm['wall'])} | {_x(warm['wall'] / floor)} | {warm['rss_mib']:.0f} MiB |")
    b = results["bundled"]
    if "results" in b:
        r = b["results"]
        lines += [
            "",
            f"Bundled map ({b['nodes']} nodes, {b['edges']} edges): the import floor "
            f"(`python -c \"import networkx, yaml, click\"`) is {_s(r['floor_import']['wall'])}.",
            "",
            "| command | cold | warm | warm ÷ import floor |",
            "|---|---:|---:|---:|",
        ]
        for name, args in b["commands"].items():
            cold, warm = r[f"{name}_cold"], r[f"{name}_warm"]
            lines.append(f"| `graph {args}` | {_s(cold['wall'])} | {_s(warm['wall'])} "
                         f"| {_x(warm['wall'] / r['floor_import']['wall'])} |")
        lines.append("")
        lines.append(f"Modules of pyvis or jinja2 imported by a query: {', '.join(b['imports_pyvis_or_jinja2']) or 'none'}.")
    if results["html"]:
        lines += ["", "The page (`graph html`; in headless Chromium at 1440x900, best of 3; the click: from the pointer "
                  "going down on a node whose chain holds 90% of the map, zoomed in to click it, to the end of the "
                  "frame that draws the chain lit, in the view the click moves to: the node amid its chain, labels "
                  "legible):", "",
                  "| N | page | generated in Python | `graph html` (warm) | ready in Chromium | click to lit frame "
                  "(chain) |", "|---:|---:|---:|---:|---:|---:|"]
        commands = {str(s["n"]): s["results"].get("html_warm", {}).get("wall") for s in results["sizes"]}
        for n, h in results["html"].items():
            size = f"{h['page_bytes'] / 1e6:.1f} MB" if h.get("page_bytes") else "–"
            ready = _s(h.get("ready_seconds")) if h.get("ready_seconds") is not None else h.get("browser", "–")
            click = (f"{h['click_ms']:.0f} ms ({h['click_lit']:,} lit, {h['click_chain_share']:.0%})"
                     if h.get("click_ms") is not None else "–")
            lines.append(f"| {int(n):,} | {size} | {_s(h.get('generate_seconds'))} | {_s(commands.get(n))} "
                         f"| {ready} | {click} |")
    if results.get("layout"):
        lines += layout_markdown(results["layout"])
    lines += ["", "Targets:", ""]
    lines += [f"- {'ℹ️' if ok is None else '✅' if ok else '❌'} {text}" for ok, text in results["targets"]]
    return "\n".join(lines) + "\n"


def _mib(size) -> str:
    return "–" if size is None else f"{size:.0f}"


def _bytes(size: int | None) -> str:
    if size is None:
        return "–"
    return f"{size / 1e6:,.1f} MB" if size >= 100_000 else f"{size / 1e3:,.1f} kB"


def check_targets(results: dict) -> list[tuple[bool, str]]:
    """Each speed target, whether this run meets it, and the numbers."""
    checks = []
    b = results["bundled"].get("results")
    if b:
        floor = b["floor_import"]["wall"]
        worst = max((k for k in b if k.endswith("_warm")), key=lambda k: b[k]["wall"])
        ratio = b[worst]["wall"] / floor
        checks.append((ratio <= TARGETS["startup"], f"start-up: every query on the bundled map within "
                       f"{TARGETS['startup']}× the import floor (slowest: {worst[:-5]}, {ratio:.2f}×)"))
        heavy = results["bundled"]["imports_pyvis_or_jinja2"]
        checks.append((not heavy, "queries import neither pyvis nor jinja2" + (f" ({', '.join(heavy)})" if heavy else "")))
    big = [s for s in results["sizes"] if s["n"] >= 100_000]
    for size in big:
        r = size["results"]
        floor = r["floor_yaml"]["wall"]
        names = [k[:-5] for k in r if k.endswith("_warm")]
        warm = {k: floor / r[f"{k}_warm"]["wall"] for k in names if k not in OUTPUT_BOUND}
        rss = max(max(r[f"{k}_{m}"]["rss_mib"] for m in ("cold", "first", "warm") if f"{k}_{m}" in r) for k in names)
        colds = [r[f"{k}_cold"]["wall"] / floor for k in names if f"{k}_cold" in r]
        if colds:
            checks.append((max(colds) <= TARGETS["cold"], f"cold, {size['n']:,} nodes: every command within "
                           f"{TARGETS['cold']}× the CSafeLoader floor (worst {max(colds):.2f}×)"))
        checks.append((min(warm.values()) >= TARGETS["warm"], f"warm, {size['n']:,} nodes: every query at least "
                       f"{TARGETS['warm']:.0f}× faster than the CSafeLoader floor ("
                       + ", ".join(f"{k} {v:.1f}×" for k, v in sorted(warm.items(), key=lambda kv: kv[1])) + ")"))
        checks.append((rss < TARGETS["rss_mib"], f"memory, {size['n']:,} nodes: peak RSS under 1 GiB "
                       f"(largest {rss:.0f} MiB)"))
        if size["n"] == 100_000 and "floor_import" in r:
            limit, floor_import = TARGETS["small"][100_000], r["floor_import"]["wall"]
            ratios = {k: r[f"{k}_warm"]["wall"] / floor_import for k in SMALL if f"{k}_warm" in r}
            peak = max((r[f"{k}_warm"]["rss_mib"] for k in ratios), default=0)
            checks.append((max(ratios.values()) <= limit and peak < TARGETS["small_rss_mib"],
                           f"small answers, {size['n']:,} nodes, warm: each within {limit}× the import floor and "
                           f"under {TARGETS['small_rss_mib']} MiB (" + ", ".join(f"{k} {v:.2f}×" for k, v in
                                                                                  ratios.items())
                           + f"; largest {peak:.0f} MiB)"))
            also = {k: r[f"{k}_warm"] for k in ALSO_SMALL if f"{k}_warm" in r}
            if also:
                checks.append((None, f"also from the index, {size['n']:,} nodes, warm: " + ", ".join(
                    f"{k} {v['wall'] / floor_import:.2f}× ({v['rss_mib']:.0f} MiB)" for k, v in also.items())))
        if size["n"] == 100_000 and "order_warm" in r:
            share = r["order_warm"]["wall"] / floor
            checks.append((share <= TARGETS["order_parse"], f"warm `order --format json`, {size['n']:,} nodes: "
                           f"within {TARGETS['order_parse']:.2f}× the CSafeLoader floor ({share:.3f}×)"))
        for k in sorted(OUTPUT_BOUND & set(names)):
            out = r[f"{k}_warm"].get("stdout_bytes") or 0
            checks.append((None, f"`{k}` (the text of `prereqs`), {size['n']:,} nodes: {out / 1e6:,.0f} MB of output, "
                           f"warm {r[f'{k}_warm']['wall']:.2f} s, {floor / r[f'{k}_warm']['wall']:.1f}× faster than "
                           f"the floor; shown, not held to the warm target: its time goes to writing its output"))
    for big in results.get("large", []):
        r = big["results"]
        limit = TARGETS["small"].get(big["n"], TARGETS["small"][1_000_000])
        ratios = {k: r[f"{k}_warm"]["wall"] / r["floor_import"]["wall"] for k in SMALL}
        checks.append((max(ratios.values()) <= limit, f"small answers, {big['n']:,} nodes, warm: each within "
                       f"{limit}× the import floor (" + ", ".join(f"{k} {v:.2f}×" for k, v in ratios.items()) + ")"))
        also = {k: r[f"{k}_warm"]["wall"] / r["floor_import"]["wall"] for k in ALSO_SMALL if f"{k}_warm" in r}
        if also:
            checks.append((None, f"also from the index, {big['n']:,} nodes, warm: "
                           + ", ".join(f"{k} {v:.2f}×" for k, v in also.items())))
        checks.append((None, f"the cold build of {big['n']:,} nodes: {r['build_first']['wall']:.0f} s, "
                       f"{r['build_first']['rss_mib']:,.0f} MiB at its peak"))
    commands = {s["n"]: s["results"].get("html_warm") for s in results["sizes"]}
    for n, h in results["html"].items():
        n = int(n)
        if n == 5000 and h.get("generate_seconds") is not None:
            checks.append((h["generate_seconds"] <= TARGETS["html_generate"], f"HTML of {n:,} nodes generated "
                           f"within {TARGETS['html_generate']:.0f} s ({h['generate_seconds']:.2f} s)"))
        if n == 20000 and commands.get(n):
            wall, cpu = commands[n]["wall"], commands[n]["cpu"]
            checks.append((wall <= TARGETS["html_command"], f"`graph html` on {n:,} nodes within "
                           f"{TARGETS['html_command']:.0f} s ({wall:.2f} s wall, {cpu:.2f} s CPU)"))
        if n in TARGETS["ready"] and h.get("ready_seconds") is not None:
            checks.append((h["ready_seconds"] <= TARGETS["ready"][n], f"the page of {n:,} nodes ready in headless "
                           f"Chromium within {TARGETS['ready'][n]:.0f} s ({h['ready_seconds']:.2f} s)"))
        if n == 5000 and h.get("click_ms") is not None:
            share = h["click_chain_share"]
            checks.append((h["click_ms"] <= TARGETS["click_ms"] and share >= CLICK_CHAIN_SHARE,
                           f"{n:,} nodes: a click to its lit frame within {TARGETS['click_ms']} ms, the chain holding "
                           f"{CLICK_CHAIN_SHARE:.0%} ({h['click_ms']:.0f} ms, median {h['click_ms_median']:.0f} ms; "
                           f"{h['click_lit']:,} lit, {share:.0%})"))
    for r in (results.get("layout") or {}).get("maps", []):
        if r["dot"] is not None:
            checks.append((r["crossings"] <= r["dot"], f"the map's layout, {r['map']}: at most dot's crossings "
                           f"({r['crossings']:,} vs {r['dot']:,})"))
    return checks


def environment() -> dict:
    import networkx
    import yaml

    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "pyyaml": yaml.__version__,
        "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
        "networkx": networkx.__version__,
        "commit": commit.stdout.strip() or None,
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "load_before": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the graph command line against its floors.")
    parser.add_argument("--quick", action="store_true", help="N = 200 and 1,000, one repetition (for CI)")
    parser.add_argument("--sizes", help="comma-separated node counts (default 1000,10000,100000)")
    parser.add_argument("--large", help="comma-separated node counts timed for the cold build and the small "
                                        "answers only (default 1000000; --quick: none)")
    parser.add_argument("--html-sizes", help="node counts for 'graph html' and the browser (default 1000,5000,20000)")
    parser.add_argument("--only", help="comma-separated commands to time at each size (validate, order, prereqs, "
                                       "tree, " + ", ".join((*SMALL, *ALSO_SMALL)) + ", html) [default: all]")
    parser.add_argument("--warm-only", action="store_true", help="no cold runs: one first run fills the cache, "
                                                                 "then warm runs (for a busy or slow machine)")
    parser.add_argument("--reps", type=int, help="repetitions of each run (default 3; --quick: 1)")
    parser.add_argument("--bundled-reps", type=int, help="repetitions on the bundled map (default 10; --quick: 3; "
                                                          "0: none)")
    parser.add_argument("--no-browser", action="store_true", help="skip headless Chromium")
    parser.add_argument("--no-layout", action="store_true", help="skip the layout's crossings and times")
    parser.add_argument("--dot-timeout", type=float, default=DOT_TIMEOUT, help="seconds dot may take on one map")
    parser.add_argument("--json", type=Path, help="raw results (default benchmarks/results.json; --quick: graph-bench-results.json in the temporary folder)")
    parser.add_argument("--markdown", type=Path, help="the table (default benchmarks/results.md; --quick: none)")
    parser.add_argument("--workdir", type=Path, help="where data, caches and pages go (default: a temporary folder)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    sizes = [int(s) for s in args.sizes.split(",") if s] if args.sizes is not None else (
        [200, 1000] if args.quick else [1000, 10_000, 100_000])
    html_sizes = [int(s) for s in args.html_sizes.split(",") if s] if args.html_sizes is not None else (
        [200, 1000] if args.quick else [1000, 5000, 20_000])
    only = set(args.only.split(",")) if args.only else None
    large = [int(s) for s in args.large.split(",") if s] if args.large is not None else (
        [] if args.quick else [1_000_000])
    reps = args.reps or (1 if args.quick else 3)
    bundled_reps = args.bundled_reps if args.bundled_reps is not None else (3 if args.quick else 10)
    json_path = args.json or (None if args.quick else HERE / "results.json")
    md_path = args.markdown or (None if args.quick else HERE / "results.md")

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="graph-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    runner = Runner(workdir)
    # Compile the byte code once, as an installation does.
    runner.run("warm-up", [sys.executable, "-c", WARM_UP])

    results = {"quick": args.quick, "reps": reps, "environment": environment(), "sizes": [], "html": {},
               "large": []}
    started = time.perf_counter()
    results["bundled"] = bundled(runner, bundled_reps) if bundled_reps else {}
    for n in sorted(set(sizes) | set(html_sizes)):
        data = generate(n, 2.8, args.seed)
        folder = write(data, workdir / f"data-{n}")
        measured = measure_size(runner, n, folder, data.deepest, two_up(data.chain),
                                a_root(data.nodes, data.edges), reps,
                                html=n in html_sizes, commands=n in sizes, only=only, warm_only=args.warm_only)
        results["sizes"].append({"n": n, "edges": len(data.edges), "deepest": data.deepest, "depth": data.depth,
                                 "results": measured})
        if n in html_sizes:
            results["html"][str(n)] = html_page(runner, folder, n, browser=not args.no_browser)
    for n in large:
        started_large = time.perf_counter()
        data = generate(n, 2.8, args.seed)
        folder = write(data, workdir / f"data-{n}")
        edges, deepest, depth = len(data.edges), data.deepest, data.depth
        above, root = two_up(data.chain), a_root(data.nodes, data.edges)
        del data
        generated = round(time.perf_counter() - started_large, 1)
        results["large"].append({"n": n, "edges": edges, "deepest": deepest, "depth": depth,
                                 "generated_seconds": generated,
                                 "results": measure_large(runner, n, folder, deepest, above, root, reps)})
    if not args.no_layout:
        results["layout"] = layout_section(workdir, args.quick, args.seed, args.dot_timeout)
    results["environment"]["load_after"] = round(os.getloadavg()[0], 2)
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["targets"] = check_targets(results)
    results["samples"] = runner.samples

    table = markdown(results)
    print(table)
    json_path = json_path or Path(tempfile.gettempdir()) / "graph-bench-results.json"
    json_path.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"raw results: {json_path}", file=sys.stderr)
    if md_path:
        md_path.write_text(table, encoding="utf-8")
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    failed = [s for s in runner.samples if s["exit"] != 0]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
