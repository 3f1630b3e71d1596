"""A coder in a process of their own, for the tests of coders working at the same time.

Run as a script, it opens a Library on a database URL and performs the actions its parent
sends, one JSON line each on stdin, answering one JSON line each on stdout::

    {"op": "set_highlight_note", "args": [12, "why"], "kwargs": {"expected": 3}}
    -> {"ok": <the result as JSON>}  or  {"error": "EditConflict", "message": "…", "coder": "bob"}

An action may stop inside its transaction at a named point (``"pause_at": "tag_rows"``): the
client answers ``{"paused": "tag_rows"}`` and waits for a ``resume`` line. Holding one coder
there while another acts forces the interleavings the rules are about; the parent knows the
other coder is really waiting when PostgreSQL lists its backend as waiting for a lock
(``TeamClient.wait_until_blocked``).

The parent side is ``TeamClient``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

# Where an action can be held: (module, name) of a function the action calls inside its
# writing transaction, after what the point's name says has happened.
PAUSE_POINTS = {
    "tag_rows": ("annotator.core.highlights", "tag_rows"),  # tagging: its tags are locked
    "find_or_create_tag_rows": ("annotator.core.highlights", "find_or_create_tag_rows"),
    "lock_highlights": ("annotator.core.highlights", "lock_highlights"),
    "tag_name": ("annotator.core.codebook", "lock_tag_name"),  # create/rename: name taken
    "tag_removed": ("annotator.core.codebook", "Codebook._removed"),  # delete/merge: done
}


# --------------------------------------------------------------------------- child side
def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _install_pause(point: str, say: Callable[[dict], None]) -> Callable[[], None]:
    """Make ``point`` stop once, after doing its work, until the parent says resume; returns
    the function that takes the pause out again."""
    import importlib

    module_name, attr = PAUSE_POINTS[point]
    owner: Any = importlib.import_module(module_name)
    *path, name = attr.split(".")
    for part in path:
        owner = getattr(owner, part)
    original = getattr(owner, name)
    state = {"left": 1}

    def paused(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if state["left"]:
            state["left"] -= 1
            say({"paused": point})
            if sys.stdin.readline().strip() != "resume":
                raise SystemExit("expected 'resume'")
        return result

    setattr(owner, name, paused)
    return lambda: setattr(owner, name, original)


def _decode(op: str, args: list, kwargs: dict) -> tuple[list, dict]:
    """Turn JSON arguments back into what the Library takes (highlights to restore, tag
    snapshots, ``expected`` maps keyed by highlight id)."""
    from annotator.core.models import Highlight, TagRef

    if op == "restore_highlights":
        args = [[Highlight(**{**h, "tags": tuple(TagRef(**t) for t in h["tags"]),
                              "created": datetime.fromisoformat(h["created"]),
                              "modified": datetime.fromisoformat(h["modified"])}) for h in args[0]]]
    if isinstance(kwargs.get("expected"), dict) and op != "update_tag":  # its keys are fields
        kwargs = {**kwargs, "expected": {int(k): v for k, v in kwargs["expected"].items()}}
    if "new_tags" in kwargs:
        kwargs = {**kwargs, "new_tags": [tuple(pair) for pair in kwargs["new_tags"]]}
    return args, kwargs


def serve(url: str, folder: str) -> None:
    from annotator.core._db.engine import engine_for_url
    from annotator.core.errors import AnnotatorError, EditConflict
    from annotator.core.library import Library

    out = sys.stdout

    def say(message: dict) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    library = Library.open_engine(folder, engine_for_url(url))
    # The coder is the PostgreSQL role this client logged in as, as a team project's open sets it.
    with library._store.engine.connect() as conn:
        from sqlalchemy import text

        if conn.dialect.name == "postgresql":
            library.user = library._store.user = conn.execute(text("SELECT current_user")).scalar_one()
    say({"ready": library.user, "pid": os.getpid()})
    kept: dict[str, Any] = {}  # results the parent refers to later by name (tag snapshots)
    for line in sys.stdin:
        request = json.loads(line)
        op = request["op"]
        unpause = _install_pause(request["pause_at"], say) if request.get("pause_at") else None
        try:
            args, kwargs = _decode(op, request.get("args", []), request.get("kwargs", {}))
            if request.get("use"):  # arguments kept from an earlier answer
                args = [kept[name] for name in request["use"]]
            result = getattr(library, op)(*args, **kwargs)
            if request.get("keep"):
                kept[request["keep"]] = result
            say({"ok": _jsonable(result)})
        except AnnotatorError as error:
            say({"error": type(error).__name__, "message": str(error),
                 "coder": error.coder if isinstance(error, EditConflict) else None})
        finally:
            if unpause is not None:
                unpause()
    library.close()


# --------------------------------------------------------------------------- parent side
class ClientFailed(AssertionError):
    pass


class TeamClient:
    """One coder's process. ``call`` performs an action and returns its answer; ``start`` sends
    one and returns at once (its answer comes from ``answer``)."""

    def __init__(self, url: str, folder: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        env.pop("QT_QPA_PLATFORM", None)
        self.process = subprocess.Popen(
            [sys.executable, __file__, url, str(folder)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)
        hello = self._read()
        self.user = hello["ready"]

    def _read(self) -> dict:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            assert self.process.stderr is not None
            raise ClientFailed(f"client process ended: {self.process.stderr.read()[-3000:]}")
        return json.loads(line)

    def start(self, op: str, *args: Any, pause_at: str | None = None, keep: str | None = None,
              use: list[str] | None = None, **kwargs: Any) -> None:
        assert self.process.stdin is not None
        request = {"op": op, "args": _jsonable(list(args)), "kwargs": _jsonable(kwargs),
                   "pause_at": pause_at, "keep": keep, "use": use}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        if pause_at is not None:
            answer = self._read()
            if answer.get("paused") != pause_at:
                raise ClientFailed(f"{op} did not reach {pause_at}: {answer}")

    def resume(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("resume\n")
        self.process.stdin.flush()

    def answer(self) -> dict:
        return self._read()

    def call(self, op: str, *args: Any, **kwargs: Any) -> Any:
        """Perform ``op`` and return its result; raise ``ClientFailed`` if it was refused."""
        self.start(op, *args, **kwargs)
        answer = self.answer()
        if "error" in answer:
            raise ClientFailed(f"{op} refused: {answer}")
        return answer["ok"]

    def refused(self, op: str, *args: Any, **kwargs: Any) -> dict:
        """Perform ``op``, which must be refused; return the refusal."""
        self.start(op, *args, **kwargs)
        answer = self.answer()
        if "error" not in answer:
            raise ClientFailed(f"{op} was not refused: {answer}")
        return answer

    def close(self) -> None:
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def wait_until_blocked(sql: Callable[..., list], database: str, user: str, limit: float = 60.0) -> None:
    """Return once a PostgreSQL backend of ``user`` on ``database`` waits for a lock another
    coder holds (``sql`` runs a statement as the superuser); fail after ``limit`` seconds."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        rows = sql(f"SELECT count(*) FROM pg_stat_activity WHERE usename = '{user}' "
                   f"AND datname = '{database}' AND wait_event_type = 'Lock'")
        if rows and rows[0][0]:
            return
        time.sleep(0.05)
    raise ClientFailed(f"{user} never waited for a lock")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    serve(sys.argv[1], sys.argv[2])
