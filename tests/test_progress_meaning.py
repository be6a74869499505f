"""One meaning of the progress file: what is marked, what is known, names as people type them, and the report.

Each test reproduces an item of the learner's third pass on a small map of the same shape as the bundled
one's calculus (limits -> derivatives -> chain rule -> partial derivatives -> gradient <- vectors, and on to
gradient descent), written by the test: the bundled map's totals change as it is edited.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cli_helpers import graph, write_map
from graph.load import load_graph
from graph.plan import known_closure, study_plan
from graph.progress import read_progress
from test_html import DATA_SCRIPT

NODES = """\
nodes:
  - {id: limits, name: Limits and continuity, kind: topic, area: calculus, hours: 9}
  - {id: derivatives, name: Derivatives, kind: topic, area: calculus, hours: 39, aliases: [differentiation]}
  - {id: chain-rule, name: The chain rule, kind: topic, area: calculus, hours: 4}
  - {id: partial-derivatives, name: Partial derivatives, kind: topic, area: calculus, hours: 14}
  - {id: vectors, name: Vectors, kind: topic, area: linear-algebra, hours: 5}
  - {id: gradient, name: Gradients and directional derivatives, kind: topic, area: calculus, hours: 5,
     aliases: [gradients, directional derivative]}
  - {id: taylor-series, name: Series and Taylor series, kind: topic, area: calculus, hours: 9}
  - {id: hessian, name: Hessians and second-order Taylor expansion, kind: topic, area: calculus, hours: 6,
     aliases: [second derivative test]}
  - {id: gradient-descent, name: Gradient descent, kind: topic, area: optimization, hours: 10}
  - {id: developer, name: Developer, kind: degree}
"""
EDGES = """\
edges:
  - {from: limits, to: derivatives}
  - {from: derivatives, to: chain-rule}
  - {from: chain-rule, to: partial-derivatives}
  - {from: partial-derivatives, to: gradient}
  - {from: vectors, to: gradient}
  - {from: gradient, to: gradient-descent}
  - {from: derivatives, to: taylor-series}
  - {from: taylor-series, to: hessian}
  - {from: gradient, to: hessian}
  - {from: gradient-descent, to: developer}
  - {from: hessian, to: developer}
"""
STUDIED = ["limits", "derivatives", "chain-rule", "vectors"]


@pytest.fixture()
def home(tmp_path, monkeypatch) -> Path:
    """A learner's folder (the current one) beside a map of their own, the data of every command."""
    monkeypatch.setenv("GRAPH_DATA", str(write_map(tmp_path / "map", NODES, EDGES)))
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def run(*args):
    return graph(*args)


def run_json(*args) -> dict:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def the_map():
    return load_graph(Path(os.environ["GRAPH_DATA"]))


def plan_totals() -> tuple:
    plan = run_json("order", "-t", "developer")
    return [s["id"] for s in plan["steps"]], plan["total_hours"]


# --- 1: done --undo returns to the state before -----------------------------------------------------------------

def test_1_undo_after_done_returns_the_file_and_the_plan_to_what_they_were(home):
    assert run("done", *STUDIED).exit_code == 0
    before_file, before_plan = read_progress("progress.yaml"), plan_totals()
    expected = study_plan(the_map(), "developer", STUDIED).totals()
    assert (len(before_plan[0]), before_plan[1]) == (expected.steps, expected.hours)
    run("done", "gradient descent")
    undone = run("done", "--undo", "gradient descent")
    assert undone.exit_code == 0
    assert undone.stdout.startswith("progress.yaml: unmarked gradient-descent; known: 4 marked (4 with")
    # Nothing the learner never studied (gradient, partial derivatives) became known on the way.
    assert read_progress("progress.yaml") == before_file == STUDIED
    assert plan_totals() == before_plan


