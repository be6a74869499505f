"""graph check-links against a local HTTP server (127.0.0.1 only, started by each test): every status, the
retries, Retry-After, HEAD falling back to GET, the per-host limit, the cache, --exclude-private, the outputs and
the exit codes. A guard makes any connection or name lookup beyond loopback fail the test."""

from __future__ import annotations

import ipaddress
import json
import re
import socket
from pathlib import Path

import pytest
import yaml

from cli_helpers import graph, write_map
from graph.linkcheck import CheckOptions, Link, ResultsCache, check, offline, parse_age
from graph.render.linkcheck import annotations_text, results_json, results_text
from linkserver import LinkServer

README = Path(__file__).resolve().parent.parent / "README.md"
FAST = CheckOptions(timeout=2.0, backoff=0.01)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """No proxy, and no connection or lookup beyond loopback: a test that tries one fails."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")
    real_connect, real_connect_ex, real_lookup = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo

    def allowed(address):
        host = address[0] if isinstance(address, tuple) else None
        if host is None or not ipaddress.ip_address(host.split("%")[0]).is_loopback:
            raise AssertionError(f"a test tried to reach {address!r}")

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            allowed(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            allowed(address)
        return real_connect_ex(self, address)

    def lookup(host, *args, **kwargs):
        name = host.decode() if isinstance(host, bytes) else host
        if name not in ("localhost", "127.0.0.1", "::1", None) and not str(name).startswith("127."):
            raise AssertionError(f"a test tried to look up {host!r}")
        return real_lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", lookup)


@pytest.fixture()
def server():
    running = LinkServer(slow=4.0).start()
    yield running
    running.stop()


def links(server, *paths) -> list[Link]:
    return [Link(p.strip("/").replace("/", "-"), "url", server.base + p, "data/nodes.yaml", i + 3)
            for i, p in enumerate(paths)]


def one(server, path, options=FAST, **kwargs):
    return check(links(server, path), options, **kwargs)[0]


def no_dns(host):
    raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")


# ---- each status ----

def test_a_page_that_answers_is_alive_from_one_head_request(server):
    result = one(server, "/ok")
    assert (result.status, result.code, result.final_url) == ("alive", 200, None)
    assert server.methods == [("HEAD", "/ok")]


def test_a_permanent_redirect_is_moved_and_suggests_current_url(server):
    result = one(server, "/moved")
    assert (result.status, result.code, result.final_url, result.permanent) == \
        ("moved", 200, server.base + "/new", True)
    assert "permanent: set current_url" in results_text([result])


def test_a_temporary_redirect_is_moved_but_not_permanent(server):
    result = one(server, "/found")
    assert (result.status, result.final_url, result.permanent) == ("moved", server.base + "/new-temporary", False)


@pytest.mark.parametrize("path, code", [("/missing", 404), ("/gone", 410)])
def test_404_and_410_are_dead(server, path, code):
    result = one(server, path)
    assert (result.status, result.code) == ("dead", code)
    assert server.methods == [("HEAD", path), ("GET", path)]  # HEAD is not believed alone


def test_a_name_that_does_not_resolve_is_dead_without_a_request(server):
    result = check([Link("x", "url", "https://nowhere.invalid/page", "n.yaml", 1)], FAST, resolver=no_dns)[0]
    assert result.status == "dead" and "does not resolve" in result.error


def test_when_no_name_of_the_run_resolves_the_machine_is_offline_and_no_link_is_called_dead():
    links = [Link(n, "url", f"https://{n}.example/page", "n.yaml", i + 1) for i, n in enumerate("abc")]
    results = check(links, FAST, resolver=no_dns)
    assert [r.status for r in results] == ["error"] * 3
    assert results[0].error == ("the name 'a.example' does not resolve, nor does any of the other 2 names of this "
                                "run: is this machine offline?")
    assert offline(results)


def test_a_name_that_does_not_resolve_beside_one_that_does_is_dead(server):
    def some(host):
        if host == "nowhere.example":
            return no_dns(host)
        return ["127.0.0.1"]

    found = check(links(server, "/ok") + [Link("x", "url", "https://nowhere.example/", "n.yaml", 9),
                                          Link("y", "url", "https://nowhere.example/b", "n.yaml", 10)],
                  FAST, resolver=some)
    assert [r.status for r in found] == ["alive", "dead", "dead"] and not offline(found)


def test_the_cli_offline_exits_2_says_so_and_caches_nothing_as_dead(tmp_path, monkeypatch):
    monkeypatch.setattr("graph.linkcheck._system_resolver", no_dns)
    folder = write_map(tmp_path / "m", "nodes:\n  - {id: a, name: A, kind: resource, url: 'https://a.example/'}\n"
                                       "  - {id: b, name: B, kind: resource, url: 'https://b.example/'}\n",
                       "edges: []\n")
    cache = tmp_path / "links.json"
    result = graph("--data", folder, "check-links", "--results-cache", cache)
    assert result.exit_code == 2
    assert "no host name of the map resolved, so no link was checked: is this machine offline?" in result.stderr
    assert "dead" not in result.stdout and json.loads(cache.read_text())["results"] == {}


def test_a_failing_name_server_is_an_error_not_dead():
    def failing(host):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    result = check([Link("x", "url", "https://example.test/", "n.yaml", 1)], FAST, resolver=failing)[0]
    assert result.status == "error" and "Temporary failure" in result.error


def test_403_is_blocked(server):
    assert (one(server, "/forbidden").status, one(server, "/forbidden").code) == ("blocked", 403)


def test_a_500_that_succeeds_on_retry_is_alive_after_backing_off(server):
    waits = []

    async def sleep(seconds):
        waits.append(seconds)

    result = one(server, "/flaky", CheckOptions(timeout=2, backoff=0.5), sleep=sleep)
    assert (result.status, result.code) == ("alive", 200)
    assert server.hits["/flaky"] == 3 and waits == [0.5]  # HEAD and GET fail, the retry's HEAD answers


def test_a_5xx_after_the_retries_is_an_error(server):
    waits = []

    async def sleep(seconds):
        waits.append(seconds)

    result = one(server, "/broken", CheckOptions(timeout=2, backoff=0.5), sleep=sleep)
    assert (result.status, result.code) == ("error", 503) and waits == [0.5, 1.0]  # backoff, doubled
    assert server.hits["/broken"] == 6  # three tries of HEAD then GET


def test_429_waits_for_retry_after_then_succeeds(server):
    waits = []

    async def sleep(seconds):
        waits.append(seconds)

    result = one(server, "/busy", sleep=sleep)
    assert result.status == "alive" and waits == [1.0]


def test_429_asking_more_than_60_seconds_is_reported_not_waited_for(server):
    waits = []

    async def sleep(seconds):
        waits.append(seconds)

    result = one(server, "/busy-long", sleep=sleep)
    assert (result.status, result.code) == ("error", 429) and waits == []
    assert "3600 s, more than 60" in result.error


def test_a_page_slower_than_the_timeout_is_a_timeout(server):
    result = one(server, "/slow", CheckOptions(timeout=0.5, backoff=0.01))
    assert result.status == "timeout" and "0.5 s" in result.error


def test_head_answered_wrongly_falls_back_to_get(server):
    result = one(server, "/no-head")
    assert result.status == "alive" and server.methods == [("HEAD", "/no-head"), ("GET", "/no-head")]


def test_a_redirect_loop_is_an_error(server):
    result = one(server, "/loop")
    assert result.status == "error" and "redirects" in result.error


def test_each_url_is_fetched_once_however_many_nodes_hold_it(server):
    same = [Link(node, "url", server.base + "/ok", "n.yaml", i) for i, node in enumerate("abc")]
    results = check(same, FAST)
    assert [r.link.node for r in results] == ["a", "b", "c"] and {r.status for r in results} == {"alive"}
    assert server.hits["/ok"] == 1


# ---- concurrency ----

@pytest.mark.parametrize("limit, count", [(4, 120), (1, 20)])
def test_many_links_on_one_host_respect_the_per_host_limit(server, limit, count):
    many = links(server, *(f"/many/{i}" for i in range(count)))
    results = check(many, CheckOptions(timeout=10, backoff=0.01, per_host=limit))
    assert [r.status for r in results] == ["alive"] * count
    assert sum(server.hits.values()) == count
    assert server.most_in_flight <= limit
    if limit > 1:
        assert server.most_in_flight > 1  # concurrent, not one after another


# ---- --exclude-private ----

def test_exclude_private_skips_loopback_without_a_request(server):
    result = one(server, "/ok", CheckOptions(timeout=2, exclude_private=True))
    assert result.status == "skipped" and "--exclude-private" in result.error
    assert server.hits == {}


@pytest.mark.parametrize("addresses", [["10.0.0.7"], ["93.184.215.14", "192.168.1.2"], ["169.254.169.254"],
                                       ["::ffff:127.0.0.1"], ["fe80::1%eth0"], ["0.0.0.0"]])
def test_exclude_private_resolves_names_and_skips_any_private_address(addresses):
    result = check([Link("x", "url", "https://intranet.example/", "n.yaml", 1)],
                   CheckOptions(exclude_private=True), resolver=lambda host: addresses)[0]
    assert result.status == "skipped"


def test_the_cli_excludes_localhost_by_name(tmp_path, server):
    folder = write_map(tmp_path / "m", f"nodes:\n  - {{id: a, name: A, kind: resource, "
                                       f"url: 'http://localhost:{server.server_address[1]}/missing'}}\n",
                       "edges: []\n")
    result = graph("--data", folder, "check-links", "--exclude-private")
    assert result.exit_code == 0, result.output
    assert "skipped" in result.stdout and server.hits == {}
    assert graph("--data", folder, "check-links", "--timeout", "5").exit_code == 1  # checked, it is dead


# ---- the command: outputs and exit codes ----

def small_map(tmp_path, server, *paths) -> Path:
    nodes = "".join(f"  - id: n{i}\n    name: N{i}\n    kind: resource\n    url: '{server.base}{p}'\n"
                    for i, p in enumerate(paths))
    nodes += "  - id: t\n    name: T\n    kind: topic\n"
    return write_map(tmp_path / "map", "nodes:\n" + nodes, "edges: []\n")


def run(folder, *args):
    return graph("--data", folder, "check-links", "--timeout", "2", "--backoff", "0.01", *args)


def test_alive_and_moved_links_exit_0_and_a_dead_one_exits_1(tmp_path, server):
    assert run(small_map(tmp_path / "a", server, "/ok", "/moved")).exit_code == 0
    result = run(small_map(tmp_path / "b", server, "/ok", "/missing"))
    assert result.exit_code == 1
    assert re.search(r"map/nodes.yaml:6: error: dead: n1 url http://127\.0\.0\.1:\d+/missing \(HTTP 404\)",
                     result.stdout)
    assert result.stdout.splitlines()[-1] == "2 links: 1 dead, 1 alive"


@pytest.mark.parametrize("path", ["/forbidden", "/broken", "/slow"])
def test_blocked_errors_and_timeouts_are_reported_apart_and_fail_only_with_strict(tmp_path, server, path):
    folder = small_map(tmp_path, server, path)
    args = ("--timeout", "0.5") if path == "/slow" else ()
    relaxed, strict = run(folder, *args), run(folder, "--strict", *args)
    assert relaxed.exit_code == 0 and strict.exit_code == 1
    assert ("blocked" if path == "/forbidden" else "timeout" if path == "/slow" else "error") in relaxed.stdout


@pytest.mark.parametrize("args, message", [
    (["--max-age", "soon"], "--max-age"), (["--timeout", "0"], "--timeout"), (["--per-host", "0"], "--per-host"),
    (["--format", "xml"], "--format")])
def test_usage_errors_exit_2(tmp_path, server, args, message):
    result = run(small_map(tmp_path, server, "/ok"), *args)
    assert result.exit_code == 2 and message in result.output
    assert server.hits == {}


def test_json_has_one_entry_per_link_with_its_id_status_code_and_final_url(tmp_path, server):
    result = run(small_map(tmp_path, server, "/ok", "/moved", "/ok"), "--format", "json")
    data = json.loads(result.stdout)
    assert [(e["id"], e["status"], e["code"]) for e in data["links"]] == \
        [("n0", "alive", 200), ("n1", "moved", 200), ("n2", "alive", 200)]
    assert data["links"][1]["final_url"] == server.base + "/new" and data["links"][1]["permanent"] is True
    assert set(data["links"][0]) >= {"id", "url", "status", "code", "final_url", "error"}
    assert data["counts"] == {"moved": 1, "alive": 2}


def test_part_urls_of_teaches_edges_are_checked_on_their_edge_line(tmp_path, server):
    import networkx as nx

    from graph.linkcheck import links_of
    from graph.loaded import Loaded

    g = nx.DiGraph()
    g.add_node("book", kind="resource", url=server.base + "/ok", current_url=server.base + "/new")
    g.add_node("t", kind="topic")
    g.add_edge("book", "t", relation="teaches", part_url=server.base + "/missing")
    found = links_of(Loaded(g, [], tmp_path, {"book": 3, "t": 9}, {("book", "t"): 14}))
    assert [(l.node, l.field, l.path.endswith(name), l.line) for l, name in
            zip(found, ["nodes.yaml", "nodes.yaml", "edges.yaml"])] == \
        [("book", "url", True, 3), ("book", "current_url", True, 3), ("book->t", "part_url", True, 14)]
    assert [r.status for r in check(found, FAST)] == ["alive", "alive", "dead"]


def test_github_annotations_stand_on_the_nodes_line(tmp_path, server, monkeypatch):
    folder = small_map(tmp_path, server, "/ok", "/missing", "/moved")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    result = run(folder, "--format", "github")
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and result.exit_code == 1
    assert lines[0].startswith("::error file=map/nodes.yaml,line=6,title=graph check-links::dead: n1 url ")
    assert lines[1].startswith("::warning file=map/nodes.yaml,line=10,title=graph check-links::moved: n2 url ")


def test_the_data_must_be_valid(tmp_path):
    folder = write_map(tmp_path / "m", "nodes:\n  - {id: a, name: A, kind: resource, url: 'javascript:x'}\n",
                       "edges: []\n")
    result = graph("--data", folder, "check-links")
    assert result.exit_code == 1 and "http" in result.output


# ---- the results cache ----

def test_the_cache_spares_a_second_run_and_max_age_0_checks_again(tmp_path, server):
    folder = small_map(tmp_path, server, "/ok", "/missing", "/slow")
    cache = tmp_path / "links.json"
    first = run(folder, "--results-cache", cache, "--timeout", "0.5")
    assert first.exit_code == 1
    data = json.loads(cache.read_text())
    assert set(data["results"]) == {server.base + "/ok", server.base + "/missing"}  # a timeout is tried again
    hits = dict(server.hits)
    second = run(folder, "--results-cache", cache, "--timeout", "0.5")
    assert second.exit_code == 1 and "(2 from the cache)" in second.stdout
    assert server.hits["/ok"] == hits["/ok"] and server.hits["/missing"] == hits["/missing"]
    assert server.hits["/slow"] == hits["/slow"] + 1
    run(folder, "--results-cache", cache, "--max-age", "0", "--timeout", "0.5")
    assert server.hits["/ok"] == hits["/ok"] + 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".links")] == []  # written atomically


@pytest.mark.parametrize("content", [b"\x00\xff garbage", b"[1, 2]", b"{\"format\": \"other\"}",
                                     b"[" * 100_000, json.dumps({"format": "graph check-links results",
                                                                 "results": {"x": 1}}).encode()])
def test_a_garbage_cache_is_ignored_with_a_warning_and_replaced(tmp_path, server, content):
    folder = small_map(tmp_path, server, "/ok")
    cache = tmp_path / "links.json"
    cache.write_bytes(content)
    result = run(folder, "--results-cache", cache)
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert json.loads(cache.read_text())["results"][server.base + "/ok"]["status"] == "alive"


def test_a_huge_cache_is_not_read(tmp_path, server):
    cache = tmp_path / "links.json"
    with open(cache, "wb") as handle:
        handle.write(b'{"format": "graph check-links results", "results": {' + b" " * (17 * 1024 * 1024) + b"}}")
    result = run(small_map(tmp_path, server, "/ok"), "--results-cache", cache)
    assert result.exit_code == 0 and "larger than 16 MB" in result.stderr
    assert server.hits == {"/ok": 1}


def test_cache_entries_of_the_wrong_shape_or_from_the_future_are_dropped(tmp_path):
    now = 1_000_000.0
    good = {"status": "dead", "code": 404, "final_url": None, "error": None, "permanent": False, "checked": now}
    payload = {"format": ResultsCache.FORMAT, "results": {
        "https://a.example/": good,
        "https://b.example/": {**good, "checked": now + 10 ** 9},
        "https://c.example/": {**good, "status": "timeout"},
        "https://d.example/": {**good, "code": "404"},
        "https://e.example/": {**good, "final_url": "x" * 100_000},
        "https://f.example/": {**good, "checked": float("nan")} if False else {**good, "checked": True}}}
    path = tmp_path / "c.json"
    path.write_text(json.dumps(payload))
    cache = ResultsCache(path, parse_age("7d"), now=now)
    assert list(cache.entries) == ["https://a.example/"]
    assert cache.get(Link("a", "url", "https://a.example/", "n", 1)).status == "dead"
    assert ResultsCache(path, parse_age("7d"), now=now + 8 * 86400).get(Link("a", "url", "https://a.example/",
                                                                             "n", 1)) is None


def test_the_cache_file_is_never_written_into_the_data_folder(tmp_path, server):
    folder = small_map(tmp_path, server, "/ok")
    result = run(folder, "--results-cache", folder / "links.json")
    assert result.exit_code == 2 and "data folder" in result.output
    assert not (folder / "links.json").exists()


# ---- hostile input ----

@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "http://[::1", "http://",
                                 "http://" + "a" * 70 + ".example/" + "x" * 20_000, "http://exa mple/",
                                 "http://a.example/\x1b[2J", "ftp://a.example/", "http://user@:80/"])
def test_hostile_urls_are_skipped_or_errors_never_a_crash(url):
    result = check([Link("x", "part_url", url, "e.yaml", 1)], FAST, resolver=no_dns)[0]
    assert result.status in ("skipped", "error", "dead")
    text = results_text([result])
    assert "\x1b" not in text and len(text.splitlines()) == 2  # the result and the summary, one line each


def test_escape_sequences_a_server_sends_never_reach_the_terminal(tmp_path, server):
    result = one(server, "/escapes")
    assert result.status == "error"
    for text in (results_text([result]), results_json([result]), annotations_text([result])):
        assert "\x1b" not in text and "\x07" not in text
    assert len(annotations_text([result]).splitlines()) == 1
    cli = run(small_map(tmp_path, server, "/escapes"), "--strict")
    assert cli.exit_code == 1 and "\x1b" not in cli.output


# ---- the README ----

def _readme_block(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"```yaml\n# " + re.escape(title) + r"\n(.*?)```", text, re.S)
    assert found, f"the README has no {title} block"
    return found.group(1)


def test_the_readme_weekly_job_runs_check_links_with_exclude_private_and_a_cache():
    job = yaml.safe_load(_readme_block(".github/workflows/links.yaml"))
    on = job.get("on", job.get(True))  # YAML 1.1 reads the key 'on' as true
    assert re.fullmatch(r"\d+ \d+ \* \* [0-6]", on["schedule"][0]["cron"])  # weekly
    steps = job["jobs"]["links"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    command = next(r for r in runs if "check-links" in r)
    args = command.split()
    assert "--exclude-private" in args and "--results-cache" in args and "github" in args
    cached = next(s for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert args[args.index("--results-cache") + 1].strip('"') == \
        cached["with"]["path"].replace("${{ runner.temp }}", "$RUNNER_TEMP")
    # the options parse as the command's own
    from graph.cli import main
    context = main.make_context("graph", args[1:args.index("check-links")] + ["check-links"], resilient_parsing=True)
    command_args = args[args.index("check-links") + 1:]
    main.get_command(context, "check-links").make_context("check-links", command_args, parent=context)


def test_an_error_message_carrying_escapes_is_escaped_in_every_output():
    import httpx

    def mock(request):
        if request.url.path == "/next":
            raise httpx.ConnectError("refused \x1b]0;pwned\x07\x1b[2J\r\n::error::forged", request=request)
        return httpx.Response(301, headers={"location": "/next"})

    result = check([Link("x", "url", "https://far.example/", "n.yaml", 4)], CheckOptions(backoff=0),
                   resolver=lambda host: ["93.184.215.14"], transport=httpx.MockTransport(mock))[0]
    assert result.status == "error" and "\x1b" in result.error  # the library keeps the data as it came
    text, data, notes = results_text([result]), results_json([result]), annotations_text([result])
    for shown in (text, data, notes):
        assert "\x1b" not in shown and "\x07" not in shown and "\r" not in shown
    assert len(notes.splitlines()) == 1  # the forged command stays inside the message, not at a line's start
    assert json.loads(data)["links"][0]["error"] == result.error


def test_the_cli_checks_a_teaches_edges_part_url(tmp_path, server):
    folder = write_map(tmp_path / "m", f"""\
