"""One coder of the team bench (``bench/cases/team.py``), in a process of its own: opens the
team database, then tags for the given seconds as fast as a coder possibly could. Mostly new
tagged passages (``add_highlight``), sometimes one more tag on one of its own highlights
(``set_highlight_tags`` with the version it last saw), every ``PROBE_EVERY``-th passage with a
note holding a fresh word that the bench's observer searches for.

    python -m bench.team_worker URL FOLDER SECONDS SEED OUT.json PROBES.txt

Writes OUT.json: the coder, every action's latency, the ids of the highlights it made, and
refusals by kind. Appends "word<TAB>unix time after commit" lines to PROBES.txt.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from random import Random

PROBE_EVERY = 10


def main(url: str, folder: str, seconds: float, seed: int, out: str, probes: str) -> None:
    from sqlalchemy import text

    from annotator.core._db.engine import engine_for_url
    from annotator.core.errors import AnnotatorError
    from annotator.core.library import Library

    library = Library.open_engine(Path(folder), engine_for_url(url))
    with library._store.engine.connect() as conn:  # the coder is the role logged in
        library.user = library._store.user = conn.execute(text("SELECT current_user")).scalar_one()
    rng = Random(seed)
    documents = [(d.id, d.characters) for d in library.documents()]
    tags = [t.id for t in library.tags()]
    made: dict[int, tuple[list[int], int]] = {}  # id -> (tags, version last seen)
    actions: list[tuple[str, float]] = []
    refused: dict[str, int] = {}
    probe_file = open(probes, "a", buffering=1)  # open for the whole run
    deadline = time.perf_counter() + seconds
    count = 0
    while time.perf_counter() < deadline:
        count += 1
        try:
            if made and rng.random() < 0.3:
                hid = rng.choice(list(made))
                have, version = made[hid]
                wanted = sorted({*have, rng.choice(tags)})
                started = time.perf_counter()
                written = library.set_highlight_tags(hid, wanted, expected=version)
                actions.append(("add tag", (time.perf_counter() - started) * 1000))
                made[hid] = (wanted, written.version)
                continue
            doc_id, length = rng.choice(documents)
            start = rng.randrange(0, max(1, length - 120))
            end = min(length, start + rng.randrange(20, 120))
            word = f"probe{seed}x{count}" if count % PROBE_EVERY == 0 else None
            started = time.perf_counter()
            h = library.add_highlight(doc_id, start, end, tag_ids=[rng.choice(tags)], note=word)
            done = time.perf_counter()
            actions.append(("tag passage", (done - started) * 1000))
            made[h.id] = ([t.id for t in h.tags], h.version)
            if word is not None:
                probe_file.write(f"{word}\t{h.id}\t{time.time()}\n")
        except AnnotatorError as error:
            refused[type(error).__name__] = refused.get(type(error).__name__, 0) + 1
    probe_file.close()
    library.close()
    Path(out).write_text(json.dumps({"coder": library.user, "actions": actions,
                                     "highlights": sorted(made), "refused": refused}))


if __name__ == "__main__":
    url, folder, seconds, seed, out, probes = sys.argv[1:7]
    main(url, folder, float(seconds), int(seed), out, probes)