def test_1_undo_unmarks_what_needs_the_id_and_adds_nothing(home):
    run("done", *STUDIED, "gradient-descent")
    undone = run_json("done", "--undo", "vectors")
    assert undone["removed"] == ["vectors"] and undone["removed_with_them"] == ["gradient-descent"]
    assert undone["known"] == read_progress("progress.yaml") == ["limits", "derivatives", "chain-rule"]
    assert "partial-derivatives" not in undone["known"]


def test_1_undo_of_an_id_known_only_through_a_marked_one_says_through_which(home):
    run("done", *STUDIED, "gradient-descent")
    undone = run("done", "--undo", "gradient")
    assert undone.exit_code == 0
    assert "unmarked gradient-descent; gradient was known through gradient-descent" in undone.stdout
    left = read_progress("progress.yaml")
    assert left == STUDIED and "gradient" not in known_closure(the_map(), left)


# --- 2: one meaning of a progress file for every command ----------------------------------------------------------

MISINDENTED = "known:\n  - derivatives\n   - chain-rule\n"


@pytest.mark.parametrize("args", [["next"], ["order", "-t", "developer"], ["html", "--out", "page.html"],
                                  ["progress", "-t", "developer"], ["done", "vectors"],
                                  ["done", "--undo", "derivatives"]])
def test_2_a_file_that_does_not_parse_is_an_error_everywhere_and_done_leaves_it(home, args):
    Path("progress.yaml").write_text(MISINDENTED, encoding="utf-8")
    result = run(*args)
    assert result.exit_code == 2
    assert "progress.yaml:3: error: this line continues the entry of line 2 ('derivatives - chain-rule')" \
        in result.stderr
    assert Path("progress.yaml").read_text(encoding="utf-8") == MISINDENTED
    assert not Path("page.html").exists()


def test_2_an_unknown_id_is_a_warning_everywhere_kept_by_done_and_removed_by_undo(home):
    Path("progress.yaml").write_text("known:\n  - limits\n  - vectros\n", encoding="utf-8")
    warning = "progress.yaml:3: warning: unknown id 'vectros' (did you mean 'vectors'?), kept in the file"
    for args in (["next"], ["order", "-t", "developer"], ["progress", "-t", "developer"]):
        result = run(*args)
        assert result.exit_code == 0 and warning in result.stderr, args
    marked = run("done", "vectors")
    assert marked.exit_code == 0 and warning in marked.stderr
    assert read_progress("progress.yaml") == ["limits", "vectros", "vectors"]
    removed = run("done", "--undo", "vectros")
    assert removed.exit_code == 0, removed.output
    assert removed.stdout.startswith("progress.yaml: unmarked vectros;") and "warning" not in removed.stderr
    assert read_progress("progress.yaml") == ["limits", "vectors"]


def test_2_thousands_of_entries_the_map_lacks_print_a_few_warnings_and_a_count(home):
    """A progress file kept for a larger map: every entry stays, the terminal gets 20 warnings and how many more."""
    Path("progress.yaml").write_text("known:\n" + "".join(f"  - other-{k}\n" for k in range(2_000)), encoding="utf-8")
    result = run("next")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("warning: unknown id") == 20
    assert "progress.yaml: and 1,980 more entries this map does not have (kept in the file)" in result.stderr
    marked = run("done", "vectors")
    assert marked.exit_code == 0 and marked.stderr.count("warning: unknown id") == 20
    assert len(read_progress("progress.yaml")) == 2_001


def test_2_an_entry_of_10000_characters_is_named_by_its_start_and_length_and_undo_still_removes_it(home):
    long = "x" * 10_000
    Path("progress.yaml").write_text(f"known:\n  - limits\n  - {long}\n", encoding="utf-8")
    result = run("next")
    assert result.exit_code == 0, result.output
    warning = (f"progress.yaml:3: warning: unknown id '{'x' * 60}... (10,000 characters)', kept in the file: "
               "graph done --undo with the whole entry removes it")
    assert warning in result.stderr and max(map(len, result.stderr.splitlines())) < 200
    removed = run("done", "--undo", long)
    assert removed.exit_code == 0, removed.output
    assert read_progress("progress.yaml") == ["limits"]


