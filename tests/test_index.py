"""The index of a data folder: written with the cache, fresh or not used, trusted only when the user's own,
and read as untrusted input all the same."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from graph import index
from graph.index import open_index
from graph.load import load

from conftest import SAMPLE_EDGES, SAMPLE_NODES, write_data
from test_cache import cache_folder, data  # noqa: F401 - fixtures


def indexed(data: Path) -> Path:
    """Load ``data`` (writing the cache and the index) and return the index file."""
    assert not load(data).errors
    path = index.location(data)
    assert path.is_file()
    return path


def age(data: Path, seconds: int = 10) -> None:
    """Date the data files ``seconds`` back: written well before the index, not racily clean."""
    for name in ("nodes.yaml", "edges.yaml"):
        info = (data / name).stat()
        os.utime(data / name, ns=(info.st_atime_ns, info.st_mtime_ns - seconds * 1_000_000_000))


def test_an_index_is_written_with_the_cache_and_answers(cache_folder, data):
    indexed(data)
    found = open_index(data)
    assert found is not None
    assert found.nodes == len(SAMPLE_NODES) and found.edges == len(SAMPLE_EDGES)
    assert [found.part([p]).nodes[n]["name"] for n, p in [("calculus", 1)]] == ["Calculus"]
    assert oct(index.location(data).stat().st_mode & 0o777) == "0o600"


def test_a_bounded_reach_stops_past_its_bound_and_gives_the_whole_reach_within_it(cache_folder, data):
    """``most``: a reach the commands would not read from the index (more than a quarter of a large map)
    is refused as soon as the walk passes the bound, not walked to its end first."""
    from graph.model import ordering_strengths
    from graph.plan import ancestors

    indexed(data)
    found = open_index(data)
    graph = load(data).graph
    order = list(graph)
    deepest = max(graph, key=lambda n: len(ancestors(graph, n, ordering_strengths())))
    whole = found.reach([order.index(deepest)], strengths=ordering_strengths())
    assert sorted(order[p] for p in whole) == sorted({deepest, *ancestors(graph, deepest, ordering_strengths())})
    assert len(whole) >= 3
    for depth in (None, 50):
        assert found.reach([order.index(deepest)], strengths=ordering_strengths(), depth=depth,
                           most=len(whole)) == whole
        assert found.reach([order.index(deepest)], strengths=ordering_strengths(), depth=depth,
                           most=len(whole) - 1) is None


def test_an_edit_of_the_same_size_in_the_same_second_is_seen(cache_folder, data):
    """Git's racy-timestamp rule: a file changed in the second the index was written is hashed again."""
    indexed(data)
    nodes = data / "nodes.yaml"
    before = nodes.stat()
    nodes.write_text(nodes.read_text().replace("Calculus", "Calculux"))
    os.utime(nodes, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same time stamp
    assert nodes.stat().st_size == before.st_size
    assert open_index(data) is None


def test_a_touched_file_with_the_same_bytes_keeps_its_index(cache_folder, data):
    indexed(data)
    os.utime(data / "edges.yaml")  # a new time stamp (as a checkout gives): the bytes decide
    assert open_index(data) is not None


def test_an_old_file_is_not_read_again(cache_folder, data, monkeypatch):
    """Sizes, times and inodes that agree, from before the index was written: no hashing."""
    age(data)
    indexed(data)
    monkeypatch.setattr(index, "_digest", lambda contents: pytest.fail("the data files were hashed"))
    assert open_index(data) is not None


def test_a_changed_size_or_a_missing_file_means_no_index(cache_folder, data):
    indexed(data)
    with open(data / "edges.yaml", "a", encoding="utf-8") as out:
        out.write("# a comment\n")
    assert open_index(data) is None
    (data / "edges.yaml").unlink()
    assert open_index(data) is None


def test_no_index_for_data_with_errors(cache_folder, tmp_path):
    bad = write_data(tmp_path / "bad", SAMPLE_NODES, [*SAMPLE_EDGES, {"from": "nowhere", "to": "calculus"}])
    assert load(bad).errors
    assert not index.location(bad).exists()
    assert open_index(bad) is None


def test_load_writes_a_missing_index_from_a_warm_cache(cache_folder, data):
    path = indexed(data)
    path.unlink()
    load(data)  # from the cache entry
    assert open_index(data) is not None


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file owners and modes are POSIX")
@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666])
def test_an_index_others_can_write_is_not_used(cache_folder, data, mode):
    path = indexed(data)
    path.chmod(mode)
    assert open_index(data) is None


