"""Helpers for the command-line tests (tests/test_cli_*.py): run ``graph`` in-process or as a process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from graph.cli import main
from graph.load import bundled_data_dir

MAP = Path(__file__).parent / "fixtures" / "map"
BUNDLED = bundled_data_dir()
# A process that runs the command line as the installed 'graph' script does, under that name.
SCRIPT = [sys.executable, "-c", "from graph.cli import main; main(prog_name='graph')"]


def graph(*args, env: dict | None = None):
    """Run ``graph ARGS`` in this process; ``result.stdout`` and ``result.stderr`` are kept apart."""
    result = CliRunner().invoke(main, [str(a) for a in args], env={"GRAPH_DEBUG": "", **(env or {})},
                                prog_name="graph")
    assert "Traceback" not in result.output, result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def process(*args, env: dict | None = None, cwd: Path | None = None, **options) -> subprocess.CompletedProcess:
    """Run ``graph ARGS`` as a separate process and wait for it."""
    return subprocess.run([*SCRIPT, *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "GRAPH_DEBUG": "", **(env or {})}, timeout=120, **options)


def write_map(folder: Path, nodes: str, edges: str) -> Path:
    """Write ``nodes.yaml`` and ``edges.yaml`` (YAML text) into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "nodes.yaml").write_text(nodes, encoding="utf-8")
    (folder / "edges.yaml").write_text(edges, encoding="utf-8")
    return folder
