"""graph import markdown (curated lists and curricula) and graph export --format markdown, held against their
sources row by row.

The seed list (tests/fixtures/awesomeMLmath.md) is EderSantana/awesomeMLmath's README, MIT licence, copyright
2016 Eder Santana; the licence is kept at the end of the copy.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli_helpers import BUNDLED, graph, write_map
from graph.imports import ImportFailure, folder_files
from graph.imports.markdown import name_key, read_markdown
from graph.load import load
from graph.render.markdown_list import map_markdown

SEED = Path(__file__).parent / "fixtures" / "awesomeMLmath.md"
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")


def nodes_of(imported) -> list[dict]:
    return [item.fields for item in imported.nodes]


def markdown_file(path: Path, text: str) -> Path:
    """``path``, with ``text`` written to it as UTF-8."""
    path.write_text(text, encoding="utf-8")
    return path


def line_of(item) -> int:
    return int(re.search(r" line (\d+)", item.source).group(1))


def written(imported, tmp_path: Path) -> dict:
    """The import as the folder it writes, loaded back: {id: fields}, and the diagnostics."""
    folder = tmp_path / "written"
    folder.mkdir(exist_ok=True)
    for name, text in folder_files(imported).items():
        (folder / name).write_text(text, encoding="utf-8")
    loaded = load(folder, use_cache=False)
    return loaded


# ---- the seed list ----

def test_the_seed_list_imports_a_resource_for_each_of_its_links_on_its_line():
    source = SEED.read_text(encoding="utf-8").splitlines()
    links = [(number, name, url) for number, line in enumerate(source, 1) for name, url in _LINK.findall(line)]
    assert len(links) == 14
    imported = read_markdown([SEED])
    resources = [(line_of(item), item.fields["name"], item.fields["url"]) for item in imported.nodes
                 if item.fields["kind"] == "resource"]
    assert resources == links


def test_the_seed_lists_headings_are_the_areas_and_the_text_after_a_link_its_summary():
    fields = {f["name"]: f for f in nodes_of(read_markdown([SEED]))}
    assert fields["Khan Academy Calculus"]["area"] == "calculus"
    assert fields["edx Probability"]["area"] == "statistics-and-probability"
    assert fields["An exploration of Random Processes for Engineers"]["summary"] == \
        "this is an advanced course but one of my favorites."
    assert fields["What are the best ways to pick up Deep Learning skills as an engineer?"]["summary"] == \
        "answer by Greg Brockman"
    assert "summary" not in fields["Keras"]  # "and" joins two links in a sentence
    assert fields["XGboost"]["summary"] == "for Kaggle competitions."
    assert "summary" not in fields["Khan Academy Calculus"]
    # the title (the one h1) is no area
    assert not any(f.get("area") == "awesomemlmath" for f in fields.values())


def test_the_seed_lists_order_statements_are_notes_not_edges():
    imported = read_markdown([SEED])
    assert imported.edges == []
    stated = [n for n in imported.notes if "states an order" in n]
    assert any("You should need calculus and linear algebra" in n and ":36)" in n for n in stated)
    assert any("theory behind RNN" in n for n in stated)


def test_heading_topics_make_each_heading_a_topic_its_links_teach(tmp_path):
    imported = read_markdown([SEED], heading_topics=True)
    loaded = written(imported, tmp_path)
    assert not loaded.errors
    g = loaded.graph
    assert g.nodes["linear-algebra"]["kind"] == "topic"
    assert sorted(u for u, _ in g.in_edges("linear-algebra")) == ["khan-academy-linear-algebra", "linear-algebra-mit"]
    assert all(d["relation"] == "teaches" for *_, d in g.edges(data=True))


def test_the_cli_imports_the_seed_into_a_valid_map(tmp_path):
    result = graph("import", "markdown", SEED, "--out", tmp_path / "seed")
    assert result.exit_code == 0, result.output
    assert "14 nodes" in result.stdout
    assert "states an order" in result.stderr
    assert graph("--data", tmp_path / "seed", "validate").exit_code == 0
    text = (tmp_path / "seed" / "nodes.yaml").read_text()
    assert "# " + str(SEED) + " line 9 (Calculus)" in text


# ---- a list as they are written in the wild ----

WILD = """\
<p align="center"><img src="logo.svg" alt="Awesome Math"><a href="https://html.example/only">in HTML</a></p>

