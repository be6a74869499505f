"""Time weekly schedules against the plan they lay out, on random graphs of N topics.

For the deepest topic of each generated graph (``benchmarks/generate.py``), in one process:
the study plan (the floor), ``weekly_schedule`` over it, and each renderer with and
without the schedule. Then, as a user runs it (whole processes, warm cache), ``graph
order --format json`` beside the same command with ``--hours-per-week 8`` and with
``--format ics``. Every time is the best of the repetitions.

    python benchmarks/schedule.py            # N = 1,000, 10,000, 100,000
    python benchmarks/schedule.py --quick    # N = 1,000 and 10,000, one repetition

Results of a full run: benchmarks/schedule-results.md.

Linear time shows as a flat cost per step across N. It is a benchmark, not a test:
it never fails on a time.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.generate import generate, write  # noqa: E402

START = datetime.date(2025, 3, 3)


def best_of(reps: int, work) -> tuple[float, object]:
    """Return the least wall-clock time of ``reps`` calls of ``work`` and its last result."""
    times, result = [], None
    for _ in range(reps):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return min(times), result


def in_process(folder: Path, target: str, reps: int) -> dict:
    from graph.load import load
    from graph.plan import study_plan
    from graph.render.ics import plan_ics
    from graph.render.json import plan_json
    from graph.render.markdown import plan_markdown
    from graph.render.text import plan_text
    from graph.schedule import weekly_schedule

    graph = load(folder, use_cache=False).graph
    gc.disable()  # as the command line runs
    out = {}
    out["plan"], plan = best_of(reps, lambda: study_plan(graph, target))
    out["schedule"], schedule = best_of(reps, lambda: weekly_schedule(plan.steps, 8, START))
    out["steps"], out["weeks"] = len(plan.steps), schedule.weeks
    for name, render in (("text", plan_text), ("markdown", plan_markdown), ("json", plan_json)):
        out[f"{name}"] = best_of(reps, lambda: render(plan))[0]
        out[f"{name}+weeks"] = best_of(reps, lambda: render(plan, schedule))[0]
    out["ics"], calendar = best_of(reps, lambda: plan_ics(plan, schedule))
    out["ics bytes"] = len(calendar)
    gc.enable()
    return out


def processes(folder: Path, target: str, reps: int, cache: Path) -> dict:
    base = [sys.executable, "-m", "graph", "--data", str(folder), "order", "--target", target]
    weeks = ["--hours-per-week", "8", "--start", START.isoformat()]
    commands = {"order json": [*base, "--format", "json"],
                "order json, weeks": [*base, *weeks, "--format", "json"],
                "order ics": [*base, *weeks, "--format", "ics"]}
    env = {"GRAPH_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"}
    subprocess.run(commands["order json"], env=env, stdout=subprocess.DEVNULL, check=True)  # fill the cache
    out = {}
    for name, args in commands.items():
        out[name] = best_of(reps, lambda: subprocess.run(args, env=env, stdout=subprocess.DEVNULL, check=True))[0]
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N = 1,000 and 10,000, one repetition")
    args = parser.parse_args(argv)
    sizes, reps = ((1_000, 10_000), 1) if args.quick else ((1_000, 10_000, 100_000), 3)
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for n in sizes:
            data = generate(n, seed=1)
            folder = Path(work) / f"g{n}"
            write(data, folder)
            print(f"N={n:,}: timing", file=sys.stderr)
            rows.append((n, in_process(folder, data.deepest, reps),
                         processes(folder, data.deepest, reps, Path(work) / f"cache{n}")))
    print("| N | steps | weeks | plan | schedule | schedule ÷ plan | µs per step | text | text + weeks "
          "| markdown | markdown + weeks | json | json + weeks | ics | warm `order --format json` "
          "| + `--hours-per-week 8` | `--format ics` | ics size |")
    print("|" + "---:|" * 18)
    for n, t, p in rows:
        cells = [f"{n:,}", f"{t['steps']:,}", f"{t['weeks']:,}", _s(t["plan"]), _s(t["schedule"]),
                 f"{t['schedule'] / t['plan']:.2f}×", f"{t['schedule'] / t['steps'] * 1e6:.2f}",
                 *(_s(t[k]) for k in ("text", "text+weeks", "markdown", "markdown+weeks", "json", "json+weeks",
                                       "ics")),
                 _s(p["order json"]), _vs(p["order json, weeks"], p["order json"]),
                 _vs(p["order ics"], p["order json"]),
                 f"{t['ics bytes'] / 1e6:.1f} MB"]
        print("| " + " | ".join(cells) + " |")
    return 0


def _vs(seconds: float, floor: float) -> str:
    return f"{_s(seconds)} ({seconds / floor:.2f}×)"


def _s(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


if __name__ == "__main__":
    sys.exit(main())
