"""The surfaces added last round under hostile input: diff revisions, the progress lock, completion,
bounded reads, import values, CI output, and what a writer leaves (one test or more per finding)."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml

from cli_helpers import SCRIPT, graph
from graph import cache
from graph.diff import DiffFailure, read_side
from graph.progress import edit_progress, read_progress, write_progress
from graph.readlimits import PROGRESS, Limit, read_bounded
from graph.render.yaml import Item, entries_yaml
from test_hostile_limits import measure
from test_robustness import SMALL_NODES, write_map

ENV = {**os.environ, "GRAPH_DEBUG": ""}


def run(*args, cwd=None, env=None):
    """Run ``graph ARGS`` as a process; return how it ended and its processor seconds (a loaded machine's
    wall time says little)."""
    if cwd is None:
        with tempfile.TemporaryDirectory() as folder:
            return run(*args, cwd=folder, env=env)
    measured = measure(args, Path(cwd), env)
    return subprocess.CompletedProcess(args, measured.code, measured.out, measured.err), measured.cpu


# --- 1. diff revisions -------------------------------------------------------------------------------------------

@pytest.fixture()
def repo(tmp_path, monkeypatch):
    """A git repository whose commit holds the small map under data/; the current folder."""
    root = tmp_path / "repo"
    write_map(root / "data")
    git = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(tmp_path)}
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "map"]):
        subprocess.run(["git", *args], cwd=root, check=True, env={**os.environ, **git}, capture_output=True)
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize("spec", ["--output=keep:", "--output=keep:data", "-p:data", "--no-index:."])
def test_a_revision_that_begins_with_a_dash_is_refused_by_the_library(repo, spec):
    with pytest.raises(DiffFailure, match="a revision cannot begin with '-'"):
        read_side(spec, "NEW")
    assert sorted(p.name for p in repo.iterdir()) == [".git", "data"]  # git wrote nothing


def test_diff_cannot_be_made_to_write_files_through_a_revision(repo):
    done, _ = run("diff", "--", "main:data", "--output=keep:", cwd=repo)
    assert done.returncode == 2, done.stderr
    assert b"a revision cannot begin with '-'" in done.stderr
    assert sorted(p.name for p in repo.iterdir()) == [".git", "data"]


def test_a_blob_over_the_limit_is_refused_from_its_size_before_it_is_read(repo, monkeypatch):
    calls = []
    real = subprocess.run

    def recording(args, *rest, **options):
        calls.append(list(args))
        return real(args, *rest, **options)

    monkeypatch.setattr(subprocess, "run", recording)
    monkeypatch.setenv("GRAPH_MAX_FILE_MB", "0.001")  # 1,048 bytes: the small map's nodes.yaml is larger
    with pytest.raises(DiffFailure, match=r"'main:data/nodes.yaml': the file is [\d,]+ bytes, over the data file "
                                          r"limit of 1,048 bytes \(raise it with GRAPH_MAX_FILE_MB\)"):
        read_side("main:data", "OLD")
    assert calls == [["git", "cat-file", "-s", "--end-of-options", "main:data/nodes.yaml"]]


def test_a_revision_is_still_read_and_compared(repo):
    (repo / "data" / "nodes.yaml").write_text(SMALL_NODES.replace("hours: 10\n", "hours: 11\n", 1))
    side = read_side("main:data", "OLD")
    assert side.loaded.graph.nodes["arithmetic"]["hours"] == 10 and not side.loaded.errors


# --- 2. the progress lock, through a link and its target ---------------------------------------------------------

def _writer(path: str, ids: list, start) -> None:
    start.wait()
    for node in ids:
        edit_progress(path, lambda entries, node=node: ([i for i, _ in entries] + [node], None))


def test_writers_through_a_link_and_through_its_target_lose_no_ids(tmp_path):
    (tmp_path / "A").mkdir()
    (tmp_path / "B").mkdir()
    target = tmp_path / "B" / "p.yaml"
    link = tmp_path / "A" / "link.yaml"
    link.symlink_to(target)
    context = multiprocessing.get_context("fork")
    start = context.Event()
    names = [[f"id-{w}-{k}" for k in range(8)] for w in range(8)]
    workers = [context.Process(target=_writer, args=(str(link if w % 2 else target), names[w], start))
               for w in range(8)]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert link.is_symlink()
    assert sorted(read_progress(target)) == sorted(n for ids in names for n in ids)


# --- 3. completion, and areas as slugs ---------------------------------------------------------------------------

HOSTILE_AREAS = """\
nodes:
  - {id: a, name: "Line\\none", kind: topic, area: "$(touch PWNED)"}
  - {id: b, name: "B\\u001b[31m", kind: topic, area: "*"}
  - {id: c, name: "C:x", kind: topic, area: "`touch PWNED`"}
  - {id: d, name: D, kind: topic, area: "two\\nlines"}
  - {id: e, name: E, kind: topic, area: fine-area}
