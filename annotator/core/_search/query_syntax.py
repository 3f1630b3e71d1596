"""Lexer and parser for the search box language, producing a small syntax tree.

The parser does not fail on malformed input (unbalanced quotes or parentheses, dangling
operators, a field with no value): it is repaired the obvious way and each repair is described
in ``warnings`` so the caller can show it next to the results. The one exception is nesting
deeper than ``MAX_DEPTH`` parentheses, which no researcher writes and which would otherwise
exhaust Python's stack: that raises ``InvalidQuery``. Runs of NOT are folded (NOT NOT x is x)
without recursing. Precedence, loosest first:
implicit/explicit AND, OR, NOT; so ``carney tariffs OR duties`` is carney AND (tariffs OR duties),
which is what a researcher narrowing a search means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from annotator.core.errors import InvalidQuery

LeafForm = Literal["word", "phrase", "prefix", "wildcard", "fuzzy", "range"]


@dataclass(frozen=True)
class Leaf:
    field: str | None  # lower-cased field name, None for the default text fields
    form: LeafForm
    text: str  # the word/phrase/pattern; for "range" the text between the brackets
    distance: int = 1  # fuzzy edit distance


@dataclass(frozen=True)
class Group:
    op: Literal["and", "or"]
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Negation:
    child: Node


@dataclass(frozen=True)
class Fielded:
    """``field:( … )``: the field applies to every unfielded word inside."""

    field: str
    child: Node


Node = Leaf | Group | Negation | Fielded


@dataclass(frozen=True)
class Token:
    kind: Literal["lparen", "rparen", "and", "or", "not", "field", "word", "phrase", "range"]
    text: str = ""
    closed: bool = True  # phrases and ranges: was the closing mark there?


@dataclass
class ParsedQuery:
    tree: Node | None
    warnings: list[str] = field(default_factory=list)


_QUOTES = {'"': '"', "“": "”", "„": "“", "”": "”"}
_FIELD_RE = re.compile(r"([A-Za-z][\w-]*):")
_WORD_STOP = set(" \t\r\n()[]") | set(_QUOTES)
_OPERATORS = {"AND": "and", "&&": "and", "OR": "or", "||": "or", "NOT": "not"}
_FUZZY_RE = re.compile(r"^(.+?)~(\d+)?$")
MAX_DEPTH = 64


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == "(":
            tokens.append(Token("lparen"))
            i += 1
        elif ch == ")":
            tokens.append(Token("rparen"))
            i += 1
        elif ch in _QUOTES:
            closing = _QUOTES[ch]
            end = text.find(closing, i + 1)
            if ch == '"' and end < 0:
                end = text.find("”", i + 1)
            if end < 0:
                tokens.append(Token("phrase", text[i + 1 :], closed=False))
                i = n
            else:
                tokens.append(Token("phrase", text[i + 1 : end]))
                i = end + 1
        elif ch == "[":
            end = text.find("]", i + 1)
            if end < 0:
                tokens.append(Token("range", text[i + 1 :], closed=False))
                i = n
            else:
                tokens.append(Token("range", text[i + 1 : end]))
                i = end + 1
        elif ch == "]":
            i += 1  # a stray closing bracket carries no meaning
        elif ch == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] != "-":
            tokens.append(Token("not"))
            i += 1
        else:
            match = _FIELD_RE.match(text, i)
            if match:
                tokens.append(Token("field", match.group(1).casefold()))
                i = match.end()
                continue
            j = i
            while j < n and text[j] not in _WORD_STOP:
                j += 1
            word = text[i:j]
            i = j
            op = _OPERATORS.get(word)
            tokens.append(Token(op, word) if op else Token("word", word))  # type: ignore[arg-type]
    return tokens


def _leaf_for_word(field_name: str | None, word: str) -> Leaf:
    fuzzy = _FUZZY_RE.match(word)
    if fuzzy and fuzzy.group(1).strip("~"):
        digits = fuzzy.group(2) or "1"
        # A silly distance (tariff~99999999999) only needs to be known as "too big"; int() of
        # thousands of digits would itself fail.
        distance = int(digits) if len(digits) <= 4 else 10_000
        return Leaf(field_name, "fuzzy", fuzzy.group(1), distance)
    core = word.rstrip("*")
    if word.endswith("*") and "*" not in core and "?" not in core:
        return Leaf(field_name, "prefix", core)
    if "*" in word or "?" in word:
        return Leaf(field_name, "wildcard", word)
    return Leaf(field_name, "word", word)


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def starts_operand(self, token: Token | None) -> bool:
        return token is not None and token.kind in ("lparen", "not", "field", "word", "phrase", "range")

    def parse(self) -> Node | None:
        parts: list[Node] = []
        while True:
            node = self.parse_and()
            if node is not None:
                parts.append(node)
            if self.peek() is None:
                break
            self.take()  # only a stray ")" stops parse_and before the end
            self.warn("An unmatched “)” was ignored.")
        return _combine("and", parts)

    def parse_and(self) -> Node | None:
        parts: list[Node] = []
        while (token := self.peek()) is not None and token.kind != "rparen":
            if token.kind in ("and", "or"):
                self.take()
                word = token.text
                if not parts:
                    self.warn(f"“{word}” needs a search term before it; it was ignored.")
                elif not self.starts_operand(self.peek()):
                    self.warn(f"“{word}” needs a search term after it; it was ignored.")
                continue
            node = self.parse_or()
            if node is not None:
                parts.append(node)
        return _combine("and", parts)

    def parse_or(self) -> Node | None:
        parts: list[Node] = []
        node = self.parse_unary()
        if node is not None:
            parts.append(node)
        while (token := self.peek()) is not None and token.kind == "or":
            if not self.starts_operand(self.tokens[self.pos + 1] if self.pos + 1 < len(self.tokens) else None):
                break  # parse_and reports the dangling OR
            self.take()
            node = self.parse_unary()
            if node is not None:
                parts.append(node)
        return _combine("or", parts)

    def take_nots(self) -> int | None:
        """Consume a run of NOTs; how many, or None (with a warning) when no term follows."""
        count = 0
        while (token := self.peek()) is not None and token.kind == "not":
            self.take()
            count += 1
        if count and not self.starts_operand(self.peek()):
            self.warn("“NOT” needs a search term after it; it was ignored.")
            return None
        return count

    def parse_unary(self) -> Node | None:
        count = self.take_nots()
        if count is None:
            return None
        return _negated(self.parse_primary(None), count)

    def parse_primary(self, field_name: str | None) -> Node | None:
        token = self.take()
        if token.kind == "lparen":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise InvalidQuery(
                    f"Parentheses are nested more than {MAX_DEPTH} deep; "
                    "remove some of the brackets."
                )
            node = self.parse_and()
            self.depth -= 1
            if self.peek() is not None and self.peek().kind == "rparen":  # type: ignore[union-attr]
                self.take()
            else:
                self.warn("A “(” was not closed; it was closed at the end.")
            if node is None:
                return None
            return Fielded(field_name, node) if field_name else node
        if token.kind == "field":
            return self.parse_field(token.text)
        if token.kind == "phrase":
            if not token.closed:
                self.warn("A quote was not closed; the rest was searched as a phrase.")
            if not token.text.strip():
                return None
            return Leaf(field_name, "phrase", token.text)
        if token.kind == "range":
            if field_name is None:
                self.warn(f"A range “[{token.text}]” needs a field, e.g. published:[2025-06-01 to 2025-06-30].")
                return None
            if not token.closed:
                self.warn("A “[” was not closed; it was closed at the end.")
            return Leaf(field_name, "range", token.text)
        if token.kind == "not":
            self.pos -= 1
            count = self.take_nots()
            if count is None:
                return None
            return _negated(self.parse_primary(field_name), count)
        if token.kind != "word":  # an operator where a value belongs (actor:AND)
            self.warn(f"“{token.text}” cannot be searched for here; it was ignored.")
            return None
        return _leaf_for_word(field_name, token.text)

    def parse_field(self, name: str) -> Node | None:
        token = self.peek()
        while token is not None and token.kind == "field" and name == "tag":
            # tag:stance:hawkish, the "category:name" label form used by exports
            self.take()
            name = token.text
            token = self.peek()
        if token is None or token.kind not in ("lparen", "word", "phrase", "range", "not"):
            self.warn(f"“{name}:” needs a value after it; it was ignored.")
            return None
        return self.parse_primary(name)


def _negated(node: Node | None, count: int) -> Node | None:
    """``count`` NOTs in front of ``node``: an even number cancels out."""
    if node is None or count % 2 == 0:
        return node
    return Negation(node)


def _combine(op: Literal["and", "or"], parts: list[Node]) -> Node | None:
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return Group(op, tuple(parts))


def parse(text: str) -> ParsedQuery:
    parser = _Parser(tokenize(text))
    tree = parser.parse()
    return ParsedQuery(tree, parser.warnings)
