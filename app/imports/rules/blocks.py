"""The first rule: the text's lines joined into paragraphs, and each paragraph's label ("1.", "a)", "II.", "-").

A line goes on the paragraph before it when that one does not end a sentence and either fills the width of a
hard-wrapped text, leaves a bracket open, ends on a connective, or the line starts in lower case."""

import re

from app.imports.state import Para, ParseState

_PAGE_LINE = re.compile(r"(?:trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?|-\s*\d{1,3}\s*-")
_PAGE_WORD = re.compile(r"(?:trang|page)\s", re.IGNORECASE)
_NUMBERED_DOCUMENT = re.compile(r"\bs[ốố]\s*:?\s*\d+/[A-ZĐ]", re.IGNORECASE)
_DECORATION = re.compile(r"^[\s\-_=*.…~·]+$")
TERMINAL = re.compile(r"(?:[.:;!?]|\./\.)\s*$")
_CONTINUES = re.compile(r"(?:,|-|\b(?:va|voi|cua|cac|ve|tai|cho|de|trong|theo|nhung|la|thuoc|tren|duoi))\s*$")
# Paragraph labels, on the original text.
_LABEL = re.compile(
    r"(?:(?P<roman>[IVX]{1,5})\s*[.\-)/]\s+|(?P<upper>[A-ZĐ])\s*[.)/]\s+|(?P<multi>\d{1,2}(?:\.\d{1,2})+)\.?\s+"
    r"|(?P<num>\d{1,2})\s*\.\s+|(?P<numparen>\d{1,2})\s*\)\s*|\((?P<pnum>\d{1,2})\)\s*|(?P<numslash>\d{1,2})\s*/\s+"
    r"|(?P<lroman>(?:i{1,3}|iv|vi{0,3}|ix))\s*\)\s+|(?P<lower>[a-zđ])\s*\)\s*|(?P<lowerdot>[a-zđ])\.\s+|\((?P<plower>[a-zđ])\)\s*"
    r"|(?P<bullet>[-–—+•*▪◦●∙])\s+"
    # "Một là, …", "Thứ hai, …": items counted in words, as letters and speeches write them.
    r"|(?P<la>(?:Một|Hai|Ba|Bốn|Năm|Sáu|Bảy|Tám|Chín|Mười) là)\s*[,:]\s+"
    r"|(?P<thu>Thứ (?:nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười))\s*[,:]\s+)")
# Lines that start a paragraph of their own whatever the line before them: "Nơi nhận:", the preamble's "Ngày ...".
NOI_NHAN = re.compile(r"\s*noi nhan\b")
PREAMBLE_START = re.compile(r"(?:ngay\s+\d|sang|chieu|toi|vua qua|trong (?:hai )?ngay|tai tru so|ngay \d)")


def read(state: ParseState) -> None:
    """Rule: state.paras; inside a paragraph a line break becomes a space, so "chủ\\ntrì" is "chủ trì" to every
    pattern (offsets unchanged)."""
    state.paras = paragraphs(state)
    chars = list(state.s)
    for p in state.paras:
        # In a table row a break is a cell's second paragraph: in a cell of agencies, the next name.
        brk = ";" if is_row(state.s[p.start:p.end]) else " "
        for i in range(p.start, p.end):
            if chars[i] == "\n":
                chars[i] = brk if chars[i - 1] not in ".;,:" else " "
    state.s = state.folded.s = "".join(chars)


def is_row(text: str) -> bool:
    return text.count("|") >= 2 or text.count("\t") >= 2


def _hard_wrap_width(lines: list[str]) -> tuple[int, bool]:
    """The width of a full line, and whether the text is hard-wrapped: such a text has many lines of nearly the same,
    modest width; a text with one paragraph a line (as copied out of Word) has no such width, and its short lines (a
    title) must not run into the next."""
    widths = sorted(len(line.strip()) for line in lines if line.strip())
    full = widths[int(len(widths) * 0.9)] if widths else 0
    wrapped = 40 <= full <= 120 and sum(w >= 0.7 * full for w in widths) >= 0.3 * len(widths)
    return full, wrapped