"""


def _complete(shell: str, folder: Path, words: list, cwd: Path) -> str:
    """What ``graph`` answers a shell completing the last of ``words`` (``""``: a new word)."""
    if shell == "fish":  # the command line up to the cursor, and the word under it
        env = {"COMP_WORDS": " ".join(["graph", "--data", str(folder), *words]), "COMP_CWORD": words[-1]}
    else:
        env = {"COMP_WORDS": " ".join(["graph", "--data", str(folder), *words[:-1], words[-1] or "''"]),
               "COMP_CWORD": str(len(words) + 2)}
    done = subprocess.run([*SCRIPT], capture_output=True, cwd=cwd, timeout=60,
                          env={**ENV, **env, "_GRAPH_COMPLETE": f"{shell}_complete"})
    assert done.returncode == 0, done.stderr
    return done.stdout.decode()


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_hands_the_shell_only_safe_text(tmp_path, shell):
    folder = write_map(tmp_path / "data", HOSTILE_AREAS, "edges:\n  - {from: a, to: b}\n")
    offered = []
    for words in (["list", "--area", ""], ["show", ""], ["next", "--known", "a,"]):
        text = _complete(shell, folder, words, tmp_path)
        if shell == "zsh":  # three lines an item: type, value, help
            lines = text.splitlines()
            assert len(lines) % 3 == 0, text
            items = [lines[k:k + 3] for k in range(0, len(lines), 3)]
        else:  # a line an item: type,value (and for fish a tab and the help)
            items = [[*line.split("\t", 1)[0].split(",", 1), line.partition("\t")[2]] for line in text.splitlines()]
        assert all(kind == "plain" for kind, _, _ in items), text
        assert all("\x1b" not in help for _, _, help in items), text
        offered += [value for _, value, _ in items]
    assert all(value.replace(",", "-").replace("-", "").isalnum() and value == value.lower() for value in offered)
    assert "fine-area" in offered and "a" in offered and "a,b" in offered
    assert not any(name.startswith("PWNED") for name in os.listdir(tmp_path))


def test_validate_refuses_an_area_that_is_not_a_slug_and_suggests_its_slug(tmp_path):
    folder = write_map(tmp_path / "data", SMALL_NODES.replace("area: foundations", "area: Linear Algebra", 1))
    result = graph("--data", folder, "--no-cache", "validate")
    assert result.exit_code == 1
    assert ("error: bad area 'Linear Algebra' of node 'arithmetic': use lowercase letters, digits and '-' "
            "(a slug such as 'linear-algebra'); did you mean 'linear-algebra'?") in result.stdout


def test_import_makes_areas_slugs(tmp_path):
    (tmp_path / "e.csv").write_text("a,b\nb,c\n")
    (tmp_path / "n.csv").write_text("id,name,area\na,A,Linear Algebra\nb,B,Linear Algebra\nc,C,calculus\n")
    result = graph("import", "csv", tmp_path / "e.csv", "--nodes", tmp_path / "n.csv", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "note: 1 area made into a slug, as areas are (e.g. 'Linear Algebra' -> 'linear-algebra')" in result.stderr
    nodes = yaml.safe_load((tmp_path / "out" / "nodes.yaml").read_text())["nodes"]
    assert [n.get("area") for n in nodes] == ["linear-algebra", "linear-algebra", "calculus"]
    assert graph("--data", tmp_path / "out", "--no-cache", "validate").exit_code == 0


# --- 4./5. bounded reads: aliases, FIFOs, devices, huge files -------------------------------------------------------

def test_a_progress_file_of_aliases_is_refused_at_once(tmp_path):
    folder = write_map(tmp_path / "data")
    progress = tmp_path / "progress.yaml"
    progress.write_text("known: [&a " + "q" * 10_000 + ", " + ", ".join(["*a"] * 10_000) + "]\n")
    assert progress.stat().st_size < 60_000
    for command in (["next"], ["order", "-t", "calculus"], ["done", "calculus"]):
        done, seconds = run("--data", folder, "--no-cache", *command, cwd=tmp_path)
        assert done.returncode == 2, done.stderr[-500:]
        assert len(done.stdout) + len(done.stderr) < 2_000
        assert (f"{progress.name}:1: error: progress file: YAML aliases (*name) repeat text, and they are not "
                "allowed; write each id out").encode() in done.stderr
        assert seconds < 5


def test_the_progress_limits_are_written_down_once_and_handed_to_the_page():
    import networkx as nx

    from graph.render.html import render_html

    g = nx.DiGraph()
    g.add_node("a", name="A", kind="topic")
    page = render_html(g)
    start = page.index('{"key":')
    data = json.JSONDecoder().raw_decode(page[start:])[0]
    assert data["progressLimits"] == PROGRESS.to_dict() == {"bytes": 4 * 1024 * 1024, "encodings": ["utf-8"],
                                                            "aliases": 0, "depth": 10}
    script = (Path(__file__).parent.parent / "graph" / "render" / "html_assets" / "progress.js").read_text()
    assert "16 * 1024 * 1024" not in script and "maxAliases: LIMITS.aliases" in script


def test_a_progress_file_over_its_limit_is_refused_naming_the_limit(tmp_path):
    folder = write_map(tmp_path / "data")
    progress = tmp_path / "big.yaml"
    with open(progress, "wb") as out:
        out.write(b"known:\n")
        out.truncate(PROGRESS.bytes + 1)
    done, seconds = run("--data", folder, "--no-cache", "next", "--progress", progress)
    assert done.returncode == 2
    assert (f"{progress}: error: progress file: the file is {PROGRESS.bytes + 1:,} bytes, over the progress file "
            f"limit of {PROGRESS.bytes:,} bytes").encode() in done.stderr
    assert seconds < 5


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_fifo_or_a_device_as_progress_file_exits_2_at_once_and_holds_no_lock(tmp_path, kind):
    folder = write_map(tmp_path / "data")
    if kind == "fifo":
        source = tmp_path / "p.yaml"
        os.mkfifo(source)
        what = "a FIFO (named pipe)"
    else:
        source = Path("/dev/zero")
        what = "a character device"
    for command in (["done", "calculus"], ["next"]):
        done, seconds = run("--data", folder, "--no-cache", *command, "--progress", source, cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert (f"{source}: error: progress file: the file is {what}, not a regular file, so it cannot be read "
                f"within the progress file limit of {PROGRESS.bytes:,} bytes").encode() in done.stderr
        assert seconds < 2
    # Nothing holds the folder's lock: another learner's file beside it is written at once.
    done, _ = run("--data", folder, "--no-cache", "done", "calculus", "--progress", tmp_path / "other.yaml")
    assert done.returncode == 0 and read_progress(tmp_path / "other.yaml") == ["calculus"]


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_fifo_or_a_device_as_import_source_exits_2_at_once(tmp_path, kind):
    if kind == "fifo":
        source = tmp_path / "e.csv"
        os.mkfifo(source)
    else:
        source = Path("/dev/zero")
    for fmt in ("csv", "json", "graphml"):
        done, seconds = run("import", fmt, source, "--out", tmp_path / "out")
        assert done.returncode == 2, done.stderr
        assert b"not a regular file, so it cannot be read within the import source limit of" in done.stderr
        assert seconds < 5


def test_a_fifo_as_a_data_file_is_reported_not_waited_on(tmp_path):
    folder = write_map(tmp_path / "data")
    (folder / "edges.yaml").unlink()
    os.mkfifo(folder / "edges.yaml")
    done, seconds = run("--data", folder, "validate")
    assert done.returncode == 1
    assert (f"{folder / 'edges.yaml'}:1: error: the file is a FIFO (named pipe), not a regular file, so it cannot "
            "be read within the data file limit of").encode() in done.stdout
    assert seconds < 5


def test_the_cache_key_reads_no_file_over_the_limit(tmp_path, monkeypatch):
    folder = write_map(tmp_path / "data")
    assert cache.key(folder / "nodes.yaml", folder / "edges.yaml", 1) is not None
    monkeypatch.setenv("GRAPH_MAX_FILE_MB", "1")
    with open(folder / "nodes.yaml", "r+b") as out:  # sparse: 3 GB on paper, nothing on disk
        out.truncate(3 * 1024 ** 3)
    reads = []
    real = os.read

    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real(fd, n))
    assert cache.key(folder / "nodes.yaml", folder / "edges.yaml", 1) is None
    assert sum(reads) <= 2 * 1024 * 1024


def test_the_bounded_reader_trusts_no_size_it_is_told(tmp_path):
    # /proc files say they hold nothing and hold more: at most the limit plus one byte is read.
    with pytest.raises(OSError, match="the file grew over the test limit of 10 bytes while it was read"):
        read_bounded("/proc/self/maps", Limit("the test limit", 10))


# --- 6. deep or huge imported values -----------------------------------------------------------------------------

def _graphml(value: str) -> str:
    return ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><key id="d" for="node" attr.name="aliases" '
            f'attr.type="string"><desc>json</desc></key><graph><node id="a"><data key="d">{value}</data></node>'
            '</graph></graphml>\n')


@pytest.mark.parametrize("name, text, message", [
    ("deep-300.json", '{"nodes": [{"id": "a", "aliases": ' + "[" * 300 + "]" * 300 + "}]}",
     "values nested more than 100 levels deep (raise it with GRAPH_MAX_DEPTH)"),
    ("deep-900.json", '{"nodes": [{"id": "a", "aliases": ' + "[" * 900 + "]" * 900 + "}]}",
     "values nested more than 100 levels deep"),
    ("deep-50000.json", '{"nodes": [{"id": "a", "x": ' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + "}]}",
     "values nested more than 100 levels deep"),
    ("digits.json", '{"nodes": [{"id": "a", "hours": ' + "9" * 5000 + "}]}",
     "a number of 5,000 characters is too long (at most 100)"),
    ("float.json", '{"nodes": [{"id": "a", "hours": 1.' + "9" * 5000 + "}]}",
     "a number of 5,002 characters is too long (at most 100)"),
    ("surrogate.json", '{"nodes": [{"id": "a", "name": "x\\ud800y"}]}',
     r"text holds a lone surrogate (\ud800), which is not a character"),
    ("desc.graphml", _graphml("[" * 900 + "]" * 900), ':1: <data key="d">: values nested more than 100 levels deep'),
    ("digits.graphml", _graphml("[" + "9" * 5000 + "]"), "a number of 5,000 characters is too long"),
])
def test_deep_or_huge_imported_values_exit_2_with_a_clear_message(tmp_path, name, text, message):
    source = tmp_path / name
    source.write_text(text)
    done, _ = run("import", name.rsplit(".", 1)[1], source, "--out", tmp_path / "out")
    assert done.returncode == 2, done.stderr
    assert done.stderr.decode().startswith(f"graph import: {source}")
    assert message in done.stderr.decode()
    assert not (tmp_path / "out").exists()


def test_a_csv_number_of_many_digits_stays_text_for_validate_to_report(tmp_path):
    (tmp_path / "e.csv").write_text("a,b\n")
    (tmp_path / "n.csv").write_text(f"id,name,hours\na,A,{'9' * 5000}\nb,B,1\n")
    result = graph("import", "csv", tmp_path / "e.csv", "--nodes", tmp_path / "n.csv", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    checked = graph("--data", tmp_path / "out", "--no-cache", "validate")
    assert checked.exit_code == 1 and "field 'hours' of node 'a' must be a number" in checked.stdout


# --- 7. the GitHub summary line ----------------------------------------------------------------------------------

def test_validate_github_escapes_the_folder_in_its_summary(tmp_path):
    folder = write_map(tmp_path / "d\n::error file=x,line=1::forged")
    done, _ = run("--data", folder, "--no-cache", "validate", "--format", "github", cwd=tmp_path)
    lines = done.stdout.decode().splitlines()
    assert done.returncode == 0 and len(lines) == 1, lines
    assert not any(line.startswith("::error") for line in lines)
    assert lines[0].startswith(f"{tmp_path}/d\\n::error file=x,line=1::forged: ")
    assert lines[0].endswith(": valid, 0 warnings")


def test_validate_text_escapes_the_folder_in_its_summary(tmp_path):
    folder = write_map(tmp_path / "d\x1b]0;title\x07")
    result = graph("--data", folder, "--no-cache", "validate")
    assert result.exit_code == 0 and "\x1b" not in result.stdout and "d\\x1b]0;title\\x07" in result.stdout


# --- 8. the rest: terminal escapes, YAML words, surrogates, edge lists, columns, temporary files ----------------

@pytest.mark.parametrize("name, text, args", [
    ("e.csv", "from,to,\x1b]0;pwned\x07\x1b[2Jscore\na,b,1\nb,c,2\n", ["--header"]),
    ("e.json", json.dumps({"nodes": [{"id": "a", "\x1b[31mred\u202e": 1}], "edges": []}), []),
])
def test_import_notes_never_send_escape_sequences_to_the_terminal(tmp_path, name, text, args):
    (tmp_path / name).write_text(text)
    done, _ = run("import", name.rsplit(".", 1)[1], tmp_path / name, *args, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert b"\x1b" not in done.stderr + done.stdout and "\u202e".encode() not in done.stderr
    assert b"\\x1b" in done.stderr


def test_an_import_failure_quoting_a_header_is_escaped_too(tmp_path):
    (tmp_path / "e.csv").write_text("from,\x1b[2Jto\na,b\n")
    done, _ = run("import", "csv", tmp_path / "e.csv", "--columns", "from,nope", "--out", tmp_path / "out")
    assert done.returncode == 2 and b"\x1b" not in done.stderr and b"\\x1b[2Jto" in done.stderr


class _Yaml11Loader(yaml.SafeLoader):
    """A reader of YAML 1.1 as the page's js-yaml reads it: y, Y, n and N are booleans too."""


