"""Authors' CI: `graph validate --format github` annotations, the pre-commit hook, and `graph init`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import PAYLOADS, SAMPLE_EDGES, SAMPLE_NODES, write_data
from graph.cli import main
from graph.errors import Diagnostic
from graph.load import load
from graph.render.github import annotation

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPH_CACHE_DIR", str(tmp_path / "cache"))


# ---- GitHub workflow commands ----

# The runner's reading of a command line (actions/runner, ActionCommand.TryParseV2): '::', the command,
# optional properties after a space split on ',' and at the first '=', then '::' and the message.
COMMAND = re.compile(r"^::(?P<command>[a-z]+)(?: (?P<props>[^:]*))?::(?P<message>.*)$")
UNESCAPE_DATA = [("%0D", "\r"), ("%0A", "\n"), ("%25", "%")]
UNESCAPE_PROPERTY = [("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")]


def unescape(text: str, table) -> str:
    for escaped, plain in table:
        text = text.replace(escaped, plain)
    return text


def parse(line: str) -> tuple[str, dict, str]:
    match = COMMAND.match(line)
    assert match, line
    props = {}
    for pair in (match["props"] or "").split(","):
        key, _, value = pair.partition("=")
        props[key] = unescape(value, UNESCAPE_PROPERTY)
    return match["command"], props, unescape(match["message"], UNESCAPE_DATA)


@pytest.mark.parametrize("text", [*PAYLOADS, "100% sure\r\n::error::forged", "a,b:c=d::e", "%0A literal", "é ✓"])
def test_an_annotation_is_one_line_the_runner_reads_back_exactly(text):
    d = Diagnostic(f"maps/{text}/edges.yaml", 7, "error", f"bad name '{text}'")
    line = annotation(d)
    assert "\n" not in line and "\r" not in line
    command, props, message = parse(line)
    assert command == "error"
    assert props == {"file": d.path, "line": "7", "title": "graph validate"}
    assert message == d.message


def test_levels_map_to_error_warning_and_notice_and_a_missing_line_is_left_out():
    lines = [annotation(Diagnostic("n.yaml", line, level, "m")) for line, level in
             ((1, "error"), (2, "warning"), (0, "note"))]
    assert [parse(x)[0] for x in lines] == ["error", "warning", "notice"]
    assert "line" not in parse(lines[2])[1]


def test_validate_format_github_annotates_the_files_relative_to_the_workspace(tmp_path, monkeypatch):
    edges = [*SAMPLE_EDGES, {"from": "ml", "to": "algebra"}]
    write_data(tmp_path / "maps" / "ml", SAMPLE_NODES, edges)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    result = CliRunner().invoke(main, ["--data", str(tmp_path / "maps" / "ml"), "validate", "--format", "github"])
    assert result.exit_code == 1
    expected = [d for d in load(tmp_path / "maps" / "ml", use_cache=False).diagnostics]
    commands = [parse(line) for line in result.output.splitlines() if line.startswith("::")]
    assert [(c, p["file"], int(p["line"]), m) for c, p, m in commands] == \
        [(d.level, "maps/ml/" + Path(d.path).name, d.line, d.message) for d in expected]
    assert any(c == "error" and m.startswith("cycle: algebra -> calculus") for c, _, m in commands)


@pytest.mark.parametrize("data", ["ml", ".", "./ml/"])
def test_annotations_name_files_from_the_repository_root_whatever_the_working_folder(tmp_path, monkeypatch, data):
    # A step with `working-directory: maps`: GitHub still reads `file=` from the repository's root
    # ($GITHUB_WORKSPACE), so a path relative to the step's folder would miss the pull request's lines.
    write_data(tmp_path / "maps" / "ml", SAMPLE_NODES, [*SAMPLE_EDGES, {"from": "ml", "to": "algebra"}])
    monkeypatch.chdir(tmp_path / "maps" / ("ml" if data == "." else ""))
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    result = CliRunner().invoke(main, ["--data", data, "validate", "--format", "github"])
    commands = [parse(line) for line in result.output.splitlines() if line.startswith("::")]
    assert {props["file"] for _, props, _ in commands} <= {"maps/ml/nodes.yaml", "maps/ml/edges.yaml"}
    assert ("error", "maps/ml/edges.yaml") in {(c, props["file"]) for c, props, m in commands if m.startswith("cycle:")}


# ---- pre-commit ----

def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """This working tree (committed or not) as a git repository: what `repo:` of a user's config points at."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path_factory.mktemp("hook-repo")
    listed = _git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    files = [f for f in listed.stdout.split("\0") if f] if listed.returncode == 0 else []
    if not files:  # not a git checkout: the package and the manifest are enough
        files = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file() and ".git" not in p.parts
                 and "__pycache__" not in p.parts]
    for name in files:
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-qm", "hook repository")):
        assert _git(repo, *args).returncode == 0
    return repo, _git(repo, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture()
def git_identity(monkeypatch):
    for name in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{name}_NAME", "Map Keeper")
        monkeypatch.setenv(f"GIT_{name}_EMAIL", "keeper@example.org")


def test_the_pre_commit_hook_rejects_a_bad_map_and_accepts_a_good_one(tmp_path, hook_repo, git_identity,
                                                                        monkeypatch):
    pre_commit = pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install '.[test]')")
    assert pre_commit
    # pre-commit builds the hook's environment with virtualenv, which imports ssl: a Python that cannot
    # (a pyenv build run against another libpython, say) can build no Python hook at all, ours or any.
    ssl_check = subprocess.run([sys.executable, "-c", "import ssl"], capture_output=True, text=True)
    if ssl_check.returncode != 0:
        pytest.skip(f"{sys.executable} cannot import ssl, so pre-commit cannot build a hook environment: "
                    f"{(ssl_check.stderr.strip().splitlines() or [f'exit {ssl_check.returncode}'])[-1]}")
    hook_path, rev = hook_repo
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    maps = tmp_path / "maps"
    maps.mkdir()
    assert _git(maps, "init", "-q").returncode == 0
    # The hook as a data repository adds it: this repository's .pre-commit-hooks.yaml, at a revision.
    (maps / ".pre-commit-config.yaml").write_text(yaml.safe_dump(
        {"repos": [{"repo": str(hook_path), "rev": rev, "hooks": [{"id": "graph-validate"}]}]}))
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=maps, capture_output=True,
                               text=True)
    assert installed.returncode == 0, installed.stderr

    write_data(maps / "data", SAMPLE_NODES, SAMPLE_EDGES)
    _git(maps, "add", "-A")
    good = _git(maps, "commit", "-m", "a good map")
    assert good.returncode == 0, good.stdout + good.stderr
    assert re.search(r"graph validate\.+Passed", good.stdout + good.stderr)

    write_data(maps / "data", SAMPLE_NODES, [*SAMPLE_EDGES, {"from": "ml", "to": "algebra"}])
    _git(maps, "add", "-A")
    bad = _git(maps, "commit", "-m", "a cycle")
    output = bad.stdout + bad.stderr
    assert bad.returncode != 0
    assert re.search(r"graph validate\.+Failed", output)
    assert "data/edges.yaml:" in output and "error: cycle: algebra -> calculus" in output
    assert _git(maps, "log", "--format=%s").stdout.split("\n")[0] == "a good map"

    # A file the hook does not watch commits without running it.
    (maps / "notes.txt").write_text("later\n")
    _git(maps, "add", "notes.txt")
    _git(maps, "reset", "-q", "data")
    skipped = _git(maps, "commit", "-m", "notes")
    assert skipped.returncode == 0 and re.search(r"graph validate\.+\(no files to check\)Skipped",
                                                 skipped.stdout + skipped.stderr)

    # A map kept at the repository's root, as the README says: args [--data, ., validate].
    root = tmp_path / "root-map"
    root.mkdir()
    assert _git(root, "init", "-q").returncode == 0
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{
        "repo": str(hook_path), "rev": rev, "hooks": [{"id": "graph-validate", "args": ["--data", ".", "validate"]}]}]}))
    assert subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=root, capture_output=True).returncode == 0
    write_data(root, SAMPLE_NODES, [*SAMPLE_EDGES, {"from": "ml", "to": "algebra"}])
    _git(root, "add", "-A")
    bad = _git(root, "commit", "-m", "a cycle at the root")
    assert bad.returncode != 0 and "\nedges.yaml:" in bad.stdout + bad.stderr
    write_data(root, SAMPLE_NODES, SAMPLE_EDGES)
    _git(root, "add", "-A")
    good = _git(root, "commit", "-m", "a good map at the root")
    assert good.returncode == 0 and re.search(r"graph validate\.+Passed", good.stdout + good.stderr)