def _running_headers(lines: list[str]) -> set[int]:
    """The lines (by number) a PDF repeats at the top or foot of each page: the same short line two times or more,
    in capitals or naming a document's number, with no label of a clause."""
    seen: dict[str, list[int]] = {}
    for k, line in enumerate(lines):
        stripped = line.strip()
        if 10 <= len(stripped) <= 120:
            seen.setdefault(stripped, []).append(k)
    return {k for line, at in seen.items()
            if len(at) >= 2 and not _LABEL.match(line) and (shouted(line) or _NUMBERED_DOCUMENT.search(line))
            and not TERMINAL.search(line) for k in at}


def _blank_furniture(state: ParseState, a: int, b: int) -> str:
    """"Trang 2/4" or "3" on a line of its own in a text copied from a PDF, and the header repeated at the top of each
    page ("UBND THÀNH PHỐ CẦN THƠ – Chỉ thị số 19/CT-UBND"): the page's furniture, which a paragraph runs across;
    blanked out of the folded text (so that "2/4" is no date) and left out of what is quoted from it."""
    s = state.s
    state.folded.s = state.s = s[:a] + " " * (b - a) + s[b:]
    state.furniture.append((state.orig(a) - 1 if a else 0, state.orig_end(b)))  # the line and its break
    return state.s


def paragraphs(state: ParseState) -> list[Para]:
    s = state.s
    paras: list[Para] = []
    blank = True
    pos = 0
    prev_open = False
    lines = s.split("\n")
    full, wrapped = _hard_wrap_width(lines)
    running = _running_headers(state.text.split("\n"))
    prev_len = 0
    header_tabs = 0  # the tabs of the last table header row ("STT<TAB>Nhiệm vụ<TAB>Cơ quan chủ trì<TAB>...")
    in_table = False
    in_rows: set[int] = set()  # starts of the paragraphs begun inside a table
    for k, line in enumerate(lines):
        a, b = pos, pos + len(line)
        pos = b + 1
        stripped = line.strip()
        if not stripped or _DECORATION.match(stripped):
            blank = True
            prev_open = False
            continue
        if paras and ((_PAGE_LINE.fullmatch(stripped) and (wrapped or _PAGE_WORD.match(stripped)))
                      or k in running):
            s = _blank_furniture(state, a, b)
            continue
        row = is_row(line)
        if row and _cells(line) >= 2 and LEAD_COLUMN.search(s, a, b):
            header_tabs = _cells(line)
            in_table = True
        elif header_tabs and (NOI_NHAN.match(s, a) or _SECTION.match(line)):
            in_table = False
        if header_tabs and paras and not blank and _row_goes_on(state, paras[-1], line, a, lines[k + 1:k + 2],
                                                                header_tabs, paras[-1].start in in_rows):
            paras[-1].end = a + len(line.rstrip(" \r"))
            prev_open = False
            continue
        # A line of a table's cells keeps its tabs: "\t\t\tBộ Công an\t" is a cell of the row above that wrapped.
        edge = " " if row and line.startswith("\t") else None
        lead_ws = len(line) - len(line.lstrip(edge))
        b = a + len(line.rstrip(" \r" if row else None))  # a row's empty last cells are cells
        a += lead_ws
        lower_start = state.text[state.orig(a):state.orig(a) + 1].islower()
        if paras and not blank and lower_start and s[paras[-1].end - 1:paras[-1].end] == ";":
            prev_open = True  # "...; hoàn thành trong năm 2023" broken after the semicolon
        if (prev_open and paras and not blank and not label_at(state, a)[0] and not row
                and not (header_tabs and _ROW_OPENS.match(line)) and not is_row(s[paras[-1].start:paras[-1].end])
                and not NOI_NHAN.match(s, a) and not (PREAMBLE_START.match(s, a) and not lower_start)
                and (state.text[state.orig(a):state.orig(a) + 1].islower()
                     or _CONTINUES.search(s, paras[-1].start, paras[-1].end)
                     or s.count("(", paras[-1].start, paras[-1].end) > s.count(")", paras[-1].start, paras[-1].end)
                     or (wrapped and prev_len >= 0.7 * full and len(paras) > 3))):
            paras[-1].end = b
        else:
            paras.append(Para(a, b, blank))
            if in_table and not label_at(state, a)[0]:
                in_rows.add(a)  # a line inside a table: a row, or the first of the lines a row runs over
        prev_open = not TERMINAL.search(s[paras[-1].start:b])
        prev_len = len(stripped)
        blank = False
    return paras


