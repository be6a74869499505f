"""Check a map's links over HTTP: every node's ``url`` and ``current_url``, and teaches edges' ``part_url``.

Each distinct URL is fetched once, with ``httpx``: a ``HEAD`` request, then a
``GET`` (its body never read) when ``HEAD`` fails, since many servers answer
``HEAD`` wrongly. Requests run concurrently, at most ``per_host`` at a time to
one host. Redirects are followed. A server error (5xx) or a failed connection
is retried ``retries`` times, waiting ``backoff`` seconds, then twice that; a
``429 Too Many Requests`` waits what its ``Retry-After`` asks, up to
``max_retry_after`` seconds (more than that is reported, not waited for).

Each link gets one status (:data:`STATUSES`):

* ``alive``: it answers 2xx (or 3xx that is not a redirect);
* ``moved``: it redirects to a page that answers; ``permanent`` when every
  redirect was 301 or 308, which suggests setting ``current_url``;
* ``dead``: 404 or 410, or its host name does not resolve (while other names
  of the run do: when none of two or more names resolves, the machine is taken
  to be offline, and each such link is an ``error``, which is not cached);
* ``blocked``: 401 or 403 (a login, or a site that refuses robots);
* ``timeout``: no answer within ``timeout`` seconds;
* ``error``: anything else: TLS, a 5xx or 429 after the retries, too many redirects;
* ``skipped``: not checked: not an http(s) URL, or (``exclude_private``) its
  host is or resolves to a loopback, private, link-local or unspecified address.

Names are resolved before any request (by ``resolver``, the system's by
default), so a name that does not exist is told from a server that does not
answer, and ``exclude_private`` judges every address a name has. A
:class:`ResultsCache` keeps results between runs.

>>> links = [Link("a", "url", "mailto:x@example.org", "nodes.yaml", 3)]
>>> [(r.status, r.error) for r in check(links)]
[('skipped', 'not an http(s) URL')]
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import math
import os
import socket
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import httpx

from .validate import is_web_url

__all__ = ["CACHED", "FAILING", "OFFLINE", "STATUSES", "STRICT_FAILING", "CheckOptions", "Link", "NoTLS", "Result",
           "ResultsCache", "check", "counts", "failed", "links_of", "offline", "parse_age"]

STATUSES = ("dead", "moved", "blocked", "timeout", "error", "skipped", "alive")
FAILING = frozenset({"dead"})  # what fails a run; with strict, also:
STRICT_FAILING = frozenset({"dead", "blocked", "timeout", "error"})
CACHED = frozenset({"alive", "moved", "dead", "blocked"})  # lasting answers; timeouts and errors are tried again
_USER_AGENT = "graph-check-links (+https://github.com/; a study map's link checker)"
OFFLINE = "is this machine offline?"
_MAX_TEXT = 2048  # the longest URL or error message kept from a server or a cache file


class NoTLS(RuntimeError):
    """This Python cannot import ``ssl``, which ``httpx`` needs for any request, http or https."""


@dataclass(frozen=True)
class Link:
    """One link in the data: the node (or edge, ``from->to``) holding it, the field, where it stands."""

    node: str
    field: str
    url: str
    path: str
    line: int


@dataclass
class Result:
    """What checking one link found."""

    link: Link
    status: str
    code: int | None = None
    final_url: str | None = None
    permanent: bool = False
    error: str | None = None
    cached: bool = False

    def to_dict(self) -> dict:
        """Return the result as a JSON-ready mapping (one entry of ``--format json``)."""
        return {"id": self.link.node, "field": self.link.field, "url": self.link.url, "status": self.status,
                "code": self.code, "final_url": self.final_url, "permanent": self.permanent,
                "error": self.error, "cached": self.cached, "file": self.link.path, "line": self.link.line}


@dataclass
class CheckOptions:
    """How to check: each as ``graph check-links`` names it."""

    timeout: float = 10.0
    per_host: int = 4
    retries: int = 2
    backoff: float = 1.0
    max_retry_after: float = 60.0
    exclude_private: bool = False
    max_redirects: int = 10
    concurrency: int = 32


def links_of(loaded) -> list[Link]:
    """Return every link of a loaded data folder, in file order: nodes' url and current_url, edges' part_url."""
    from .load import EDGES_FILE, NODES_FILE

    nodes_path = str(Path(loaded.data_dir) / NODES_FILE)
    edges_path = str(Path(loaded.data_dir) / EDGES_FILE)
    links = []
    for node, data in loaded.graph.nodes(data=True):
        for name in ("url", "current_url"):
            if isinstance(data.get(name), str) and data[name].strip():
                links.append(Link(node, name, data[name], nodes_path, loaded.node_lines.get(node, 0)))
    for u, v, data in loaded.graph.edges(data=True):
        if isinstance(data.get("part_url"), str) and data["part_url"].strip():
            links.append(Link(f"{u}->{v}", "part_url", data["part_url"], edges_path, loaded.edge_lines.get((u, v), 0)))
    return links


def parse_age(text: str) -> float:
    """Return a duration (``7d``, ``12h``, ``30m``, ``90s`` or seconds) in seconds; raise ``ValueError``.

    >>> parse_age("7d"), parse_age("1.5h"), parse_age("0")
    (604800.0, 5400.0, 0.0)
    """
    text = str(text).strip().lower()
    scale = {"d": 86400, "h": 3600, "m": 60, "s": 1}.get(text[-1:], None)
    number = text[:-1] if scale else text
    value = float(number) * (scale or 1)
    if not math.isfinite(value) or value < 0:
        raise ValueError(text)
    return value


def _clip(text) -> str | None:
    if text is None:
        return None
    text = str(text)
    return text if len(text) <= _MAX_TEXT else text[:_MAX_TEXT] + "..."


# ---- the cache ----

class ResultsCache:
    """Results of earlier runs, by URL, read from and written to one JSON file.

    The file is untrusted input: one larger than ``MAX_BYTES``, not JSON, or of
    another shape is ignored (and :attr:`problem` says why); each entry is kept
    only if every value has its type, its status is a lasting one
    (:data:`CACHED`) and its time is not in the future. It is written
    atomically. Timeouts and errors are not kept, so they are tried again.
    """

    MAX_BYTES = 16 * 1024 * 1024
    FORMAT = "graph check-links results"

    def __init__(self, path: str | os.PathLike | None, max_age: float, now: float | None = None):
        self.path = Path(path) if path is not None else None
        self.max_age = max_age
        self.now = time.time() if now is None else now
        self.entries: dict[str, dict] = {}
        self.problem: str | None = None
        if self.path is not None:
            self._read()

    def _read(self) -> None:
        try:
            with open(self.path, "rb") as handle:
                data = handle.read(self.MAX_BYTES + 1)
        except FileNotFoundError:
            return
        except OSError as exc:
            self.problem = f"cannot read it: {exc.strerror or exc}"
            return
        if len(data) > self.MAX_BYTES:
            self.problem = f"larger than {self.MAX_BYTES // (1024 * 1024)} MB, ignored"
            return
        try:
            payload = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            self.problem = "not a results file (not JSON), ignored"
            return
        if not isinstance(payload, dict) or payload.get("format") != self.FORMAT or \
                not isinstance(payload.get("results"), dict):
            self.problem = "not a results file (another shape), ignored"
            return
        for url, entry in payload["results"].items():
            if self._valid(url, entry):
                self.entries[url] = entry

    def _valid(self, url, entry) -> bool:
        if not isinstance(url, str) or len(url) > _MAX_TEXT or not isinstance(entry, dict):
            return False
        checked, code = entry.get("checked"), entry.get("code")
        return (entry.get("status") in CACHED
                and isinstance(checked, (int, float)) and not isinstance(checked, bool)
                and math.isfinite(checked) and checked <= self.now + 60
                and (code is None or (isinstance(code, int) and not isinstance(code, bool) and 100 <= code <= 999))
                and all(entry.get(k) is None or (isinstance(entry[k], str) and len(entry[k]) <= _MAX_TEXT + 3)
                        for k in ("final_url", "error"))
                and isinstance(entry.get("permanent", False), bool))

    def get(self, link: Link) -> Result | None:
        """Return the cached result for ``link``'s URL if it is younger than ``max_age``."""
        entry = self.entries.get(link.url)
        if entry is None or self.now - entry["checked"] > self.max_age:
            return None
        return Result(link, entry["status"], entry.get("code"), entry.get("final_url"),
                      entry.get("permanent", False), entry.get("error"), cached=True)

    def put(self, result: Result) -> None:
        """Keep ``result`` if its status lasts (:data:`CACHED`)."""
        if result.status in CACHED and not result.cached:
            self.entries[result.link.url] = {"status": result.status, "code": result.code,
                                             "final_url": result.final_url, "permanent": result.permanent,
                                             "error": result.error, "checked": self.now}

    def save(self) -> None:
        """Write the cache file atomically (entries older than ``max_age`` are dropped)."""
        from .output import write_atomic

        if self.path is None:
            return
        kept = {url: e for url, e in sorted(self.entries.items()) if self.now - e["checked"] <= self.max_age}
        write_atomic(self.path, json.dumps({"format": self.FORMAT, "version": 1, "results": kept},
                                           indent=1, sort_keys=True) + "\n")


