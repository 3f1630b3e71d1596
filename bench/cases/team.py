"""Coders working at once on a team project: 4 client processes tag concurrently for 60 s
(``--quick``: 15 s; the suite's smoke run: 3 s) against a throwaway local PostgreSQL server (``tests/pg_server.py``'s
cluster: initdb/pg_ctl on a free port, removed after).

Figures: throughput (actions per second, all clients), p50/p95 of a tag action (a new tagged
passage, or one more tag with the optimistic check), p95 time from a client's commit until
another client's search finds the change (the bench's observer client polls its own search
for fresh note words the coders write), the same until its database read sees it, and the
highlights lost: every highlight a client was told it made must be there at the end, with
that client as its coder (0 expected).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from random import Random

from bench.context import BenchContext, log
from bench.stats import Figure, Result, Unavailable, percentile

NAME = "team"
NEEDS_PROJECT = False  # its own server and data, not the cached projects
CLIENTS = 4
SECONDS = 60.0
QUICK_SECONDS = 15.0
TINY_SECONDS = 3.0  # the suite's smoke run: only that it works
DOCUMENTS = 40
SEARCH_GIVE_UP_S = 10.0
GIVE_UP_AFTER = 10  # probes search never found before it is not asked any more
REPO = Path(__file__).resolve().parents[2]
WORDS = ("tariff steel dairy quota border summit minister trade council budget energy pipeline "
         "election poll coalition senate treaty sanction export import farm union wage").split()


def run(ctx: BenchContext) -> list[Result]:
    sys.path.insert(0, str(REPO))
    try:
        from tests.pg_server import NoServer, TempServer
    except ImportError as exc:
        return [Unavailable(NAME, f"tests/pg_server.py not importable: {exc}")]
    try:
        server = TempServer()
    except NoServer as exc:
        return [Unavailable(NAME, f"no PostgreSQL server could be started: {exc}")]
    try:
        return _bench(ctx, server)
    finally:
        server.stop()


def _bench(ctx: BenchContext, server: object) -> list[Result]:
    from annotator.core._db.engine import create_schema, engine_for_url
    from annotator.core.extracted import Extracted
    from annotator.core.library import Library

    seconds = TINY_SECONDS if ctx.tiny else QUICK_SECONDS if ctx.quick else SECONDS
    database = server.database()  # type: ignore[attr-defined]
    coders = [f"coder{i + 1}" for i in range(CLIENTS)]
    for coder in coders:
        server.sql(f"CREATE ROLE {coder} LOGIN")  # type: ignore[attr-defined]
    url = server.url(database)  # type: ignore[attr-defined]
    create_schema(engine_for_url(url))
    for what in ("TABLES", "SEQUENCES"):
        server.sql(f"GRANT ALL ON ALL {what} IN SCHEMA public TO {', '.join(coders)}", database)  # type: ignore[attr-defined]
    work = ctx.work / "team"
    observer = Library.open_engine(work / "observer", engine_for_url(url))
    rng = Random(f"team:{ctx.seed}")
    for n in range(DOCUMENTS):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(400, 1200)))
        observer.add_document(Extracted(text=body, format="txt", title=f"Article {n + 1}"))
    for n, word in enumerate(WORDS[:12]):
        observer.create_tag(word.capitalize(), "topic" if n % 2 else "actor")
    log(f"team: {CLIENTS} clients tagging for {seconds:.0f} s")
    probes = work / "probes.txt"
    probes.write_text("")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    workers = [subprocess.Popen(
        [sys.executable, "-m", "bench.team_worker", server.url(database, user=coder),  # type: ignore[attr-defined]
         str(work / coder), str(seconds), str(ctx.seed * 100 + i), str(work / f"{coder}.json"), str(probes)],
        cwd=REPO, env=env) for i, coder in enumerate(coders)]
    search_s, read_s, never = _observe(observer, probes, workers)
    for worker in workers:
        if worker.wait() != 0:
            return [Unavailable(NAME, f"a client process failed (exit {worker.returncode})")]
    reports = [json.loads((work / f"{coder}.json").read_text()) for coder in coders]
    latencies = [ms for r in reports for _, ms in r["actions"]]
    lost = _lost(observer, reports)
    refused = {k: sum(r["refused"].get(k, 0) for r in reports) for r in reports for k in r["refused"]}
    observer.close()
    note = (f"{CLIENTS} client processes, {seconds:.0f} s, {DOCUMENTS} documents; "
            f"{len(latencies)} actions, refusals {refused or 'none'}")
    results: list[Result] = [
        Figure(NAME, "throughput, all clients", None, "actions/s", [len(latencies) / seconds],
               higher_is_better=True, note=note),
        Figure(NAME, "tag action p50", None, "ms", [percentile(latencies, 50)]),
        Figure(NAME, "tag action p95", None, "ms", [percentile(latencies, 95)]),
        Figure(NAME, "another client's read sees it p50", None, "ms", [percentile(read_s, 50) * 1000],
               note=f"{len(read_s)} probes; includes the observer's polling turn on a loaded machine"),
        Figure(NAME, "another client's read sees it p95", None, "ms", [percentile(read_s, 95) * 1000]),
        Figure(NAME, "highlights lost", None, "highlights", [float(lost)], target="0",
               note=f"{sum(len(r['highlights']) for r in reports)} highlights made"),
    ]
    if search_s:
        results.append(Figure(NAME, "another client's search finds it p95", None, "ms",
                              [percentile(search_s, 95) * 1000], target="< 2000 ms",
                              note=f"{len(search_s)} probes found, {never} not within {SEARCH_GIVE_UP_S:.0f} s"))
    else:
        results.append(Unavailable(NAME, f"another client's search found none of the first {never} probes within "
                                          f"{SEARCH_GIVE_UP_S:.0f} s: clients' indexes do not follow "
                                          "the change log on this tree"))
    return results


def _observe(observer: object, probes: Path, workers: list[subprocess.Popen]) -> tuple[list[float], list[float], int]:
    """Follow the probe words as the clients write them: seconds from each commit until the
    observer's database read, and its search, find it. Once ``GIVE_UP_AFTER`` probes in a row
    were never found by search, search is not asked again (its figure is then unavailable)."""
    read_s: list[float] = []
    search_s: list[float] = []
    unread: dict[int, float] = {}  # highlight id -> commit time
    waiting: dict[str, tuple[int, float]] = {}
    never = 0
    offset = 0
    # A team project's index follows the change log (branch t_log: ``poll_changes``, which the
    # window calls when woken); on a tree without it, search finds only the client's own writes.
    follow = getattr(observer, "poll_changes", None)
    while True:
        running = any(w.poll() is None for w in workers)
        with probes.open() as f:
            f.seek(offset)
            chunk = f.read()
        complete = chunk[:chunk.rfind("\n") + 1]
        offset += len(complete.encode())
        for line in complete.splitlines():
            word, hid, at = line.split("\t")
            unread[int(hid)] = float(at)
            if never < GIVE_UP_AFTER or search_s:
                waiting[word] = (int(hid), float(at))
        if waiting and follow is not None:
            follow()  # as the window's follower does when woken: others' changes into the index
        if unread:
            found = observer.highlights(highlight_ids=list(unread))  # type: ignore[attr-defined]
            now = time.time()
            for h in found:
                read_s.append(max(0.0, now - unread.pop(h.id)))
        for word, (hid, at) in list(waiting.items()):
            if any(h.highlight_id == hid for h in observer.search(f"note:{word}", limit=5).hits):  # type: ignore[attr-defined]
                search_s.append(max(0.0, time.time() - at))
                del waiting[word]
            elif time.time() - at > SEARCH_GIVE_UP_S:
                never += 1
                del waiting[word]
        if never >= GIVE_UP_AFTER and not search_s:
            waiting.clear()
        if not running and not waiting and not unread:
            return search_s, read_s, never
        time.sleep(0.02)


def _lost(observer: object, reports: list[dict]) -> int:
    """Highlights a client made that are not in the database with that client as coder."""
    lost = 0
    for report in reports:
        ids = report["highlights"]
        found = {h.id: h.author for h in observer.highlights(highlight_ids=ids)}  # type: ignore[attr-defined]
        lost += sum(found.get(i) != report["coder"] for i in ids)
    return lost
