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


# Vietnamese alphabetical order (the order of dictionaries and of the Government's lists), for sorting names: ICU
# knows it, but PyICU has no wheels to install from PyPI, so the few rules are here. Letters: a ă â b c d đ e ê g h i
# k l m n o ô ơ p q r s t u ư v x y (f j w z, from foreign names, where Latin puts them); the tone marks come second,
# in the order ngang, huyền, hỏi, ngã, sắc, nặng; case last (lower before upper). Spaces and punctuation come before
# digits, digits before letters.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_WEIGHT = {letter: 1000 + i for i, letter in enumerate(_ALPHABET)}
_SHAPED = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô",
           ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def collation_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """A sort key in Vietnamese alphabetical order: 'Bộ Công an' < 'Bộ Công Thương' < 'Đài Truyền hình Việt Nam' <
    'Ủy ban Dân tộc' < 'Văn phòng Chính phủ'. Compared as ICU does, level by level: the letters, then the tones, then
    the case."""
    letters: list[int] = []
    tones: list[int] = []
    cases: list[int] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            if not letters:
                continue
            if ch in _TONES:
                tones[-1] = _TONES[ch]
                continue
            base = _ALPHABET[letters[-1] - 1000] if letters[-1] >= 1000 else ""
            shaped = _SHAPED.get((base, ch))
            if shaped:
                letters[-1] = _LETTER_WEIGHT[shaped]
            continue
        lower = ch.lower()
        if lower in _LETTER_WEIGHT:
            letters.append(_LETTER_WEIGHT[lower])
        elif ch.isdigit():
            letters.append(500 + (unicodedata.digit(ch, 0)))
        else:
            letters.append(min(ord(ch), 499))  # spaces and punctuation, before digits and letters
        tones.append(0)
        cases.append(0 if ch == lower else 1)
    return tuple(letters), tuple(tones), tuple(cases)
