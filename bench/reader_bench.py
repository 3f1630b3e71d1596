"""Reader speed on a long synthetic document (offscreen). Prints figures; asserts nothing.

    .venv/bin/python bench/reader_bench.py [--chars 1200000] [--highlights 2000] [--pages 300]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import datetime

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from annotator.core.models import Document, Highlight, PageSpan, TagRef
from annotator.gui.widgets.reader import Reader

WORDS = ("tariff negotiation sovereignty Arctic minister review pact quota aluminium steel "
         "lumber dairy border energy minerals defence agreement Ottawa Washington").split()


def synthetic_text(chars: int, pages: int, astral: bool) -> tuple[str, tuple[PageSpan, ...]]:
    rng = random.Random(1)
    per_page = chars // pages
    texts = []
    for _ in range(pages):
        words: list[str] = []
        size = 0
        while size < per_page:
            word = rng.choice(WORDS)
            if astral and rng.random() < 0.002:
                word += " \U0001F600"
            words.append(word)
            size += len(word) + 1
            if rng.random() < 0.01:
                words.append("\n\n")
        texts.append(" ".join(words).strip())
    spans, parts, pos = [], [], 0
    for n, t in enumerate(texts, 1):
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(t)
        spans.append(PageSpan(n, pos, pos + len(t)))
        pos += len(t)
    return "".join(parts), tuple(spans)


def bench_fixture(
    text: str, pages: tuple[PageSpan, ...], now: datetime
) -> tuple[Document, list[TagRef], Callable[[int], Highlight]]:
    """The benchmark document, its six coloured tags and a seeded factory of highlights on it
    (random spans, one tag each), shared with bench/qt_probe.py so both time the same thing."""
    doc = Document(1, "Bench", "", "", None, now, "pdf", "", None, "", None, len(text), pages)
    rng = random.Random(2)
    tags = [TagRef(i, f"tag{i}", "actor" if i % 2 else "topic", c) for i, c in
            enumerate(("#f4c542", "#7cc6fe", "#f49ac2", "#9be59b", "#ffb26b", "#c3a6ff"), 1)]

    def make(hid: int) -> Highlight:
        start = rng.randrange(0, len(text) - 400)
        end = start + rng.randrange(5, 300)
        return Highlight(hid, 1, start, end, text[start:end], (rng.choice(tags),), None, now,
                         now, "")

    return doc, tags, make


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=1_200_000)
    ap.add_argument("--highlights", type=int, default=2000)
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--astral", action="store_true", help="sprinkle emoji through the text")
    ap.add_argument("--window", action="store_true",
                    help="also time the main window's open path through a real project (slow to set up)")
    args = ap.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    text, pages = synthetic_text(args.chars, args.pages, args.astral)
    doc, tags, make = bench_fixture(text, pages, datetime.now())
    highlights = [make(i) for i in range(1, args.highlights + 1)]
    reader = Reader()
    reader.resize(1000, 800)
    reader.show()
    app.processEvents()
    # Warm the font and glyph caches once, as the app has done by the time a user opens a
    # long document (the first paint of any text in a process costs ~100 ms extra).
    reader.show_document(doc, "Warm-up paragraph. " * 200, [])
    app.processEvents()
    reader.viewport().repaint()

    t0 = time.perf_counter()
    reader.show_document(doc, text, highlights)
    t1 = time.perf_counter()
    app.processEvents()
    reader.viewport().repaint()
    t2 = time.perf_counter()

    one_more = make(args.highlights + 1)
    t3 = time.perf_counter()
    reader.update_highlights([one_more])
    t4 = time.perf_counter()
    retagged = Highlight(**{**{f: getattr(one_more, f) for f in one_more.__slots__}, "tags": (tags[0], tags[1])})
    t5 = time.perf_counter()
    reader.update_highlights([retagged])
    t6 = time.perf_counter()
    reader.set_tag_filter({tags[0].id})
    t7 = time.perf_counter()
    reader.verticalScrollBar().setValue(reader.verticalScrollBar().maximum() // 2)
    reader.viewport().repaint()
    t9 = time.perf_counter()

    print(f"document: {len(text):,} characters, {len(pages)} pages, {len(highlights):,} highlights"
          f"{' (with emoji)' if args.astral else ''}")
    print(f"open: set text + paint all highlights   {1000 * (t1 - t0):8.1f} ms")
    print(f"first screen painted                     {1000 * (t2 - t0):8.1f} ms (open included)")
    print(f"one more highlight repainted             {1000 * (t4 - t3):8.1f} ms")
    print(f"tag added to a highlight repainted       {1000 * (t6 - t5):8.1f} ms")
    print(f"tag filter changed (full repaint)        {1000 * (t7 - t6):8.1f} ms")
    print(f"jump to middle and paint                 {1000 * (t9 - t7):8.1f} ms")
    if args.window:
        window_bench(app, text, pages, args.highlights)
    return 0


def window_bench(app: QApplication, text: str, pages: tuple[PageSpan, ...], count: int) -> None:
    """Open the document through MainWindow as a user would: Library reads, text, highlights."""
    import tempfile
    from pathlib import Path

    from annotator.core.extracted import Extracted
    from annotator.core.library import Library
    from annotator.core.models import Mention
    from annotator.gui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as tmp:
        library = Library.create(Path(tmp) / "Bench.annotator")
        other = library.add_document(Extracted(text="A short note to open first.", format="txt", title="A"))
        doc = library.add_document(Extracted(text=text, format="pdf", title="Bench",
                                             pages=tuple((p.start, p.end) for p in pages)))
        tag = library.create_tag("bench", "topic")
        rng = random.Random(3)
        mentions = []
        for _ in range(count):
            start = rng.randrange(0, len(text) - 400)
            end = start + rng.randrange(5, 300)
            mentions.append(Mention(doc.id, "Bench", start, end, text[start:end], "", ""))
        library.tag_mentions(tag.id, mentions)
        window = MainWindow(library)
        window.show()
        window.open_document(other.id)
        app.processEvents()
        window.runner.wait()
        loaded: list[float] = []
        window.highlights_loaded.connect(lambda _id: loaded.append(time.perf_counter()))
        t0 = time.perf_counter()
        window.open_document(doc.id)
        window.reader.viewport().repaint()
        t1 = time.perf_counter()
        app.processEvents()
        t2 = time.perf_counter()
        while not loaded and time.perf_counter() - t0 < 60:
            app.processEvents()
            time.sleep(0.005)
        print(f"window: text shown                      {1000 * (t1 - t0):8.1f} ms")
        print(f"window: side panes followed (UI busy)   {1000 * (t2 - t0):8.1f} ms")
        if loaded:
            print(f"window: {count:,} highlights read and painted {1000 * (loaded[0] - t0):8.1f} ms")
        window.close()


if __name__ == "__main__":
    raise SystemExit(main())