# A table's lead column, by the words of its header cell: "Cơ quan chủ trì", "Chủ đầu tư" (a list of works),
# "Đơn vị thực hiện".
LEAD_COLUMN = re.compile(r"\b(?:chu tri|chu dau tu|(?:don vi|co quan) (?:thuc hien|duoc giao|chiu trach nhiem))\b")
_SECTION = re.compile(r"\s*(?:[IVX]{1,5}\s*[.\-)/]\s|ghi chu\b)")
_ROW_OPENS = re.compile(r"\s*(?:\d+|[IVX]+)\.?(?:\t|\s*\|)")


def _cells(line: str) -> int:
    """The cell separators of a table's line: Word's tabs, or a web page's " | "."""
    return line.count("\t") + line.count("|")


def _row_goes_on(state: ParseState, prev: Para, line: str, a: int, after: list[str], header_tabs: int,
                 prev_in_table: bool) -> bool:
    """Whether the line at `a`, which bears no label, carries on the table row above it (`_cell_goes_on`)."""
    text_at = a + len(line) - len(line.lstrip())
    return not label_at(state, text_at)[0] and _cell_goes_on(state.s, prev, line, after, header_tabs, prev_in_table,
                                                             _goes_on_in_words(state, text_at))


def _goes_on_in_words(state: ParseState, a: int) -> bool:
    """Whether a line begins as the rest of a sentence does: in lower case or with a bracket (on the text as written;
    the folded one is all lower case)."""
    first = state.text[state.orig(a):state.orig(a) + 1]
    return first == "(" or first.islower()


def _cell_goes_on(s: str, prev: Para, line: str, after: list[str], header_tabs: int, prev_in_table: bool,
                  goes_on_in_words: bool) -> bool:
    """Whether a line of a tab-separated table carries on the row above it, as Word pastes a cell holding several
    paragraphs: the row so far ("4<TAB>Phát triển mạng 5G.", or a first cell alone, "Tổ chức khám sức khỏe …") has
    fewer cells than the header and this line, which opens no row, brings more of them ("Ưu tiên …<TAB>Báo
    cáo<TAB>Năm 2027<TAB>Bộ X", or only the next name of a cell, "Bộ Tài chính"); or a full row's last cell goes on
    alone on a line ("(hoàn thành trước 31/5/2027)", "và đột xuất …", a short "Bộ Tài chính" the next row follows)."""
    row = s[prev.start:prev.end]
    if _ROW_OPENS.match(line) or line.startswith("\t") or not (_ROW_OPENS.match(row) or prev_in_table):
        return False
    have, more = _cells(row), _cells(line)
    if have < header_tabs:
        return have + more <= header_tabs and (more > 0 or have > 0 or not TERMINAL.search(row.strip()))
    if have != header_tabs or more:
        return False
    if goes_on_in_words:
        return True
    return (len(line.split()) <= 12 and not line.rstrip().endswith(":") and bool(after)
            and (bool(_ROW_OPENS.match(after[0])) or after[0].startswith("\t")))


def label_at(state: ParseState, a: int) -> tuple[str | None, str | None, int]:
    """The kind of the label at folded offset `a` ("num", "lower", "bullet-", "multi2", ...), the label, and where the
    paragraph's text begins after it; (None, None, a) when there is none."""
    m = _LABEL.match(state.text, state.orig(a))
    if not m:
        return None, None, a
    kind = m.lastgroup
    label = m.group(kind)
    end = state.folded.index_of(m.end())
    if kind == "bullet":
        kind = "bullet" + {"–": "-", "—": "-"}.get(label, label)
    if kind == "multi":
        kind = f"multi{label.count('.')}"
    if kind == "lowerdot":
        kind = "lower."
    return kind, label, end


def without_label(text: str) -> str:
    """A paragraph's text as written, its label ("1.", "a)", "II.", "-") left out."""
    text = text.strip()
    m = _LABEL.match(text)
    return text[m.end():] if m else text


def after_label(state: ParseState, a: int) -> int:
    kind, _, body = label_at(state, a)
    return body if kind else a


def shouted(text: str) -> bool:
    """A heading in capitals ("TỔ CHỨC THỰC HIỆN")."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