def test_2_entries_resolve_as_names_do_and_count_once(home):
    Path("progress.yaml").write_text("known: [limits, Limits, LIMITS, Derivatives, chain rule, chain_rule]\n",
                                     encoding="utf-8")
    result = run("next")
    assert result.exit_code == 0 and result.stderr == ""
    assert "known: 3 marked (3 with what they need), from progress.yaml" in result.stdout
    plan = run_json("order", "-t", "developer")
    assert plan["known"] == ["limits", "derivatives", "chain-rule"]
    run("done", "vectors")
    assert read_progress("progress.yaml") == [*STUDIED]  # each once, as ids


# --- 3: names as people type them --------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["chain_rule", "CHAIN RULE", "the chain rule", "Chain-Rule"])
def test_3_names_resolve_in_any_case_with_spaces_underscores_or_hyphens(home, typed):
    done = run_json("done", typed)
    assert done["added"] == ["chain-rule"]


def test_3_a_path_an_area_and_the_search_ranking_take_names_as_typed(home):
    path = run("path", "taylor series", "developer")
    assert path.exit_code == 0 and path.stdout.startswith("taylor-series -> hessian -> developer")
    listed = run_json("list", "--area", "Linear Algebra")
    assert listed["area"] == "linear-algebra" and [n["id"] for n in listed["nodes"]] == ["vectors"]
    assert run("list", "--area", "Calculus").exit_code == 0
    found = [r["id"] for r in run_json("search", "derivative")["results"]]
    # Its own id and name first; an alias ("second derivative test") ranks below a name.
    assert found[:3] == ["derivatives", "partial-derivatives", "gradient"] and found.index("hessian") > 2


# --- 4: the known count says what it counts -------------------------------------------------------------------------

def test_4_every_count_of_what_is_known_says_marked_and_with_what_they_need(home):
    done = run("done", "chain-rule", "vectors")
    assert done.stdout.endswith("known: 2 marked (4 with what they need)\n")
    assert "Known: 2 marked (4 with what they need), from progress.yaml" in run("order", "-t", "developer").stdout
    report = run("progress", "-t", "developer").stdout
    assert "Known: 2 marked (4 with what they need)." in report


def test_4_the_page_opens_with_what_was_marked_not_what_it_makes_known(home):
    run("done", "chain-rule", "vectors")
    assert run("html", "--out", "page.html").exit_code == 0
    data = json.loads(DATA_SCRIPT.search(Path("page.html").read_text(encoding="utf-8")).group(1))
    # The page derives limits and derivatives itself; what it exports is what was marked.
    assert data["known"] == ["chain-rule", "vectors"]


# --- 6 (its last part) and 8 ----------------------------------------------------------------------------------------

def test_6_a_bad_utf8_byte_is_reported_on_its_line(home):
    Path("progress.yaml").write_bytes(b"known:\n  - limits\xff\n")
    result = run("next")
    assert result.exit_code == 2 and "progress.yaml:2: error: progress file is not valid UTF-8" in result.stderr


def test_8_done_in_a_folder_without_a_progress_file_says_it_created_one_and_reads_no_parent(home):
    (home / "progress.yaml").write_text("known: [limits]\n", encoding="utf-8")
    other = home / "elsewhere"
    other.mkdir()
    os.chdir(other)
    done = run("done", "vectors")
    assert done.stdout == "created progress.yaml: marked vectors; known: 1 marked (1 with what they need)\n"
    assert read_progress(other / "progress.yaml") == ["vectors"]
    assert read_progress(home / "progress.yaml") == ["limits"]
    again = run("done", "limits")
    assert again.stdout.startswith("progress.yaml: marked limits;")


# --- the progress report ------------------------------------------------------------------------------------------