# ---- addresses ----

def _system_resolver(host: str) -> list[str]:
    return list(dict.fromkeys(info[4][0] for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)))


def _private(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_reserved \
        or ip.is_multicast


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


# ---- fetching ----

@dataclass
class _Answer:
    code: int
    final_url: str
    redirects: list = field(default_factory=list)  # the redirect codes, in order
    retry_after: str | None = None


def _retry_after(value: str | None) -> float | None:
    """Return the seconds a ``Retry-After`` header asks for (a number or an HTTP date), or ``None``."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    return max(0.0, seconds) if math.isfinite(seconds) else None


def _retries(n: int) -> str:
    return "1 retry" if n == 1 else f"{n} retries"


def _cause(exc: BaseException, kind) -> BaseException | None:
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kind):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


async def _request(client: httpx.AsyncClient, method: str, url: str, timeout: float) -> _Answer:
    async def go():
        async with client.stream(method, url) as response:
            return _Answer(response.status_code, str(response.url), [r.status_code for r in response.history],
                           response.headers.get("retry-after"))
    return await asyncio.wait_for(go(), timeout)


def _verdict(link: Link, answer: _Answer) -> Result:
    code, final = answer.code, _clip(answer.final_url)
    moved = bool(answer.redirects) and final != link.url
    permanent = moved and all(c in (301, 308) for c in answer.redirects)
    if code in (404, 410):
        return Result(link, "dead", code, final if moved else None, permanent)
    if code in (401, 403):
        return Result(link, "blocked", code, final if moved else None, permanent)
    if code >= 400:
        return Result(link, "error", code, final if moved else None, permanent, f"HTTP {code}")
    if moved:
        return Result(link, "moved", code, final, permanent)
    return Result(link, "alive", code)


async def _fetch(client, link: Link, options: CheckOptions, sleep) -> Result:
    attempt = 0
    while True:
        try:
            answer = await _request(client, "HEAD", link.url, options.timeout)
            if answer.code >= 400 and answer.code != 429:
                answer = await _request(client, "GET", link.url, options.timeout)
        except (asyncio.TimeoutError, httpx.TimeoutException):
            return Result(link, "timeout", error=f"no answer within {options.timeout:g} s")
        except httpx.TooManyRedirects:
            return Result(link, "error", error=f"more than {options.max_redirects} redirects")
        except httpx.RemoteProtocolError as exc:
            return Result(link, "error", error=_clip(f"not a valid HTTP answer: {exc}"))
        except (httpx.ConnectError, httpx.ReadError, httpx.WriteError) as exc:
            import ssl  # imported by httpcore already; not at the top, so a Python without it can load this module

            tls = _cause(exc, ssl.SSLError)
            if tls is not None:
                return Result(link, "error", error=_clip(f"TLS: {tls.reason or tls}"))
            if attempt < options.retries:
                await sleep(options.backoff * 2 ** attempt)
                attempt += 1
                continue
            return Result(link, "error", error=_clip(f"connection failed after {_retries(options.retries)}: "
                                                     f"{exc or type(exc).__name__}"))
        except (httpx.HTTPError, httpx.InvalidURL, ValueError, UnicodeError) as exc:
            return Result(link, "error", error=_clip(f"{type(exc).__name__}: {exc}"))
        if answer.code == 429:
            wait = _retry_after(answer.retry_after)
            wait = options.backoff * 2 ** attempt if wait is None else wait
            if attempt < options.retries and wait <= options.max_retry_after:
                await sleep(wait)
                attempt += 1
                continue
            asked = f"; it asks to wait {wait:g} s, more than {options.max_retry_after:g}" \
                if wait > options.max_retry_after else f" after {_retries(options.retries)}"
            return Result(link, "error", 429, error=f"rate limited{asked}")
        if answer.code >= 500 and attempt < options.retries:
            await sleep(options.backoff * 2 ** attempt)
            attempt += 1
            continue
        return _verdict(link, answer)


async def _run(links: list[Link], options: CheckOptions, cache: ResultsCache | None, resolver, transport,
               sleep) -> list[Result]:
    results: dict[str, Result] = {}
    hosts: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(max(1, options.per_host)))
    overall = asyncio.Semaphore(max(1, options.concurrency))
    resolved: dict[str, asyncio.Task] = {}
    answered: set = set()  # hosts whose names resolved
    unknown: set = set()  # hosts whose names do not exist, as the resolver says

    async def addresses(host: str):
        if host not in resolved:
            resolved[host] = asyncio.ensure_future(asyncio.to_thread(resolver, host))
        return await resolved[host]

    async def one(client, link: Link) -> Result:
        host = (urlsplit(link.url).hostname or "").lower()
        literal = _literal(host)
        try:
            found = [literal] if literal else await addresses(host)
        except socket.gaierror as exc:
            if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)):
                unknown.add(host)
                return Result(link, "dead", error=f"the name '{_clip(host)}' does not resolve")
            return Result(link, "error", error=_clip(f"cannot resolve '{host}': {exc.strerror or exc}"))
        except (OSError, UnicodeError, ValueError) as exc:
            return Result(link, "error", error=_clip(f"cannot resolve '{host}': {exc}"))
        answered.add(host)
        if options.exclude_private and any(_private(a) for a in found):
            return Result(link, "skipped", error="a loopback, private or link-local address, with --exclude-private")
        async with hosts[host], overall:  # the host's turn first: a busy host holds no other host's slot
            return await _fetch(client, link, options, sleep)

    todo: dict[str, Link] = {}
    for link in links:
        if link.url in results or link.url in todo:
            continue
        try:
            web = is_web_url(link.url) and urlsplit(link.url).hostname is not None
        except ValueError:
            web = False
        if not web:
            results[link.url] = Result(link, "skipped", error="not an http(s) URL")
            continue
        cached = cache.get(link) if cache is not None else None
        if cached is not None:
            results[link.url] = cached
        else:
            todo[link.url] = link
    if todo:
        if transport is None:
            _need_tls()
        limits = httpx.Limits(max_connections=max(1, options.concurrency), max_keepalive_connections=8)
        async with httpx.AsyncClient(follow_redirects=True, max_redirects=options.max_redirects,
                                     timeout=httpx.Timeout(options.timeout), limits=limits, transport=transport,
                                     headers={"user-agent": _USER_AGENT, "accept": "*/*"}) as client:
            done = await asyncio.gather(*(one(client, link) for link in todo.values()))
        if len(unknown) > 1 and not answered:
            done = [_offline(r, len(unknown)) if r.status == "dead" and r.code is None else r for r in done]
        for result in done:
            results[result.link.url] = result
            if cache is not None:
                cache.put(result)
    out = []
    for link in links:
        first = results[link.url]
        out.append(first if first.link == link else Result(link, first.status, first.code, first.final_url,
                                                             first.permanent, first.error, first.cached))
    return out


def _need_tls() -> None:
    try:
        import ssl  # noqa: F401
    except ImportError as exc:
        raise NoTLS(f"checking links needs Python's ssl module, which this Python ({sys.executable}) cannot "
                    f"import: {exc}. Run graph from a Python built with ssl.") from None


def _offline(result: Result, hosts: int) -> Result:
    """A link whose name did not resolve when no name of the run did: not known to be dead."""
    return Result(result.link, "error", error=f"{result.error}, nor does any of the other {hosts - 1:,} names "
                                              f"of this run: {OFFLINE}")


def offline(results: list[Result]) -> bool:
    """Whether nothing could be checked because no host name resolved (the machine seems offline)."""
    return any(r.status == "error" and r.error and r.error.endswith(OFFLINE) for r in results)


def check(links: list[Link], options: CheckOptions | None = None, cache: ResultsCache | None = None,
          resolver: Callable[[str], list[str]] | None = None, transport: httpx.AsyncBaseTransport | None = None,
          sleep=None) -> list[Result]:
    """Check ``links`` and return one :class:`Result` per link, in order.

    ``resolver``: a host name -> its addresses (raising :class:`socket.gaierror` when it has none), the
    system's by default. ``sleep``: the coroutine that waits between retries (``asyncio.sleep``).
    """
    return asyncio.run(_run(list(links), options or CheckOptions(), cache, resolver or _system_resolver,
                            transport, sleep or asyncio.sleep))


def counts(results: list[Result]) -> dict[str, int]:
    """Return how many results have each status, in :data:`STATUSES` order, zeros left out."""
    found = {status: 0 for status in STATUSES}
    for result in results:
        found[result.status] += 1
    return {status: n for status, n in found.items() if n}


def failed(results: list[Result], strict: bool = False) -> bool:
    """Whether a run fails: a dead link; with ``strict``, also a blocked, timed-out or failed one."""
    failing = STRICT_FAILING if strict else FAILING
    return any(r.status in failing for r in results)