nodes:
  - {{id: book, name: Book, kind: resource, url: '{server.base}/ok'}}
  - {{id: t, name: T, kind: topic}}
""", f"""\
edges:
  - from: book
    to: t
    relation: teaches
    part: Chapter 2
    part_url: '{server.base}/gone'
""")
    result = run(folder, "--format", "json")
    entries = json.loads(result.stdout)["links"]
    assert [(e["id"], e["field"], e["status"], e["line"]) for e in entries] == \
        [("book", "url", "alive", 2), ("book->t", "part_url", "dead", 2)]
    assert entries[1]["file"].endswith("edges.yaml") and result.exit_code == 1


def test_a_python_without_ssl_is_told_so_and_checks_nothing(tmp_path):
    # httpx needs ssl for any request, http or https; a Python built without it (or a pyenv build
    # loading another libpython) must get a sentence naming the module, not a traceback.
    import os
    import subprocess
    import sys

    folder = write_map(tmp_path / "m", """\
nodes:
  - {id: a, name: A, kind: topic, url: 'http://127.0.0.1:9/a'}
""", "edges: []\n")
    no_ssl = ("import sys; sys.modules['ssl'] = None; sys.modules['_ssl'] = None\n"
              "from graph.cli import main; main(prog_name='graph')")
    done = subprocess.run([sys.executable, "-c", no_ssl, "--data", str(folder), "check-links"],
                          capture_output=True, text=True, timeout=60, env={**os.environ, "GRAPH_DEBUG": ""})
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "ssl module" in done.stderr and "no link was checked" in done.stderr
    assert done.stdout == ""
