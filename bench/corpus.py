"""Deterministic synthetic news corpus: article ``i`` of seed ``s`` is always the same text.

Each article is about 4,000 characters of sentences drawn from a Zipf vocabulary, with named
actors and topics (by canonical name or alias), a date in 2024–2026, an outlet and a reporter,
and a plan of five highlights on whole sentences tagged with the actors/topics they mention,
about a third with a note. Because article ``i`` depends only on ``(seed, i)``, the corpus of
1,000 documents is the first 1,000 of the corpus of 20,000, which lets project caches grow.

Writing files (``bench.corpus_files``) and filling projects (``bench.corpus_project``) live in
their own modules; this one is pure and fast (no I/O).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from random import Random

from bench.vocabulary import (
    ACTORS,
    NOTE_TEMPLATES,
    OUTLETS,
    REPORTERS,
    SPEECH_VERBS,
    TOPICS,
    build_vocabulary,
    zipf_cumulative_weights,
)

# Bump when the generator changes, so cached projects built from older text are not reused.
CORPUS_VERSION = 1
TARGET_CHARS = 4_000
HIGHLIGHTS_PER_DOCUMENT = 5
NOTE_SHARE = 0.3
FIRST_DATE = date(2024, 1, 1)
LAST_DATE = date(2026, 12, 31)
# Share of documents stored with each format, so `format:` queries have something to filter.
FORMAT_SHARES: tuple[tuple[str, float], ...] = (("html", 0.6), ("pdf", 0.25), ("txt", 0.15))


@dataclass(frozen=True, slots=True)
class PlannedHighlight:
    start: int
    end: int
    actors: tuple[str, ...]
    topics: tuple[str, ...]
    note: str | None


@dataclass(frozen=True, slots=True)
class Article:
    index: int
    title: str
    author: str
    published: date
    outlet: str
    url: str
    format: str
    paragraphs: tuple[str, ...]
    highlights: tuple[PlannedHighlight, ...]

    @property
    def text(self) -> str:
        """The body as the Library stores it: paragraphs separated by one blank line."""
        return "\n\n".join(self.paragraphs)

    def pages(self, chars_per_page: int = 2_500) -> tuple[tuple[int, int], ...]:
        """A page map for documents stored as PDFs (page breaks at paragraph boundaries)."""
        if self.format != "pdf":
            return ()
        pages: list[tuple[int, int]] = []
        start = pos = 0
        for i, para in enumerate(self.paragraphs):
            end = pos + len(para)
            if end - start >= chars_per_page and i < len(self.paragraphs) - 1:
                pages.append((start, end))
                start = end + 2
            pos = end + 2
        pages.append((start, pos - 2))
        return tuple(pages)


@dataclass(frozen=True)
class _Model:
    vocabulary: tuple[str, ...]
    cumulative: list[float]
    topic_weights: list[float]
    actor_weights: list[float]


@lru_cache(maxsize=4)
def _model(seed: int) -> _Model:
    vocabulary = build_vocabulary(seed)
    return _Model(
        vocabulary=vocabulary,
        cumulative=zipf_cumulative_weights(len(vocabulary)),
        # A few topics and actors dominate the news, as in real coverage.
        topic_weights=[1.0 / (r + 1) ** 0.8 for r in range(len(TOPICS))],
        actor_weights=[1.0 / (r + 1) ** 0.8 for r in range(len(ACTORS))],
    )


def article(seed: int, index: int) -> Article:
    """Article ``index`` (0-based) of the corpus ``seed``."""
    model = _model(seed)
    rng = Random(f"article:{seed}:{index}")
    topics = _pick(rng, TOPICS, model.topic_weights, rng.randint(1, 3))
    actors = _pick(rng, ACTORS, model.actor_weights, rng.randint(2, 4))
    outlet, domain = rng.choice(OUTLETS)
    published = FIRST_DATE + timedelta(days=rng.randrange((LAST_DATE - FIRST_DATE).days + 1))
    fmt = _pick_format(rng)

    paragraphs: list[str] = []
    # (start, end, actors, topics) of every sentence, in body offsets, for highlight planning.
    sentences: list[tuple[int, int, tuple[str, ...], tuple[str, ...]]] = []
    offset = 0
    while offset < TARGET_CHARS:
        parts: list[str] = []
        pos = offset
        for _ in range(rng.randint(2, 5)):
            sentence, s_actors, s_topics = _sentence(rng, model, actors, topics)
            if parts:
                pos += 1  # the space between sentences
            sentences.append((pos, pos + len(sentence), s_actors, s_topics))
            parts.append(sentence)
            pos += len(sentence)
        paragraph = " ".join(parts)
        paragraphs.append(paragraph)
        offset += len(paragraph) + 2

    title = _title(rng, model, actors, topics)
    return Article(
        index=index,
        title=title,
        author=rng.choice(REPORTERS),
        published=published,
        outlet=outlet,
        url=f"https://{domain}/{published:%Y/%m/%d}/story-{seed}-{index}",
        format=fmt,
        paragraphs=tuple(paragraphs),
        highlights=_plan_highlights(rng, sentences, actors, topics),
    )


def articles(seed: int, start: int, stop: int) -> list[Article]:
    return [article(seed, i) for i in range(start, stop)]


def _pick(
    rng: Random,
    pool: tuple[tuple[str, tuple[str, ...]], ...],
    weights: list[float],
    count: int,
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    chosen: dict[str, tuple[str, ...]] = {}
    while len(chosen) < count:
        name, aliases = rng.choices(pool, weights=weights)[0]
        chosen[name] = aliases
    return tuple(chosen.items())


def _pick_format(rng: Random) -> str:
    roll = rng.random()
    for fmt, share in FORMAT_SHARES:
        if roll < share:
            return fmt
        roll -= share
    return FORMAT_SHARES[-1][0]


def _mention(rng: Random, entity: tuple[str, tuple[str, ...]]) -> str:
    """The canonical name about half the time, otherwise an alias, as reporters write."""
    name, aliases = entity
    return name if not aliases or rng.random() < 0.5 else rng.choice(aliases)


def _words(rng: Random, model: _Model, count: int) -> list[str]:
    return rng.choices(model.vocabulary, cum_weights=model.cumulative, k=count)


def _sentence(
    rng: Random,
    model: _Model,
    actors: tuple[tuple[str, tuple[str, ...]], ...],
    topics: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    words = _words(rng, model, rng.randint(9, 24))
    s_actors: list[str] = []
    s_topics: list[str] = []
    if rng.random() < 0.45:
        topic = rng.choice(topics)
        words.insert(rng.randrange(1, len(words)), _mention(rng, topic))
        s_topics.append(topic[0])
    if rng.random() < 0.08:
        words.insert(rng.randrange(1, len(words)), f"{rng.randint(2, 95)} percent")
    words[0] = words[0][:1].upper() + words[0][1:]
    if rng.random() < 0.35:
        actor = rng.choice(actors)
        s_actors.append(actor[0])
        quote = " ".join(words)
        sentence = f"\u201c{quote},\u201d {_mention(rng, actor)} {rng.choice(SPEECH_VERBS)}."
    else:
        sentence = " ".join(words) + "."
    return sentence, tuple(s_actors), tuple(s_topics)


def _title(
    rng: Random,
    model: _Model,
    actors: tuple[tuple[str, tuple[str, ...]], ...],
    topics: tuple[tuple[str, tuple[str, ...]], ...],
) -> str:
    actor = actors[0][1][0] if actors[0][1] else actors[0][0]
    rest = " ".join(_words(rng, model, rng.randint(3, 6))[1:])
    return f"{actor} {rng.choice(('on', 'weighs', 'signals', 'rejects'))} {topics[0][0]}: {rest}"


def _plan_highlights(
    rng: Random,
    sentences: list[tuple[int, int, tuple[str, ...], tuple[str, ...]]],
    actors: tuple[tuple[str, tuple[str, ...]], ...],
    topics: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[PlannedHighlight, ...]:
    # Researchers highlight the sentences that name someone or something they code; fall back
    # to any sentence when an article has too few.
    tagged = [s for s in sentences if s[2] or s[3]]
    pool = tagged if len(tagged) >= HIGHLIGHTS_PER_DOCUMENT else sentences
    chosen = sorted(rng.sample(pool, min(HIGHLIGHTS_PER_DOCUMENT, len(pool))))
    planned = []
    for start, end, s_actors, s_topics in chosen:
        topic_names = s_topics or (topics[0][0],)
        note = None
        if rng.random() < NOTE_SHARE:
            note = rng.choice(NOTE_TEMPLATES).format(
                actor=(s_actors or (actors[0][0],))[0], topic=topic_names[0]
            )
        planned.append(PlannedHighlight(start, end, s_actors, topic_names, note))
    return tuple(planned)
