import re
import unicodedata

_SPACES = re.compile(r"\s+")


def without_marks(text: str) -> str:
    """The one accent fold: the letters without their marks, case kept: 'Đà Nẵng' -> 'Da Nang'. `fold` compares
    with it, `app.imports.folding.Folded` keeps offsets through it, a report measures a line's width with it."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced: 'Bộ Tài chính' -> 'bo tai chinh'."""
    return _SPACES.sub(" ", without_marks(text)).strip().lower()


# Letters that show as nothing: the Braille blank and the Hangul fillers (format and control characters, such as the
# zero-width space, are caught by their category).
_FILLERS = frozenset("\u2800\u3164\u115f\u1160\uffa0")


def shown(text: str) -> str:
    """What a reader sees of a text: without control and invisible characters, trimmed. A title of 20 zero-width
    spaces is blank."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" and ch not in _FILLERS).strip()


def vagueness(text: str, minimum: int) -> str | None:
    """Why a text is too vague to stand for what it names (a key of messages.VAGUE), or None: only punctuation or one
    character repeated ("....", "xxxxxxxx", "- - -"), or shorter than `minimum` characters as a reader sees it."""
    letters = [ch for ch in shown(text).lower() if ch.isalnum()]
    if len(set(letters)) <= 1:
        return "meaningless"
    if len(shown(text)) < minimum:
        return "too_short"
    return None