# Awesome Math [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)

[![Build](https://img.shields.io/badge/build-passing-green.svg)](https://ci.example/build) ![pic](https://img.example/a.png)

## Contents

- [Algebra](#algebra)
- [Calculus](#calculus)
  - [Limits](#limits)

## Algebra

- [Linear Algebra Done Right][ladr] - Axler's book, *determinants last*.
- [Strang's lectures](https://ocw.mit.edu/18-06 "MIT") – The MIT course. Also [the notes](notes/strang.md).
- Exercises
  - [Problem sets](https://example.org/psets) - Weekly sets.
  - Harder ones
    - [Olympiad](https://example.org/olympiad): For fun.
- [3Blue1Brown](https://www.3blue1brown.com/) - Visual. Start with this before Axler.
  - [Essence of calculus](https://www.3blue1brown.com/calculus) - The sequel.

<details>
<summary>Older links</summary>

- [Old book](https://example.org/old) - From 1990.

</details>

## Calculus

Paragraph with [a link](https://example.org/paragraph) inside and [another](https://example.org/second) after.
Mail [the author](mailto:me@example.org) or see [the license](LICENSE).

- [Strang's lectures](https://ocw.mit.edu/18-06) - Listed again.

```
[not a link](https://example.org/in-code)
```

[ladr]: https://linear.axler.net/ "Axler"
"""


@pytest.fixture()
def wild(tmp_path) -> Path:
    return markdown_file(tmp_path / "awesome.md", WILD)


def test_a_wild_list_gives_one_resource_per_http_link_row_by_row(wild):
    imported = read_markdown([wild])
    rows = [(line_of(i), i.fields["name"], i.fields["url"], i.fields.get("summary"), i.fields.get("area"))
            for i in imported.nodes]
    assert rows == [
        (15, "Linear Algebra Done Right", "https://linear.axler.net/", "Axler's book, determinants last.", "algebra"),
        (16, "Strang's lectures", "https://ocw.mit.edu/18-06", "The MIT course. Also the notes.", "algebra"),
        (18, "Problem sets", "https://example.org/psets", "Weekly sets.", "algebra"),
        (20, "Olympiad", "https://example.org/olympiad", "For fun.", "algebra"),
        (21, "3Blue1Brown", "https://www.3blue1brown.com/", "Visual. Start with this before Axler.", "algebra"),
        (22, "Essence of calculus", "https://www.3blue1brown.com/calculus", "The sequel.", "algebra"),
        (27, "Old book", "https://example.org/old", "From 1990.", "algebra"),
        (33, "a link", "https://example.org/paragraph", "inside and", "calculus"),
        (33, "another", "https://example.org/second", "after.", "calculus"),
    ]


def test_badges_images_anchors_relative_links_mailto_html_and_code_are_not_resources(wild):
    imported = read_markdown([wild])
    urls = {i.fields["url"] for i in imported.nodes}
    for url in ("https://awesome.re", "https://ci.example/build", "https://img.example/a.png",
                "https://html.example/only", "https://example.org/in-code", "#algebra", "LICENSE",
                "notes/strang.md", "mailto:me@example.org"):
        assert url not in urls
    assert "3 HTML blocks of " + str(wild) + " left out, unread (lines 1, 24, 29)" in imported.notes
    assert any("not http(s)" in n for n in imported.notes)


def test_nested_lists_keep_their_groups_in_comments_and_as_topics(wild, tmp_path):
    imported = read_markdown([wild])
    sources = {i.fields["name"]: i.source for i in imported.nodes}
    assert sources["Olympiad"].endswith("line 20 (Algebra > Exercises > Harder ones)")
    assert sources["Essence of calculus"].endswith("line 22 (Algebra > 3Blue1Brown)")
    with_topics = read_markdown([wild], heading_topics=True)
    g = written(with_topics, tmp_path).graph
    assert g.nodes["exercises"]["kind"] == "topic" and g.nodes["harder-ones"]["kind"] == "topic"
    assert set(g.predecessors("exercises")) == {"problem-sets"}
    assert set(g.predecessors("harder-ones")) == {"olympiad"}
    assert "strang-s-lectures" in g.predecessors("algebra") and "strang-s-lectures" in g.predecessors("calculus")


def test_a_link_listed_again_is_one_resource_and_said_so(wild):
    imported = read_markdown([wild])
    assert [i.fields["url"] for i in imported.nodes].count("https://ocw.mit.edu/18-06") == 1
    assert any("listed again" in n and ":36" in n for n in imported.notes)


def test_an_order_stated_in_a_list_item_is_kept_as_a_note(wild):
    notes = read_markdown([wild]).notes
    # the order stands in a summary here: it is the resource's text, so kept there, not noted
    assert not any("Start with this" in n for n in notes)


def test_a_file_with_no_link_and_no_curriculum_fails_clearly(tmp_path):
    path = tmp_path / "empty.md"
    path.write_text("# Nothing\n\nJust [an anchor](#x).\n")
    with pytest.raises(ImportFailure, match="no http"):
        read_markdown([path])
    result = graph("import", "markdown", path, "--out", tmp_path / "out")
    assert result.exit_code == 2 and "empty.md" in result.stderr


# ---- a curriculum ----

CURRICULUM = """\
# Computer science

## Core programming

Courses | Duration | Effort | Prerequisites
:-- | :--: | :--: | :--:
[Intro to Python](https://example.edu/python) | 9 weeks | 6-10 hours/week | none
[How to Code - Simple Data](https://example.edu/htc1) | 7 weeks | 8-10 hours/week | Intro to python
[How to Code: Complex Data](https://example.edu/htc2) | 6 weeks | 8 hours/week | how-to-code simple data, high school algebra
Programming Languages | 30 hours | - | [How to Code: Complex Data](https://example.edu/htc2); Discrete math
[Software Construction](https://example.edu/sc) | 6 weeks | lots | How To Code Complex Dta

## Math

| Course | Duration | Effort | Prerequisites |
| --- | --- | --- | --- |
| Discrete Math | 12 weeks | 5 hours/week | – |
"""


@pytest.fixture()
def curriculum(tmp_path) -> Path:
    return markdown_file(tmp_path / "curriculum.md", CURRICULUM)


def test_each_row_of_a_curriculum_is_a_node_with_hours_from_duration_times_effort(curriculum):
    imported = read_markdown([curriculum])
    rows = [(line_of(i), i.fields["name"], i.fields["kind"], i.fields.get("hours"), i.fields.get("area"))
            for i in imported.nodes if "prerequisite '" not in i.source]
    assert rows == [
        (7, "Intro to Python", "resource", 72, "core-programming"),
        (8, "How to Code - Simple Data", "resource", 63, "core-programming"),
        (9, "How to Code: Complex Data", "resource", 48, "core-programming"),
        (10, "Programming Languages", "topic", 30, "core-programming"),
        (11, "Software Construction", "resource", None, "core-programming"),
        (17, "Discrete Math", "topic", 60, "math"),
    ]
    sources = {i.fields["name"]: i.source for i in imported.nodes}
    assert "9 weeks x 8 h a week (6-10 averaged)" in sources["Intro to Python"]
    assert "no hours: cannot multiply '6 weeks' by 'lots'" in sources["Software Construction"]
    assert {i.fields["url"] for i in imported.nodes if "url" in i.fields} >= {"https://example.edu/python"}


def test_curriculum_prerequisites_resolve_by_name_ignoring_case_spaces_hyphens_and_punctuation(curriculum, tmp_path):
    imported = read_markdown([curriculum])
    loaded = written(imported, tmp_path)
    assert not loaded.errors, loaded.errors
    edges = sorted((u, v) for u, v in loaded.graph.edges)
    assert edges == sorted([
        ("intro-to-python", "how-to-code-simple-data"),
        ("how-to-code-simple-data", "how-to-code-complex-data"),
        ("high-school-algebra", "how-to-code-complex-data"),
        ("how-to-code-complex-data", "programming-languages"),
        ("discrete-math", "programming-languages"),  # a row further down the file
        ("how-to-code-complex-dta", "software-construction"),
    ])
    assert name_key("How to Code: Complex Data") == name_key("how-to-code complex data")


def test_an_unresolved_prerequisite_is_a_topic_of_its_own_listed_with_a_did_you_mean(curriculum):
    imported = read_markdown([curriculum])
    topics = {i.fields["name"]: i for i in imported.nodes if "names no course" in i.source}
    assert set(topics) == {"high school algebra", "How To Code Complex Dta"}
    assert all(t.fields["kind"] == "topic" for t in topics.values())
    note = next(n for n in imported.notes if "'How To Code Complex Dta'" in n)
    assert ":11)" in note and "did you mean 'How to Code: Complex Data'" in note
    assert not any("'none'" in n or "'–'" in n for n in imported.notes)


# ---- the export, and the round trip ----

def _resources(g) -> set:
    return {(d.get("url"), d.get("current_url")) for _, d in g.nodes(data=True)
            if d.get("kind") == "resource" and d.get("url")}


def test_the_export_groups_areas_with_topics_in_study_order_and_one_item_per_resource(sample_graph):
    text = map_markdown(sample_graph)
    lines = text.splitlines()
    assert "A list carries no prerequisite edges" in text
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == ["## Math", "## Statistics", "## Ml"]
    assert lines[4] == "- **ML engineer** (goal): Builds and ships models."  # no area: first, under no heading
    topics = [re.match(r"- \*\*(.+?)\*\*", line).group(1) for line in lines if line.startswith("- **")]
    position = {name: i for i, name in enumerate(topics)}
    assert position["Algebra"] < position["Calculus"] < position["Linear algebra"]
    assert position["Probability"] < position["Statistics"]
    strang = next(i for i, line in enumerate(lines) if "Strang" in line)
    assert lines[strang] == "  - [Strang: Linear Algebra](<https://ocw.mit.edu/courses/18-06>) (free)"
    assert lines[strang - 1].startswith("- **Linear algebra** (30 h)")
    assert "<" not in re.sub(r"\(<https?://[^>]*>\)", "", text)  # no raw HTML anywhere


def _part_urls(g) -> set:
    """Each teaches edge's part_url, as (the resource's url, the topic's name, the part's url)."""
    return {(g.nodes[u].get("url"), g.nodes[v]["name"], part) for u, v, part in g.edges(data="part_url") if part}


@pytest.mark.parametrize("topics", [False, True])
def test_the_round_trip_keeps_every_resources_url_current_url_and_part_url(tmp_path, topics):
    g = load(BUNDLED, use_cache=False).graph
    path = markdown_file(tmp_path / "map.md", map_markdown(g))
    imported = read_markdown([path], heading_topics=topics)
    back = written(imported, tmp_path)
    assert not back.errors, back.errors[:3]
    assert _resources(back.graph) == _resources(g)
    parts = _part_urls(g)
    assert len(parts) > 40
    if topics:  # each part's link comes back on the teaches edge to its topic
        assert _part_urls(back.graph) == parts
    else:  # no topics, no teaches edges to carry them: said, not lost in silence
        assert _part_urls(back.graph) == set()
        assert any(f"{len(parts)} links labelled 'part for this topic' left out" in n for n in imported.notes)
    by_url = {d["url"]: d for _, d in back.graph.nodes(data=True) if d.get("url")}
    for _, data in g.nodes(data=True):
        if data.get("kind") == "resource" and data.get("url"):
            again = by_url[data["url"]]
            assert again["name"] == data["name"]
            assert again.get("free") == data.get("free") and again.get("hours") == data.get("hours")


def test_the_cli_exports_markdown_and_its_round_trip_through_import(tmp_path):
    folder = write_map(tmp_path / "m", """\
nodes:
  - {id: t, name: "Topic *one*", kind: topic, area: basics, hours: 3}
  - {id: r, name: "Old [site]", kind: resource, url: "https://old.example/a_(b)?x=1&y=2",
     current_url: "https://new.example/a", free: false, hours: 1.5, summary: "Text with `code`, <b>tags</b> & #1"}
""", """\
edges:
  - {from: r, to: t, relation: teaches, part: Unit 2, part_url: "https://old.example/unit_(2)?a=1&b=<2>"}
""")
    result = graph("--data", folder, "export", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert ("  - [Old \\[site\\]](<https://old.example/a_(b)?x=1\\&y=2>) ([current address](<https://new.example/a>)) "
            "([part for this topic](<https://old.example/unit_(2)?a=1\\&b=\\<2\\>>)): "
            "Text with \\`code\\`, \\<b\\>tags\\</b\\> \\& \\#1 (paid, 1.5 h)") in result.stdout
    (tmp_path / "list.md").write_text(result.stdout)
    result = graph("import", "markdown", tmp_path / "list.md", "--out", tmp_path / "back", "--heading-topics")
    assert result.exit_code == 0, result.output
    back = load(tmp_path / "back", use_cache=False)
    assert not back.errors
    data = back.graph.nodes["old-site"]
    assert (data["url"], data["current_url"], data["free"], data["hours"]) == \
        ("https://old.example/a_(b)?x=1&y=2", "https://new.example/a", False, 1.5)
    assert data["summary"] == "Text with `code`, <b>tags</b> & #1"
    assert data["name"] == "Old [site]"
    assert back.graph.edges["old-site", "topic-one"] == {"relation": "teaches",
                                                          "part_url": "https://old.example/unit_(2)?a=1&b=<2>"}


def test_export_format_markdown_is_chosen_by_a_md_file_name(tmp_path, sample_dir):
    out = tmp_path / "list.md"
    assert graph("--data", sample_dir, "export", "--output", out).exit_code == 0
    assert out.read_text().startswith("# Study map\n")


def test_heading_topics_is_refused_for_other_formats(tmp_path):
    result = graph("import", "json", SEED, "--out", tmp_path / "o", "--heading-topics")
    assert result.exit_code == 2 and "--heading-topics" in result.output


# ---- hostile lists ----

def test_javascript_and_data_links_are_never_resources_and_markup_in_link_text_stays_text(tmp_path):
    path = tmp_path / "evil.md"
    path.write_text("# Evil\n\n"
                    "- [click](javascript:alert(1)) - x\n"
                    "- [JaVaScRiPt](JAVASCRIPT:alert(1))\n"
                    "- [data](data:text/html,<script>alert(1)</script>)\n"
                    "- [<script>alert(1)</script>](https://ok.example/) - <img src=x onerror=alert(1)> *b*\n"
                    "- [\\<script\\>](https://ok.example/esc) - escaped \\<img src=x\\>\n"
                    "- [red\u001bc\u0007 bell\u001b(B](https://ok.example/red)\n", encoding="utf-8")
    imported = read_markdown([path])
    urls = [i.fields["url"] for i in imported.nodes]
    assert urls == ["https://ok.example/", "https://ok.example/esc", "https://ok.example/red"]
    assert imported.nodes[1].fields["name"] == "<script>"  # text that shows as a tag is data
    first = imported.nodes[0].fields
    assert (first["name"], first["summary"]) == ("alert(1)", "b")  # raw HTML is never read, only the text
    loaded = written(imported, tmp_path)
    exported = map_markdown(loaded.graph)
    assert not re.search(r"(?<![\\(])<", exported)  # every < is escaped, or opens a link's <URL>
    assert "[\\<script\\>](<https://ok.example/esc>)" in exported
    assert "\x1b" not in (tmp_path / "written" / "nodes.yaml").read_text()
    # control characters become visible escapes, their backslash escaped for Markdown (GitHub shows \x1b)
    assert "\x1b" not in exported and "red\\\\x1bc\\\\x07 bell\\\\x1b(B" in exported


def test_text_quoted_in_notes_cannot_drive_the_terminal(tmp_path):
    path = tmp_path / "evil.md"
    path.write_text("# T\n\n## Part \x1b[2J\n\nRead this first \x1b]0;pwned\x07 then [x](https://x.example/).\n"
                    "Learn A before B\x1b[31m.\n", encoding="utf-8")
    result = graph("import", "markdown", path, "--out", tmp_path / "out")
    assert result.exit_code == 0 and "states an order" in result.stderr
    assert "\x1b" not in result.output and "\\x1b[31m" in result.stderr


def test_a_javascript_url_written_by_hand_is_refused_by_validate(tmp_path):
    folder = write_map(tmp_path / "m", "nodes:\n  - {id: r, name: R, kind: resource, url: 'javascript:alert(1)'}\n",
                       "edges: []\n")
    result = graph("--data", folder, "validate")
    assert result.exit_code != 0 and "http" in result.output


def test_deep_nesting_is_read_without_failing(tmp_path):
    deep = "".join("  " * i + "- level\n" for i in range(3000)) + "  " * 3000 + "- [deep](https://deep.example/)\n"
    quotes = ">" * 5000 + " [q](https://quote.example/)\n"
    path = tmp_path / "deep.md"
    path.write_text("# Deep\n\n" + deep + "\n" + quotes + "\n[ok](https://ok.example/)\n", encoding="utf-8")
    result = graph("import", "markdown", path, "--out", tmp_path / "out")
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        assert "https://ok.example/" in (tmp_path / "out" / "nodes.yaml").read_text()


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "huge.md"
    path.write_text("[a](https://a.example/)\n" * 60_000)
    result = graph("import", "markdown", path, "--out", tmp_path / "out", env={"GRAPH_MAX_FILE_MB": "1"})
    assert result.exit_code == 2 and "huge.md" in result.stderr and "GRAPH_MAX_FILE_MB" in result.stderr


def test_many_links_import_in_one_pass(tmp_path):
    path = tmp_path / "many.md"
    path.write_text("# Many\n\n## A\n\n" + "".join(f"- [Link {i}](https://m.example/{i}) - text {i}\n"
                                                     for i in range(5000)))
    imported = read_markdown([path])
    assert len(imported.nodes) == 5000
    assert imported.nodes[4999].fields["id"] == "link-4999" and line_of(imported.nodes[4999]) == 5004


def test_written_files_read_back_through_the_safe_loader(wild, tmp_path):
    files = folder_files(read_markdown([wild], heading_topics=True))
    assert yaml.safe_load(files["nodes.yaml"])["nodes"]


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30)
_PATH = st.text(st.sampled_from("abcXYZ019-._~()!$&'*+,;=:@%/?#[]"), max_size=25)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(resources=st.lists(st.tuples(_TEXT, _PATH, st.one_of(st.none(), _PATH), st.one_of(st.none(), _TEXT),
                                    st.one_of(st.none(), st.booleans()), st.one_of(st.none(), st.integers(0, 5000))),
                          min_size=1, max_size=6, unique_by=lambda r: r[1]))
def test_any_resource_round_trips_through_the_markdown_list(tmp_path, resources):
    import networkx as nx

    g = nx.DiGraph()
    for i, (name, path, current, summary, free, hours) in enumerate(resources):
        fields = {"name": name, "kind": "resource", "url": f"https://example.org/{i}/{path}", "summary": summary,
                  "current_url": None if current is None else f"http://new.example/{current}", "free": free,
                  "hours": hours}
        g.add_node(f"r{i}", **{k: v for k, v in fields.items() if v is not None})
    path = markdown_file(tmp_path / "list.md", map_markdown(g))
    back = {item.fields["url"]: item.fields for item in read_markdown([path]).nodes}
    for _, data in g.nodes(data=True):
        again = back[data["url"]]
        assert again.get("current_url") == data.get("current_url")
        assert again["name"] == " ".join(data["name"].split()) or not data["name"].strip()
        assert again.get("free") == data.get("free") and again.get("hours") == data.get("hours")
        if data.get("summary", "").strip():
            assert again.get("summary") == " ".join(data["summary"].split()), (data, again)
