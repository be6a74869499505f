"""The learner's CLI, third pass: 'graph courses', output files whose extension and --format agree, --output
everywhere, '-target', numbers as given, and validate's counts. Each test reproduces one defect of the issue."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import graph, process, write_map
from graph.courses import course_plan
from graph.load import load
from graph.plan import study_plan


@pytest.fixture(autouse=True)
def _clean_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPH_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("GRAPH_PROGRESS", "GRAPH_DATA", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


NODES = """\
nodes:
  - {id: a, name: Alpha, kind: topic, hours: 5}
  - {id: b, name: Beta, kind: topic, hours: 5}
  - {id: c, name: Gamma, kind: topic, hours: 5}
  - {id: lonely, name: Lonely, kind: topic, hours: 2}
  - {id: goal, name: The goal, kind: degree}
  - {id: book, name: The book, kind: resource, format: book, free: true, hours: 100}
  - {id: course, name: The course, kind: resource, format: course, free: false, hours: 20}
"""
EDGES = """\
edges:
  - {from: a, to: b}
  - {from: b, to: c}
  - {from: c, to: goal}
  - {from: lonely, to: goal}
  - {from: book, to: a, relation: teaches, part: Chapter 1, hours: 6.25}
  - {from: book, to: b, relation: teaches, part: Chapter 2, hours: 7}
  - {from: book, to: c, relation: teaches, part: Chapter 3, hours: 8}
  - {from: course, to: a, relation: teaches}
  - {from: course, to: b, relation: teaches}
  - {from: course, to: c, relation: teaches}
