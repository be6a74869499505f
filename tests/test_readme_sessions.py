"""The README's sessions of a learner are real: each command, run in an empty folder as shown, prints what
the README says it prints. A line that is only ``...`` stands for lines left out.

Run by hand to print what the sessions print now, to paste into the README::

    python tests/test_readme_sessions.py
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
# The learner's sections; the author's (import, diff) run on files and revisions of their own.
SECTIONS = ("A short session", "A week of study", "Your progress file", "Finding things",
            "Output, colour and exit codes")
GRAPH = f"{shlex.quote(sys.executable)} -c 'from graph.cli import main; main(prog_name=\"graph\")'"


def sessions() -> dict[str, list[tuple[str, list[str]]]]:
    """Each section's commands, in order, with the lines the README shows for each."""
    found: dict = {}
    section = None
    lines = README.read_text(encoding="utf-8").splitlines()
    inside = False
    for line in lines:
        if line.startswith("#"):
            title = line.lstrip("#").strip()
            section = title if title in SECTIONS else None
        elif line.startswith("```"):
            inside = line == "```console" and section is not None
        elif inside:
            if line.startswith("$ "):
                found.setdefault(section, []).append((line[2:], []))
            elif section in found and found[section]:
                found[section][-1][1].append(line)
    return found


def run_session(commands: list[str], folder: Path) -> list[list[str]]:
    """Run the commands one after the other in ``folder``, as a shell would; return each one's lines."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPH_") and k != "NO_COLOR"}
    env["GRAPH_CACHE_DIR"] = str(folder.parent / "cache")
    outputs = []
    for command in commands:
        script = f"graph() {{ {GRAPH} \"$@\"; }}\n{command}"
        run = subprocess.run(["bash", "-c", script], cwd=folder, env=env, capture_output=True, text=True,
                             timeout=120)
        outputs.append((run.stdout + run.stderr).splitlines())
    return outputs


def matches(shown: list[str], printed: list[str]) -> bool:
    """Whether ``printed`` is ``shown`` with its ``...`` lines standing for any lines (at least one).
    Blank lines at the end do not count: the README leaves one between commands."""
    while shown and not shown[-1].strip():
        shown = shown[:-1]
    while printed and not printed[-1].strip():
        printed = printed[:-1]
    position = 0
    skipping = False
    for line in shown:
        if line.strip() == "...":
            skipping = True
            continue
        if skipping:
            while position < len(printed) and printed[position] != line:
                position += 1
        if position >= len(printed) or printed[position] != line:
            return False
        position += 1
        skipping = False
    return skipping or position == len(printed)


@pytest.mark.parametrize("section", SECTIONS)
def test_the_readme_session_is_what_the_commands_print(section, tmp_path):
    steps = sessions()[section]
    folder = tmp_path / "session"
    folder.mkdir()
    for (command, shown), printed in zip(steps, run_session([c for c, _ in steps], folder)):
        assert matches(shown, printed), f"$ {command}\n" + "\n".join(printed)


def test_the_readme_diffs_of_the_bundled_map_are_what_graph_diff_prints(tmp_path):
    """The review section's diffs compare commits of this repository's own history, in its root."""
    root = README.parent
    section = "Reviewing a change"
    found: list[tuple[str, list[str]]] = []
    inside = current = False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            current = line.lstrip("#").strip() == section
        elif line.startswith("```"):
            inside = line == "```console" and current
        elif inside:
            if line.startswith("$ "):
                found.append((line[2:], []))
            elif found:
                found[-1][1].append(line)
    assert len(found) >= 2, "the review section shows the bundled map's diffs"
    revisions = {word.split(":")[0] for command, _ in found for word in command.split() if ":data" in word}
    for revision in sorted(revisions):
        known = subprocess.run(["git", "-C", str(root), "cat-file", "-e", f"{revision}^{{commit}}"],
                               capture_output=True)
        if known.returncode != 0:
            pytest.skip(f"this checkout has no git history holding {revision} (an archive or a shallow clone)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRAPH_") and k != "NO_COLOR"}
    env["GRAPH_CACHE_DIR"] = str(tmp_path / "cache")
    for command, shown in found:
        script = f"graph() {{ {GRAPH} \"$@\"; }}\n{command}"
        run = subprocess.run(["bash", "-c", script], cwd=root, env=env, capture_output=True, text=True,
                             timeout=120)
        assert run.returncode == 1, f"$ {command}: a change exits 1\n{run.stderr}"
        printed = (run.stdout + run.stderr).splitlines()
        assert matches(shown, printed), f"$ {command}\n" + "\n".join(printed)


if __name__ == "__main__":  # print each session as it runs now
    import tempfile

    for name, steps in sessions().items():
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "session"
            folder.mkdir()
            print(f"## {name}")
            for (command, _), printed in zip(steps, run_session([c for c, _ in steps], folder)):
                print(f"$ {command}", *printed, sep="\n")
