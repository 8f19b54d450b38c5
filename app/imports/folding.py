"""Accent-insensitive views of a text that keep their way back to the original characters.

The parser matches folded text ('Bộ Tài chính' -> 'bo tai chinh') but must report offsets into the text it was given,
so every folded character remembers the index of the character it came from. The marks go as `app.text.without_marks`
takes them off (the one accent fold); dashes, odd spaces and curly quotes read as their plain forms besides."""

import bisect
import re
from functools import lru_cache

from app.text import without_marks

# Dashes and odd spaces read as their plain forms, so 'Bà Rịa – Vũng Tàu' and 'Bà Rịa - Vũng Tàu' match alike.
_SPECIAL = {"đ": "d", "Đ": "d", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2013": "-", "\u2014": "-",
            "\u2012": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u201c": '"', "\u201d": '"', "\u2018": "'",
            "\u2019": "'"}


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """At most one character: the lower-case letter without its marks; '' for a lone combining mark."""
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    return without_marks(ch.lower())[:1]


_TABLE = {cp: fold_char(chr(cp)) for cp in [*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00),
                                             *(ord(c) for c in _SPECIAL)]}
_TABLE = {cp: v for cp, v in _TABLE.items() if len(v) == 1 and v != chr(cp)}
_COMBINING = re.compile("[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


class Folded:
    """`s` is the folded text; `orig(i)` is the index in the original text of folded character i (i may be len(s))."""

    __slots__ = ("text", "s", "_pos")

    def __init__(self, text: str) -> None:
        self.text = text
        fast = text.translate(_TABLE)
        # Precomposed (NFC) text folds one character to one, so offsets are the identity; only decomposed input
        # (combining marks) needs the slow path with a position map.
        if not _COMBINING.search(fast):
            self.s = fast
            self._pos = None
            return
        out: list[str] = []
        pos: list[int] = []
        for i, ch in enumerate(text):
            f = fold_char(ch)
            if f:
                out.append(f)
                pos.append(i)
        pos.append(len(text))
        self.s = "".join(out)
        self._pos = pos

    def orig(self, i: int) -> int:
        return i if self._pos is None else self._pos[i]

    def orig_end(self, i: int) -> int:
        """Original end offset for a folded end offset i (exclusive)."""
        if self._pos is None or i == 0:
            return i
        return self._pos[i - 1] + 1

    def index_of(self, orig_offset: int) -> int:
        """The folded index of the first folded character at or after an original offset."""
        if self._pos is None:
            return orig_offset
        return bisect.bisect_left(self._pos, orig_offset)

    def original(self, a: int, b: int) -> str:
        return self.text[self.orig(a):self.orig_end(b)]