def test_the_hook_manifest_runs_graph_validate_on_the_data_folder():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "graph-validate" and hook["language"] == "python"
    assert [hook["entry"], *hook["args"]] == ["graph", "--data", "data", "validate"]
    assert re.search(hook["files"], "maps/x/edges.yaml") and not re.search(hook["files"], "README.md")


# ---- graph init ----

def test_init_writes_a_valid_commented_example_that_build_draws(tmp_path):
    folder = tmp_path / "my-map"
    runner = CliRunner()
    result = runner.invoke(main, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    loaded = load(folder, use_cache=False)
    assert not loaded.errors and not loaded.warnings
    kinds = sorted(kind for _, kind in loaded.graph.nodes(data="kind"))
    assert kinds == ["degree", "resource", "topic", "topic"]
    text = (folder / "nodes.yaml").read_text()
    for field in ("id", "name", "kind", "area", "hours", "summary", "aliases", "url", "format", "free", "author",
                  "preferred", "note", "discontinued"):
        assert re.search(rf"^\s+(- )?{field}: .*# ", text, re.M), f"node field {field} is not explained"
    edges = (folder / "edges.yaml").read_text()
    for field in ("relation", "strength", "part", "hours"):
        assert re.search(rf"^\s+{field}: .*# ", edges, re.M), f"edge field {field} is not explained"
    assert "any_of" in edges and "deepening" in edges
    built = runner.invoke(main, ["--data", str(folder), "build", "--out", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
    assert "Savvy shopper" in (tmp_path / "out" / "graph.html").read_text()
    plan = runner.invoke(main, ["--data", str(folder), "order", "--target", "shopper"])
    assert "3 steps" in plan.output


def test_the_commands_init_and_import_suggest_run_as_printed_in_a_folder_with_a_space(tmp_path):
    folder = tmp_path / "my maps" / "algebra"
    said = CliRunner().invoke(main, ["init", str(folder)]).output
    suggested = said.split("try: ", 1)[1].split(" && ")[0]
    assert suggested == f"graph --data '{folder}' validate"
    source = tmp_path / "pairs.csv"
    source.write_text("limits,derivatives\n")
    out = tmp_path / "my maps" / "imported"
    result = CliRunner().invoke(main, ["import", "csv", str(source), "--out", str(out), "--no-header"])
    assert f"next: graph --data '{out}' validate" in result.output
    run = subprocess.run(["sh", "-c", suggested.replace("graph", f"{sys.executable} -m graph", 1)],
                         capture_output=True, text=True)
    assert run.returncode == 0 and "valid" in run.stdout, run.stderr


def test_init_never_replaces_a_map_without_force(tmp_path):
    folder = tmp_path / "m"
    write_data(folder, SAMPLE_NODES, SAMPLE_EDGES)
    before = (folder / "nodes.yaml").read_bytes()
    result = CliRunner().invoke(main, ["init", str(folder)])
    assert result.exit_code == 2 and "already holds" in result.output and "--force" in result.output
    assert (folder / "nodes.yaml").read_bytes() == before
    assert CliRunner().invoke(main, ["init", str(folder), "--force"]).exit_code == 0
    assert (folder / "nodes.yaml").read_bytes() != before
    assert os.access(folder / "nodes.yaml", os.R_OK)
