"""Another researcher's client in a process of its own, for tests of a team project: it opens
a Library on the shared database as one coder and obeys JSON commands on stdin, one a line,
answering each with one JSON line on stdout (``tests.core.team_clients.WriterProcess`` drives
it). ``hold`` opens a transaction that writes a highlight (so it takes a change-log id) and
keeps it open until ``commit``: the way to make a lower log id commit after higher ones.

    python -m tests.core.team_writer URL FOLDER
"""

from __future__ import annotations

import json
import random
import sys
from typing import Any

from sqlalchemy import Connection, text

from annotator.core._db.engine import engine_for_url
from annotator.core.library import Library


def _insert_highlight(conn: Connection, document_id: int, start: int, end: int) -> int:
    return int(conn.execute(text(
        'INSERT INTO highlights (document_id, start, "end", text, author, created, modified) '
        "VALUES (:doc, :start, :end, 'x', current_user, now(), now()) RETURNING id"),
        {"doc": document_id, "start": start, "end": end}).scalar_one())


def main(url: str, folder: str) -> None:
    library = Library.open_engine(folder, engine_for_url(url))
    held: Connection | None = None
    print(json.dumps({"ready": library.user}), flush=True)
    for line in sys.stdin:
        command: dict[str, Any] = json.loads(line)
        op = command["op"]
        answer: dict[str, Any]
        if op == "add_highlight":
            h = library.add_highlight(command["doc"], command["start"], command["end"],
                                      tag_ids=command.get("tags", []))
            answer = {"id": h.id}
        elif op == "burst":  # many small highlights, each its own transaction, as coders tag
            rng = random.Random(command["seed"])
            ids = []
            for _ in range(command["n"]):
                start = rng.randrange(0, command["length"] - 5)
                ids.append(library.add_highlight(command["doc"], start, start + 5,
                                                 tag_ids=command.get("tags", [])).id)
            answer = {"ids": ids}
        elif op == "hold":
            held = library._store.engine.connect()
            answer = {"id": _insert_highlight(held, command["doc"], command["start"], command["end"])}
        elif op == "commit":
            assert held is not None, "nothing held"
            held.commit()
            held.close()
            held = None
            answer = {"committed": True}
        elif op == "quit":
            break
        else:
            answer = {"error": f"unknown command {op!r}"}
        print(json.dumps(answer), flush=True)
    library.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
