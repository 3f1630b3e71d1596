"""Turning the bytes of a plain-text file into str without guessing wrong on common cases.

Order (STACK.md): byte-order mark, UTF-16 without BOM, ISO-2022-JP escapes, strict UTF-8, then
charset-normalizer. charset-normalizer labels Western European text as cp1250/mac_latin2 about
as readily as cp1252; when cp1252 fits the bytes as well as its pick, we take cp1252 because
that is what Western European Windows machines write.

Short input gives the detector almost nothing to go on: it labels a cp1252 "café" as UTF-16,
"naïve" as cp1006 and "€" as EBCDIC, all with full confidence. So its picks are filtered (no
UTF-16/32 without NUL bytes, no EBCDIC), and when the evidence is thin (few non-ASCII bytes) or
the pick is an unlikely table it was unsure of, cp1252 wins if its reading looks like Western
European text (see ``plausible_western``).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import CharsetMatch, CharsetMatches, from_bytes

from annotator.core.errors import ImportFailed

BINARY_MESSAGE = "looks like a binary file, not text"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Single-byte Latin-script codecs that charset-normalizer confuses with cp1252 on Western text.
# Cyrillic, Greek, Arabic, Hebrew and Turkish codecs are absent on purpose: there cp1252 being
# "as good" would be a coincidence of a short sample, and the detector's pick is usually right.
_LATIN_LOOKALIKES = frozenset(
    {
        "cp1250", "cp1252", "cp1257", "cp1258", "cp437", "cp775", "cp850", "cp852", "cp858",
        "cp860", "cp861", "cp863", "cp865", "hp_roman8", "latin_1", "iso8859_2", "iso8859_3",
        "iso8859_4", "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15",
        "iso8859_16", "mac_iceland", "mac_latin2", "mac_roman", "mac_turkish",
    }
)
_CJK_CODECS = ("cp932", "shift_jis", "euc_jp", "gb18030", "big5", "cp949", "euc_kr")
# Tables the detector picks for short Western text by accident; a pick among them with little
# language coherence is re-checked against cp1252.
_DOUBTFUL_PICKS = frozenset(
    {
        *_CJK_CODECS, "big5hkscs", "euc_jis_2004", "euc_jisx0213", "shift_jis_2004",
        "shift_jisx0213", "johab", "hz", "gb2312", "gbk", "cp1006", "cp1125", "cp437", "cp720",
        "cp737", "cp775", "cp850", "cp852", "cp855", "cp856", "cp857", "cp858", "cp860", "cp861",
        "cp862", "cp863", "cp864", "cp865", "cp866", "cp869", "hp_roman8", "kz1048", "ptcp154",
        "mac_arabic", "mac_croatian", "mac_farsi", "mac_romanian",
    }
)
_DOUBTFUL_COHERENCE = 0.2
# Below this many bytes >= 0x80 the detector's statistics are too thin to overrule cp1252.
_FEW_NON_ASCII = 64
# A legitimate decoding never needs these without a BOM or NUL bytes (ASCII in UTF-16 has NULs).
_WIDE_UNICODE = ("utf_16", "utf_32")
_EBCDIC = frozenset(
    {
        "cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140", "cp1141", "cp1142",
        "cp1143", "cp1144", "cp1145", "cp1146", "cp1147", "cp1148", "cp1149",
    }
)
# Western European words hold at most two non-ASCII characters in a row ("ção", "üß"); three in
# a row (other than one repeated, as in a "———" rule) is what Cyrillic, Greek or CJK bytes look
# like read as cp1252.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f\s]{3,}")
# "aÄ", "dŸ": a capital accented letter right after a lowercase one does not happen in words.
_CAPITAL_AFTER_LOWER = re.compile(r"[a-zß-öø-ÿšœžƒ][À-ÖØ-ÞŠŒŽŸ]")
# A symbol inside a word: Central European letters seen through cp1252 ("rz¹d", "ma³y", "mo¿e").
_SYMBOL_IN_WORD = re.compile(r"(?<=[^\W\d_])[¹²³¼½¾ªº¤¦¨¯¸µ¶¿¡¥£¢©®°±×÷§¬](?=[^\W\d_])")
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_MIN_VALID_PER_INVALID = 4
# How much worse cp1252 may score than charset-normalizer's pick and still be preferred.
_CHAOS_SLACK = 0.005
_COHERENCE_SLACK = 0.1
# Share of control characters above which decoded "text" is really binary data.
_MAX_CONTROL_SHARE = 0.05


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str


def decode_text(data: bytes, *, encoding: str | None = None) -> Decoded:
    """Decode ``data``; ``encoding`` (a Python codec name) overrides detection.

    Raises ImportFailed for binary data or an unknown/unfitting override."""
    if encoding is not None:
        return _decode_override(data, encoding)
    decoded = _detect(data)
    if decoded is None or _looks_binary(decoded.text):
        raise ImportFailed(BINARY_MESSAGE)
    return decoded


def _decode_override(data: bytes, encoding: str) -> Decoded:
    try:
        name = codecs.lookup(encoding).name
    except LookupError as exc:
        raise ImportFailed(f"unknown text encoding {encoding!r}") from exc
    try:
        return Decoded(_strip_bom(data.decode(name)), name)
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"the file is not valid {encoding} text: {exc.reason}") from exc


def _detect(data: bytes) -> Decoded | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(name), name)
            except UnicodeDecodeError:
                break  # a BOM followed by garbage: let the detector have a go
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if b"\x1b$" in data or b"\x1b(" in data:
        # ISO-2022-JP is pure 7-bit and therefore also "valid UTF-8"; its escapes give it away.
        try:
            return Decoded(data.decode("iso2022_jp"), "iso2022_jp")
        except UnicodeDecodeError:
            pass
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    mixed = mostly_utf8(data)
    if mixed is not None:
        return mixed
    return _charset_normalizer(data)


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read the offending bytes as cp1252 (Latin-1 for its 5 holes)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start : error.end]
    text = "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in chunk
    )
    return text, error.end


codecs.register_error("annotator_cp1252_fallback", _cp1252_fallback)


def mostly_utf8(data: bytes) -> Decoded | None:
    """Files that are UTF-8 apart from a few stray cp1252 bytes (pasted snippets, concatenated
    pages) are common. Real UTF-8 sequences are nearly impossible by accident in single-byte
    encodings, so many valid ones against few invalid bytes means UTF-8 with patches; reading
    it all as cp1252 would turn every "ü" into "Ã¼"."""
    valid = len(_UTF8_MULTIBYTE.findall(data))
    if valid < 3:
        return None
    invalid = data.decode("utf-8", errors="replace").count("\ufffd") - data.count(
        "\ufffd".encode()
    )
    if invalid * _MIN_VALID_PER_INVALID > valid:
        return None
    return Decoded(data.decode("utf-8", errors="annotator_cp1252_fallback"), "utf-8+cp1252")


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 of mostly Latin-script text has a NUL in every other byte; decide LE/BE by which
    half the NULs fall in. Text in other scripts is left to charset-normalizer."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        name = "utf-16-le"
    elif even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        name = "utf-16-be"
    else:
        return None
    try:
        return Decoded(data.decode(name), name)
    except UnicodeDecodeError:
        return None


def _charset_normalizer(data: bytes) -> Decoded | None:
    best = _first_acceptable(from_bytes(data), data)
    if best is None:
        # The default chaos threshold (0.2) rejects some real CJK pages full of markup and
        # half-width katakana. A looser pass limited to multi-byte CJK codecs is still safe: their
        # byte structure rarely decodes by accident, unlike the single-byte tables.
        best = _first_acceptable(
            from_bytes(data, threshold=0.9, cp_isolation=list(_CJK_CODECS)), data
        )
    if best is None:
        return _cp1252_if_plausible(data)
    chosen = best.encoding
    if chosen == "cp932" and _decodes(data, "shift_jis"):
        # cp932 is Microsoft's superset of Shift_JIS; when the plain table suffices, its
        # standard mappings (e.g. 0x817C -> U+2212 MINUS SIGN) are the expected ones.
        chosen = "shift_jis"
    if chosen != "cp1252" and chosen in _LATIN_LOOKALIKES:
        western = from_bytes(data, cp_isolation=["cp1252"]).best()
        if (
            western is not None
            and western.chaos <= best.chaos + _CHAOS_SLACK
            and western.coherence >= best.coherence - _COHERENCE_SLACK
            and _cp1252_if_plausible(data) is not None
        ):
            chosen = "cp1252"
    if chosen != "cp1252" and _thin_evidence(data, chosen, best.coherence):
        western_text = _cp1252_if_plausible(data)
        if western_text is not None:
            return western_text
    try:
        return Decoded(_strip_bom(data.decode(chosen)), chosen)
    except UnicodeDecodeError:
        return Decoded(str(best), best.encoding)


def _first_acceptable(matches: CharsetMatches, data: bytes) -> CharsetMatch | None:
    """The detector's best match among those that can be right for ``data`` at all."""
    has_nul = b"\x00" in data
    for match in matches:
        if match.encoding in _EBCDIC:
            continue  # EBCDIC text files do not reach a desktop research tool
        if match.encoding.startswith(_WIDE_UNICODE) and not has_nul:
            continue  # BOMs were handled before; UTF-16/32 of any script has some NUL bytes
        return match
    return None


def _thin_evidence(data: bytes, chosen: str, coherence: float) -> bool:
    non_ascii = sum(1 for byte in data if byte >= 0x80)
    if non_ascii < _FEW_NON_ASCII:
        return True
    return chosen in _DOUBTFUL_PICKS and coherence < _DOUBTFUL_COHERENCE


def _cp1252_if_plausible(data: bytes) -> Decoded | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None  # one of cp1252's five unassigned bytes: not cp1252
    return Decoded(text, "cp1252") if plausible_western(text) else None


def plausible_western(text: str) -> bool:
    """Whether ``text`` reads like Western European prose rather than other bytes seen through
    cp1252: no control characters, no runs of three non-ASCII characters (a repeated "———"
    rule is fine), no symbol such as "¹" or "¿" inside a word, no capital accented letter glued
    to a lowercase one."""
    if any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text):
        return False
    if any(len(set(run.group())) > 1 for run in _NON_ASCII_RUN.finditer(text)):
        return False
    if _SYMBOL_IN_WORD.search(text):
        return False
    return _CAPITAL_AFTER_LOWER.search(text) is None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    if "\x00" in text:
        return True
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\x1b")
    return controls > _MAX_CONTROL_SHARE * len(text)