def test_progress_report_counts_the_plan_says_what_is_next_and_the_pace(home):
    run("done", *STUDIED)
    # 4 of 10 steps (6 to study, and the degree), 57 of 101 h; 63 days at 5 h a week expect 45 h.
    text = run("progress", "-t", "developer", "--hours-per-week", "5", "--start", "2026-01-01",
               "--today", "2026-03-05").stdout
    assert text.splitlines() == [
        "Progress toward developer (Developer): 4 of 10 steps, 57 of 101 h known.",
        "Known: 4 marked (4 with what they need).",
        "Next: partial-derivatives: Partial derivatives (14 h); can start now too: taylor-series.",
        "At 5 h a week since 2026-01-01, as of 2026-03-05: ahead by 12 h (16.8 days); the schedule expected 45 h.",
        "The schedule reaches developer on 2026-05-27; at 5 h a week from today: 2026-05-06.",
    ]
    behind = run_json("progress", "-t", "developer", "--hours-per-week", "10", "--start", "2026-01-01",
                      "--today", "2026-03-05")["targets"][0]
    assert (behind["steps_known"], behind["steps_total"], behind["hours_known"], behind["hours_total"]) == (4, 10, 57, 101)
    assert behind["pace"]["expected_hours"] == 90 and behind["pace"]["ahead_hours"] == -33
    assert behind["pace"]["ahead_days"] == -23.1
    assert [n["id"] for n in behind["next"]] == ["partial-derivatives", "taylor-series"]
    markdown = run("progress", "-t", "developer", "--format", "markdown").stdout
    assert markdown.startswith("# Progress toward Developer\n\n- **4 of 10 steps, 57 of 101 h known**\n")


@pytest.mark.parametrize("budget, pace", [
    # 19 days at 0.0002 h a week expect 0.0005 h: not "0 h"
    ("0.0002", "At 0.0002 h a week since 2026-01-01, as of 2026-01-20: ahead by 0.0095 h (331 days); "
               "the schedule expected 0.0005 h."),
    # 0.0109 h expected of 0.01 h known: behind, not "on schedule"
    ("0.004", "At 0.004 h a week since 2026-01-01, as of 2026-01-20: behind by 0.0009 h (1.5 days); "
              "the schedule expected 0.0109 h."),
    ("0.03", "At 0.03 h a week since 2026-01-01, as of 2026-01-20: behind by 0.01 h (2.3 days); "
             "the schedule expected 0.02 h."),
])
def test_a_tiny_budget_reports_its_small_hours_and_not_0_h(tmp_path, budget, pace):
    folder = write_map(tmp_path / "tiny", "nodes:\n  - {id: a, name: A, kind: topic, hours: 0.01}\n"
                                          "  - {id: b, name: B, kind: topic, hours: 0.01}\n",
                       "edges:\n  - {from: a, to: b}\n")
    args = ("--data", folder, "progress", "-t", "b", "--known", "a", "--hours-per-week", budget,
            "--start", "2026-01-01", "--today", "2026-01-20")
    lines = graph(*args).stdout.splitlines()
    assert lines[3] == pace
    shown = json.loads(graph(*args, "--format", "json").stdout)["targets"][0]["pace"]
    assert f"ahead by {shown['ahead_hours']} h" in pace or f"behind by {-shown['ahead_hours']} h" in pace
    assert f"expected {shown['expected_hours']} h" in pace


def test_progress_report_needs_both_budget_and_start_and_defaults_to_each_degree(home):
    result = run("progress", "--hours-per-week", "5")
    assert result.exit_code == 2 and "--hours-per-week: needs --start too" in result.stderr
    result = run("progress", "--start", "2026-01-01")
    assert result.exit_code == 2 and "--start: needs --hours-per-week too" in result.stderr
    assert run("progress").stdout.startswith("Progress toward developer (Developer): 0 of 10 steps, 0 of 101 h known.")


def test_progress_completion_covers_its_options_and_ids():
    from test_cli_find import complete

    options = {value for _, value in complete("graph progress --")}
    assert {"--target", "--known", "--progress", "--hours-per-week", "--start", "--today", "--format"} <= options
    assert ("plain", "developer") in complete("graph progress --target dev")
    assert {value for _, value in complete("graph progress --format ")} == {"text", "markdown", "json"}
