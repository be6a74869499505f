"""Study orders and queries from the command line, on tests/fixtures/map."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main

MAP = Path(__file__).parent / "fixtures" / "map"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GRAPH_PROGRESS", raising=False)


def graph(*args: str, data: Path = MAP):
    result = CliRunner().invoke(main, ["--data", str(data), *args])
    assert "Traceback" not in result.output
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def plan_ids(*args: str) -> list[str]:
    result = graph("order", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return [s["id"] for s in json.loads(result.output)["steps"]]


# --- order ---------------------------------------------------------------------------------------------------------

def test_order_is_depth_first_in_file_order():
    assert plan_ids("--target", "developer") == [
        "algebra", "linear-algebra", "calculus", "optimization", "ml", "developer"]


def test_order_levels_strategy_goes_in_waves():
    assert plan_ids("--target", "developer", "--strategy", "levels") == [
        "algebra", "calculus", "linear-algebra", "optimization", "ml", "developer"]


def test_order_leaves_recommendations_out_unless_asked():
    assert "statistics" not in plan_ids("--target", "ml")
    with_soft = plan_ids("--target", "ml", "--include-recommended")
    assert with_soft.index("probability") < with_soft.index("statistics") < with_soft.index("ml")
    text = graph("order", "--target", "ml").output
    assert "Recommended, not included (add --include-recommended): statistics" in text


def test_order_does_not_pull_in_a_resources_own_prerequisites():
    # advanced-course teaches probability and needs measure-theory: the topic does not.
    assert plan_ids("--target", "probability") == ["algebra", "calculus", "probability"]


def test_known_topics_and_what_they_need_are_skipped():
    assert plan_ids("--target", "developer", "--known", "calculus") == [
        "linear-algebra", "optimization", "ml", "developer"]
    assert plan_ids("--target", "developer", "--known", "calculus,linear-algebra", "--known", "ml") == ["developer"]


def test_progress_file_counts_as_known(tmp_path):
    progress = tmp_path / "progress.yaml"
    progress.write_text("known:\n  - calculus\n")
    assert plan_ids("--target", "developer", "--progress", str(progress)) == [
        "linear-algebra", "optimization", "ml", "developer"]


def test_unknown_id_in_progress_file_is_a_warning_naming_file_and_line(tmp_path):
    progress = tmp_path / "progress.yaml"
    progress.write_text("known:\n  - calculus\n  - calculsu\n")
    result = graph("order", "--target", "developer", "--progress", str(progress))
    assert result.exit_code == 0  # the entry may be another map's: kept, and said
    assert f"{progress}:3: warning: unknown id 'calculsu' (did you mean 'calculus'?), kept in the file" in result.output
    assert "in the data" not in result.output


def test_order_json_shape():
    plan = json.loads(graph("order", "--target", "developer", "--format", "json").output)
    assert plan["target"] == "developer"
    assert plan["total_hours"] == 110
    step = plan["steps"][1]
    assert {"id", "name", "kind", "hours", "resources"} <= set(step)
    assert step["id"] == "linear-algebra" and step["hours"] == 30
    # preferred first, then free, then the rest
    assert [r["id"] for r in step["resources"]] == ["la-course", "free-notes", "paid-book"]


def test_order_text_shows_hours_resources_and_total():
    text = graph("order", "--target", "developer").output
    assert "2. Linear algebra (linear-algebra) - 30 h" in text
    assert "learn with: The list's course <https://example.org/la>" in text
    assert text.rstrip().endswith("Total: 110 h over 6 steps")


def test_order_markdown_is_a_checklist_with_links():
    md = graph("order", "--target", "developer", "--format", "markdown").output
    assert md.startswith("# Study plan: Developer\n")
    assert "- [ ] **2. Linear algebra** (30 h)" in md
    assert "[The list's course](<https://example.org/la>)" in md
    assert md.count("- [ ] ") == 6


def test_order_of_a_known_target_is_empty():
    result = graph("order", "--target", "calculus", "--known", "calculus")
    assert result.exit_code == 0
    assert "Nothing to study: calculus is already known." in result.output


def test_order_output_is_deterministic():
    first = graph("order", "--target", "developer", "--format", "json").output
    assert all(graph("order", "--target", "developer", "--format", "json").output == first for _ in range(3))


# --- prereqs and dependents -------------------------------------------------------------------------------------

def test_prereqs_tree_marks_repeated_subtrees():
    out = graph("prereqs", "developer").output
    assert out.splitlines()[:6] == [
        "developer: Developer",
        "├── linear-algebra: Linear algebra",
        "│   └── algebra: Algebra",
        "└── ml: Machine learning",
        "    └── optimization: Optimization [theory-behind]",
        "        ├── calculus: Calculus",
    ]
    assert "linear-algebra: Linear algebra (*)" in out
    assert out.rstrip().endswith("(*) shown above; not repeated")


def test_prereqs_depth_limits_the_tree():
    out = graph("prereqs", "developer", "--depth", "1").output
    assert out.splitlines() == [
        "developer: Developer",
        "├── linear-algebra: Linear algebra ...",
        "└── ml: Machine learning ...",
    ]


def test_prereqs_list_and_json_in_study_order():
    assert graph("prereqs", "optimization", "--format", "list").output == (
        "algebra: Algebra\ncalculus: Calculus\nlinear-algebra: Linear algebra\n")
    data = json.loads(graph("prereqs", "ml", "--format", "json").output)
    assert data["id"] == "ml"
    assert data["prerequisites"] == ["algebra", "calculus", "linear-algebra", "optimization"]
    assert {"from": "optimization", "to": "ml", "relation": "theory-behind", "strength": "required",
            "why": "Training is optimization."} in data["edges"]


def test_dependents_reverse_the_question():
    data = json.loads(graph("dependents", "calculus", "--format", "json").output)
    assert data["dependents"] == ["optimization", "ml", "developer", "probability", "statistics"]
    assert graph("dependents", "calculus", "--depth", "1", "--format", "list").output == (
        "optimization: Optimization\nprobability: Probability\n")
    tree = graph("dependents", "algebra").output
    assert tree.splitlines()[0] == "algebra: Algebra"
    assert "│   └── optimization: Optimization\n" in tree
    assert "    ├── optimization: Optimization (*)\n" in tree


# --- path, next, show -----------------------------------------------------------------------------------------

def test_path_explains_each_edge():
    out = graph("path", "calculus", "developer").output
    assert out.splitlines()[0] == "calculus -> optimization -> ml -> developer (3 edges)"
    assert "↓ is the theory behind [theory-behind]: Training is optimization." in out


def test_path_all_lists_every_path_shortest_first():
    data = json.loads(graph("path", "algebra", "developer", "--all", "--format", "json").output)
    assert [[e["to"] for e in p] for p in data["paths"]] == [
        ["linear-algebra", "developer"],
        ["calculus", "optimization", "ml", "developer"],
        ["linear-algebra", "optimization", "ml", "developer"],
    ]
    # a recommendation is not a need: followed only when asked
    data = json.loads(graph("path", "algebra", "developer", "--all", "--include-recommended",
                            "--format", "json").output)
    assert ["calculus", "probability", "statistics", "ml", "developer"] in [[e["to"] for e in p]
                                                                           for p in data["paths"]]


def test_paths_of_one_length_come_in_file_order(tmp_path):
    """Two ways of one length from a to d: the one through the node the file lists first comes first,
    however the edges are ordered; and the same with the cache (its index) as without."""
    from cli_helpers import write_map

    nodes = "nodes:\n" + "".join(f"  - id: {n}\n    name: {n.upper()}\n    kind: topic\n" for n in "axbcd")
    edges = "edges:\n" + "".join(f"  - from: {u}\n    to: {v}\n    why: w\n"
                                  for u, v in [("a", "c"), ("c", "d"), ("a", "b"), ("b", "d"), ("x", "a")])
    data = write_map(tmp_path / "map", nodes, edges)
    for options in ([], ["--no-cache"], []):
        found = json.loads(graph("path", "a", "d", "--all", "--format", "json", *options, data=data).output)
        assert [[e["to"] for e in p] for p in found["paths"]] == [["b", "d"], ["c", "d"]]
        assert graph("path", "a", "d", *options, data=data).output.splitlines()[0] == "a -> b -> d (2 edges)"


def test_path_none_is_a_clear_message():
    result = graph("path", "developer", "calculus")
    assert result.exit_code == 1
    assert "no path from developer to calculus" in result.output
    assert "try 'graph path calculus developer'" in result.output


def test_next_is_what_all_prerequisites_allow():
    data = json.loads(graph("next", "--format", "json").output)
    assert [n["id"] for n in data["next"]] == ["algebra", "measure-theory"]
    data = json.loads(graph("next", "--known", "calculus", "--format", "json").output)
    assert [n["id"] for n in data["next"]] == ["linear-algebra", "probability", "measure-theory"]
    data = json.loads(graph("next", "--known", "calculus", "--target", "developer", "--format", "json").output)
    assert [n["id"] for n in data["next"]] == ["linear-algebra"]
    assert data["next"][0]["resources"][0]["id"] == "la-course"


def test_show_gives_a_node_in_full():
    out = graph("show", "optimization").output
    assert out.startswith("Optimization (optimization)\nkind: topic · area: calculus · hours: 10 h\n")
    assert "Learn with:\n  - Khan Academy <https://example.org/khan>" in out
    assert "  - calculus: Calculus [prerequisite] - Gradients are derivatives." in out
    assert "  - ml: Machine learning [theory-behind] - Training is optimization." in out
    data = json.loads(graph("show", "la-course", "--format", "json").output)
    assert data["url"] == "https://example.org/la"
    assert data["dependents"] == [{"from": "la-course", "to": "linear-algebra", "relation": "teaches",
                                   "strength": None, "why": None}]


# --- errors --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["order", "--target", "calculas"],
    ["order", "--target", "developer", "--known", "calculas"],
    ["prereqs", "calculas"],
    ["dependents", "calculas"],
    ["path", "calculas", "ml"],
    ["path", "ml", "calculas"],
    ["next", "--target", "calculas"],
    ["show", "calculas"],
    ["html", "--target", "calculas"],
])
def test_unknown_id_exits_2_with_suggestions(args):
    result = graph(*args)
    assert result.exit_code == 2
    assert "unknown id 'calculas'; did you mean 'calculus'?" in result.output


def test_names_and_aliases_resolve_and_near_misses_are_suggested():
    assert graph("show", "calc").output.startswith("Calculus (calculus)\n")  # an alias, in another case
    assert graph("show", "Machine Learning").output.startswith("Machine learning (ml)\n")  # a name
    # Hyphens, underscores and spaces are one: "machine-learning" is the name "Machine learning".
    assert graph("show", "machine_learning").output.startswith("Machine learning (ml)\n")
    assert "did you mean 'ml'" in graph("show", "machine-lerning").output


def test_queries_refuse_invalid_data():
    result = graph("order", "--target", "a", data=Path(__file__).parent / "fixtures" / "validate" / "cycles")
    assert result.exit_code == 1
    assert "edges.yaml:2: error: cycle: a -> b -> a" in result.output


# --- progress -------------------------------------------------------------------------------------------------

def test_done_records_progress(tmp_path):
    progress = tmp_path / "me.yaml"
    assert graph("done", "calculus", "ml", "--progress", str(progress)).exit_code == 0
    assert graph("done", "calculus", "--progress", str(progress)).exit_code == 0
    assert plan_ids("--target", "developer", "--progress", str(progress)) == ["developer"]
    assert graph("done", "ml", "--undo", "--progress", str(progress)).exit_code == 0
    # ml is unmarked and nothing is marked in its place: what only it needed (optimization) is not known.
    assert "known:\n- calculus\n" in progress.read_text() and "optimization" not in progress.read_text()
    assert plan_ids("--target", "developer", "--progress", str(progress)) == ["linear-algebra", "optimization", "ml",
                                                                             "developer"]


def test_done_writes_a_progress_file_inside_the_data_folder_but_never_the_maps_files(tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(MAP, data)
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    assert graph("done", "calculus", "--progress", str(data / "progress.yaml"), data=data).exit_code == 0
    assert sorted(p.name for p in data.iterdir()) == ["edges.yaml", "nodes.yaml", "progress.yaml"]
    for own in ("nodes.yaml", "edges.yaml"):
        result = graph("done", "calculus", "--progress", str(data / own), data=data)
        assert result.exit_code == 2
        assert f"'{data / own}' is one of the map's own files" in result.output
    assert {p.name: p.read_bytes() for p in data.iterdir() if p.name != "progress.yaml"} == before


def test_unwritable_output_is_a_message_not_a_traceback(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = graph("done", "calculus", "--progress", str(blocker / "progress.yaml"))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: --progress: cannot write '{blocker / 'progress.yaml'}': ")


def test_a_bug_is_reported_in_one_line_with_exit_3(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("graph.plan.study_plan", broken)
    result = graph("order", "--target", "ml")
    assert result.exit_code == 3
    assert "graph: internal error (RuntimeError: boom)" in result.output


def test_a_plan_with_nothing_left_is_json_with_no_steps():
    result = graph("order", "--target", "developer", "--known", "developer", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["steps"] == [] and data["total_hours"] == 0 and "developer" in data["skipped_known"]