def test_an_index_in_a_folder_others_can_write_is_not_used(cache_folder, data):
    indexed(data)
    cache_folder.chmod(0o777)
    try:
        assert open_index(data) is None
    finally:
        cache_folder.chmod(0o700)


def test_a_linked_index_is_not_used(cache_folder, data, tmp_path):
    path = indexed(data)
    elsewhere = tmp_path / "elsewhere.sqlite"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    assert open_index(data) is None
    path.unlink()
    os.link(elsewhere, path)  # a second name: another folder could change it
    assert open_index(data) is None


@pytest.mark.parametrize("change", [
    "CREATE TABLE extra (x)",
    "CREATE TRIGGER t AFTER INSERT ON labels BEGIN SELECT 1; END",
    "CREATE VIEW v AS SELECT 1",
    "PRAGMA user_version = 99",
    "UPDATE meta SET value = 'x' WHERE name = 'fold'",
    "UPDATE meta SET value = '/elsewhere' WHERE name = 'folder'",
    "DELETE FROM meta WHERE name = 'digest'",
])
def test_an_index_of_another_shape_is_not_used(cache_folder, data, change):
    path = indexed(data)
    with sqlite3.connect(path) as db:
        db.execute(change)
    assert open_index(data) is None


def test_garbage_in_place_of_an_index_is_not_used(cache_folder, data):
    path = indexed(data)
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    assert open_index(data) is None
    path.write_bytes(b"")
    assert open_index(data) is None


def test_values_of_the_wrong_type_are_refused_not_used(cache_folder, data):
    path = indexed(data)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE nodes SET attrs = '[1, 2]' WHERE id = 'calculus'")
        db.execute("UPDATE nodes SET id = x'00ff' WHERE id = 'algebra'")  # a blob, not text
    found = open_index(data)
    with pytest.raises(ValueError):
        found.part([1])
    with pytest.raises(ValueError):
        found.part([0])


def test_a_text_longer_than_the_bound_is_refused(cache_folder, data, monkeypatch):
    path = indexed(data)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE nodes SET attrs = '{\"name\": \"' || printf('%.*c', 200000, 'x') || '\"}' WHERE pos = 1")
    monkeypatch.setattr(index, "_MAX_VALUE", 100_000)
    found = open_index(data)
    with pytest.raises(sqlite3.Error):
        found.part([1])


def test_the_index_searches_words_as_search_splits_them(cache_folder, data):
    indexed(data)
    found = open_index(data)
    ids = {p: n["id"] for p, n in enumerate(SAMPLE_NODES)}
    assert [ids[p] for p in found.matching(["linear"])] == ["linear-algebra", "strang"]
    assert [ids[p] for p in found.matching(["deep", "learn"])] == ["deep-learning", "dl-book"]
    assert found.matching(["zzz"]) == []
    assert found.matching(["é"]) is None  # not plain ASCII: every node may match


def test_an_old_index_is_pruned(cache_folder, tmp_path):
    folders = [write_data(tmp_path / f"d{i}", SAMPLE_NODES, SAMPLE_EDGES) for i in range(index._KEEP + 2)]
    for folder in folders:
        load(folder)
        time.sleep(0.01)
    assert len(list(cache_folder.glob("index-*.sqlite"))) == index._KEEP
    assert open_index(folders[-1]) is not None