"""


@pytest.fixture()
def shop(tmp_path) -> Path:
    return write_map(tmp_path / "shop", NODES, EDGES)


def courses(shop, *args):
    result = graph("--data", shop, "courses", "--target", "goal", *args)
    assert result.exit_code == 0, result.output
    return result


def courses_json(shop, *args) -> dict:
    return json.loads(courses(shop, *args, "--format", "json").stdout)


# --- graph courses -------------------------------------------------------------------------------------------------

def test_courses_takes_the_fewest_hours_and_says_what_no_resource_teaches(shop):
    found = courses_json(shop)
    assert [(r["id"], r["steps"], r["hours"]) for r in found["resources"]] == [("course", ["a", "b", "c"], 20)]
    assert found["total_hours"] == 20 and found["uncovered"] == ["lonely"] and found["method"] == "exact"
    text = courses(shop).stdout
    assert "The course" in text and "teaches 3 steps, the first at step 1: a, b, c" in text
    assert "No resource teaches 1 step (2 h): lonely" in text
    assert "exact, of 2 candidate resources" in text and text.rstrip().endswith("Total: 20 h over 1 resource")


def test_courses_free_takes_only_free_resources(shop):
    found = courses_json(shop, "--free")
    assert [(r["id"], r["hours"]) for r in found["resources"]] == [("book", 100)]
    assert "free ones only" in courses(shop, "--free").stdout


def test_courses_parts_counts_the_parts_taken(shop):
    found = courses_json(shop, "--parts", "--free")
    assert [(r["id"], r["hours"], r["whole"]) for r in found["resources"]] == [("book", 21.25, False)]
    assert "Chapter 1, 6.25 h" in courses(shop, "--parts", "--free").stdout


def test_courses_honours_what_is_known_as_order_does(shop, tmp_path):
    (tmp_path / "progress.yaml").write_text("known: [b]\n")
    found = courses_json(shop, "--free", "--parts")
    assert [r["steps"] for r in found["resources"]] == [["c"]]
    assert "Known: 1 marked (2 with what they need), from progress.yaml" in courses(shop).stdout
    assert [r["steps"] for r in courses_json(shop, "--known", "c")["resources"]] == []


def test_courses_agrees_with_the_library_on_the_bundled_map():
    graph_ = load(Path(__file__).parent.parent / "data", use_cache=False).graph
    expected = course_plan(graph_, study_plan(graph_, "developer"))
    found = json.loads(graph("courses", "-t", "developer", "--format", "json").stdout)
    assert found["total_hours"] == expected.total_hours
    assert [r["id"] for r in found["resources"]] == [c.id for c in expected.courses]


def test_courses_output_is_deterministic_and_written_by_extension(shop, tmp_path):
    first = courses(shop, "--format", "markdown").stdout
    assert first == courses(shop, "--format", "markdown").stdout
    assert first.startswith("# Courses: The goal")
    result = graph("--data", shop, "courses", "-t", "goal", "-o", "plan.md")
    assert result.exit_code == 0 and (tmp_path / "plan.md").read_text() == first


def test_completion_covers_courses_and_its_options(shop):
    def complete(words):
        parts = words.split(" ")
        run = process(env={"_GRAPH_COMPLETE": "bash_complete", "COMP_WORDS": words,
                           "COMP_CWORD": str(len(parts) - 1)})
        assert run.returncode == 0, run.stderr
        return {line.split(",", 1)[1] for line in run.stdout.splitlines() if line}

    assert "courses" in complete("graph cour")
    assert {"--free", "--format"} <= complete("graph courses --f")
    assert "--parts" in complete("graph courses --pa")
    assert "developer" in complete("graph courses --target dev")
    assert "limits,derivatives" in complete("graph courses --known limits,deriv")


# --- 5. output files ----------------------------------------------------------------------------------------------

def test_5_an_extension_no_format_has_is_refused_unless_the_format_is_asked_for(tmp_path):
    result = graph("order", "-t", "developer", "--output", "plan.pdf")
    assert result.exit_code == 2 and "'plan.pdf' ends in .pdf, which is no format this command writes" in result.output
    assert not (tmp_path / "plan.pdf").exists()
    asked = graph("order", "-t", "developer", "--output", "plan.pdf", "--format", "text")
    assert asked.exit_code == 0 and (tmp_path / "plan.pdf").read_text().startswith("Study plan for Developer")


def test_5_an_extension_that_names_another_format_is_refused(tmp_path):
    result = graph("order", "-t", "developer", "--format", "markdown", "--output", "plan.ics")
    assert result.exit_code == 2
    assert "'plan.ics' ends in .ics (ics), but --format markdown writes markdown: name it 'plan.md'" in result.output
    assert not (tmp_path / "plan.ics").exists()
    exported = graph("export", "--format", "dot", "--output", "map.json")
    assert exported.exit_code == 2 and "'map.json' ends in .json (json), but --format dot" in exported.output


def test_5_an_ics_extension_without_a_budget_names_the_extension_not_format():
    result = graph("order", "-t", "developer", "--output", "plan.ics")
    assert result.exit_code == 2
    assert "--output: a .ics file is a calendar, which needs --hours-per-week" in result.output
    assert "--format" not in result.output.split("Error:")[1]


@pytest.mark.parametrize("command", [["html"], ["build"]])
@pytest.mark.parametrize("option", ["--output", "--out", "-o"])
def test_5_output_everywhere_with_out_kept_as_an_alias(command, option, tmp_path):
    target = tmp_path / "site" / ("graph.html" if command == ["html"] else "out")
    result = graph(*command, option, target)
    assert result.exit_code == 0, result.output
    assert target.exists()


def test_5_import_takes_output(tmp_path):
    (tmp_path / "pairs.csv").write_text("a,b\nb,c\n")
    for option in ("--output", "--out"):
        result = graph("import", "csv", "pairs.csv", option, tmp_path / option.strip("-"))
        assert result.exit_code == 0, result.output
        assert (tmp_path / option.strip("-") / "edges.yaml").exists()


def test_5_a_refusal_names_the_spelling_typed(tmp_path):
    data = Path(__file__).parent.parent / "data"
    for option in ("--out", "--output"):
        result = graph("html", option, data / "page.html")
        assert result.exit_code == 2 and f"Error: {option}: " in result.output


@pytest.mark.parametrize("typed, meant", [("-target", "--target"), ("-hours-per-week=8", "--hours-per-week=8")])
def test_5_a_long_option_with_one_dash_suggests_two(typed, meant):
    result = graph("order", typed, "developer")
    assert result.exit_code == 2
    assert f"'{typed}': a long option takes two dashes: did you mean '{meant}'?" in result.output


# --- 6. numbers ---------------------------------------------------------------------------------------------------

def test_6_a_schedule_past_20_years_is_refused_saying_so():
    result = graph("order", "-t", "developer", "--hours-per-week", "0.001", "--start", "2027-01-04")
    assert result.exit_code == 2
    assert "--hours-per-week: the schedule would run past 20 years" in result.output
    assert "give more hours a week" in result.output


def test_6_hours_a_week_print_as_given():
    result = graph("order", "-t", "developer", "--hours-per-week", "6.25", "--start", "2027-01-04")
    assert "Schedule: 6.25 h a week from Mon 2027-01-04" in result.stdout


def test_6_one_week_and_one_step_are_singular(shop, tmp_path):
    result = graph("--data", shop, "order", "-t", "a", "--hours-per-week", "10", "--start", "2027-01-04",
                   "--output", "plan.ics")
    assert result.exit_code == 0, result.output
    assert "(ics: 1 step, 1 week to 2027-01-10;" in result.stdout


# --- 7. validate --------------------------------------------------------------------------------------------------

def test_7_an_unknown_node_does_not_hide_the_warnings(tmp_path):
    nodes = "nodes:\n" + "".join(f"  - {{id: t{i}, name: T{i}, kind: resource}}\n" for i in range(5))
    nodes += "  - {id: r, name: R, kind: resource}\n  - {id: x, name: X, kind: topic}\n  - {id: y, name: Y, kind: topic}\n"
    edges = ("edges:\n  - {from: x, to: y}\n  - {from: r, to: x, relation: teaches}\n"
             "  - {from: r, to: y, relation: teaches}\n  - {from: x, to: nowhere}\n")
    folder = write_map(tmp_path / "m", nodes, edges)
    result = graph("--data", folder, "validate")
    assert result.exit_code == 1
    assert result.stdout.count(": warning: node 't") == 5, result.stdout
    assert "error: edge 'to' names unknown node 'nowhere'" in result.stdout
    assert result.stdout.rstrip().endswith("8 nodes, 4 edges: 1 error, 5 warnings")


def test_7_the_edge_count_includes_bad_edges_as_import_counts_them(tmp_path):
    (tmp_path / "pairs.csv").write_text("a,b\nb,c\nc,d\nd,e\n")
    imported = graph("import", "csv", "pairs.csv", "--output", tmp_path / "m")
    assert "(4 edges)" in imported.stdout
    edges = tmp_path / "m" / "edges.yaml"
    edges.write_text(edges.read_text().replace("to: e", "to: nowhere").replace("from: a", "from: nobody"))
    checked = graph("--data", tmp_path / "m", "validate", "--format", "json")
    assert json.loads(checked.stdout)["edges"] == 4