_Yaml11Loader.add_implicit_resolver("tag:yaml.org,2002:bool", __import__("re").compile(r"^(?:y|Y|n|N)$"),
                                    list("yYnN"))
WORDS = ["y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False",
         "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~", ""]


def test_the_yaml_writers_quote_every_yaml_11_boolean_and_null_word(tmp_path):
    path = tmp_path / "p.yaml"
    write_progress(path, WORDS)
    assert yaml.load(path.read_text(), Loader=_Yaml11Loader) == {"known": WORDS}
    text = entries_yaml("nodes", [Item({"id": w, "name": w, "aliases": [w]}) for w in WORDS])
    assert [(n["id"], n["name"], n["aliases"]) for n in yaml.load(text, Loader=_Yaml11Loader)["nodes"]] == \
        [(w, w, [w]) for w in WORDS]


def test_done_y_n_writes_a_file_the_page_reads_as_ids(tmp_path):
    folder = write_map(tmp_path / "data", "nodes:\n  - {id: y, name: Y, kind: topic}\n"
                                          "  - {id: n, name: N, kind: topic}\n", "edges:\n  - {from: y, to: n}\n")
    progress = tmp_path / "p.yaml"
    assert graph("--data", folder, "--no-cache", "done", "y", "n", "--progress", progress).exit_code == 0
    assert yaml.load(progress.read_text(), Loader=_Yaml11Loader) == {"known": ["y", "n"]}


def test_a_one_row_edge_list_without_a_header_is_a_pair(tmp_path):
    (tmp_path / "e.csv").write_text("calculus,gradient-descent\n")
    result = graph("import", "csv", tmp_path / "e.csv", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    edges = yaml.safe_load((tmp_path / "out" / "edges.yaml").read_text())["edges"]
    assert edges == [{"from": "calculus", "to": "gradient-descent"}]


def test_an_edge_list_of_a_header_only_is_refused(tmp_path):
    (tmp_path / "e.csv").write_text("prerequisite,concept\n")
    result = graph("import", "csv", tmp_path / "e.csv", "--header", "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "the file holds a header row (prerequisite, concept) and no pairs" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("columns", ["1,1", "from,from", "2,to"])
def test_the_same_column_twice_is_refused(tmp_path, columns):
    (tmp_path / "e.csv").write_text("from,to\na,b\nb,c\n")
    result = graph("import", "csv", tmp_path / "e.csv", "--columns", columns, "--header", "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "--columns: both ends of the pair are column" in result.stderr and "give two different columns" in \
        result.stderr
    assert not (tmp_path / "out").exists()


_KILLED_WRITER = """
import os, sys, time
def hang(fd):
    print("writing", flush=True)
    time.sleep(120)
os.fsync = hang
from graph.progress import edit_progress
edit_progress(sys.argv[1], lambda entries: ([i for i, _ in entries] + ["calculus"], None))
"""


def test_a_writer_killed_before_its_rename_leaves_nothing_later_runs_keep(tmp_path):
    folder = write_map(tmp_path / "data")
    progress = tmp_path / "p.yaml"
    write_progress(progress, ["arithmetic"])
    writer = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(progress)], stdout=subprocess.PIPE)
    assert writer.stdout.readline() == b"writing\n"
    writer.send_signal(signal.SIGKILL)
    writer.wait(10)
    left = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1 and left[0].startswith(".p.yaml.")  # hidden, named for the file and its writer
    result = graph("--data", folder, "--no-cache", "done", "algebra", "--progress", progress)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "p.yaml"]
    assert read_progress(progress) == ["arithmetic", "algebra"]


def test_a_running_writers_temporary_file_is_left_alone(tmp_path):
    progress = tmp_path / "p.yaml"
    running = tmp_path / f".p.yaml.{os.getppid()}.abcd.tmp"  # a live process's (our parent's)
    running.write_text("half")
    write_progress(progress, ["a"])
    assert running.exists()
