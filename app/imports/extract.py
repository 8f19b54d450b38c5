"""The text of an uploaded notice: .txt (UTF-8, UTF-8 with BOM, UTF-16, Windows-1258), .docx (python-docx) and .pdf
with a text layer (pypdf). Every refusal is an ImportInputError with its reason in English and in Vietnamese.

The text returned is what the parser's source offsets point into, so the caller should keep it with the import.

A hostile file can make a library work for minutes or take gigabytes: the work is bounded here by a `Budget`
(pages, paragraphs and table cells, XML elements, characters of text), refused as "too complex" as soon as it is
spent; time and memory are bounded by the process it runs in (app/imports/sandbox.py)."""

import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from app import messages
from app.config import Settings, get_settings
from app.imports.errors import ImportInputError

# A notice's DOCX is a few hundred kilobytes unpacked; these bounds refuse a zip bomb from its directory alone.
MAX_DOCX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_DOCX_RATIO = 100
MAX_DOCX_MEMBERS = 2000


@dataclass(frozen=True)
class Budget:
    """How much one file may make the reader do (the ROVIEC_IMPORT_* settings)."""

    upload_bytes: int
    pages: int
    docx_blocks: int
    docx_elements: int
    chars: int

    @classmethod
    def of(cls, settings: Settings) -> "Budget":
        return cls(upload_bytes=settings.import_max_bytes, pages=settings.import_max_pages,
                   docx_blocks=settings.import_max_docx_blocks, docx_elements=settings.import_max_docx_elements,
                   chars=settings.import_max_chars)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _error(code: str, reason: str, status: int = 422, **values) -> ImportInputError:
    return ImportInputError(code, reason, http_status=status, **values)


def _empty() -> ImportInputError:
    return _error("empty", "file_empty")


def _corrupted(kind: str) -> ImportInputError:
    return _error("corrupted", "file_corrupted", kind=kind)


def _unsupported(what: str, what_vi: str) -> ImportInputError:
    return _error("unsupported_type", "file_unsupported", what_en=what, what_vi=what_vi)


def too_complex(reason: str, limit: int | float | None = None) -> ImportInputError:
    """A file whose reading went past one of its limits (messages.TOO_COMPLEX names them)."""
    return _error("too_complex", "file_too_complex", **messages.too_complex(reason, limit))


class _Chars:
    """Characters of text read so far, against the budget: counted as they come, so a file that would make
    gigabytes of text is stopped at the first characters over."""

    def __init__(self, limit: int) -> None:
        self.limit, self.count = limit, 0

    def add(self, text: str) -> str:
        self.count += len(text)
        if self.count > self.limit:
            raise too_complex("chars", self.limit)
        return text


def _kind(filename: str, content: bytes, content_type: str | None) -> str:
    """What the bytes are, by their signature first (a renamed file is read as what it is), then by name and type."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"PK\x03\x04") or content.startswith(b"PK\x05\x06"):
        return "docx"
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if content.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        return "image"
    name = (filename or "").lower()
    ctype = (content_type or "").split(";")[0].strip().lower()
    if name.endswith(".pdf") or ctype == "application/pdf":
        return "pdf"
    if name.endswith(".docx") or ctype == DOCX_TYPE:
        return "docx"
    if name.endswith(".doc") or ctype == "application/msword":
        return "doc"
    return "txt"


def extract_text(filename: str, content: bytes, content_type: str | None, budget: Budget | None = None) -> str:
    """The notice's text, NFC-normalised, lines separated by "\\n". `budget`: the settings' by default."""
    budget = budget or Budget.of(get_settings())
    if content is None or len(content) == 0:
        raise _empty()
    if len(content) > budget.upload_bytes:
        raise _error("too_large", "file_too_large", 413, megabytes=messages.vn_number(budget.upload_bytes // 1_000_000))
    kind = _kind(filename, content, content_type)
    if kind == "doc":
        raise _unsupported("A Word 97-2003 document (.doc)", "Tệp Word 97-2003 (.doc)")
    if kind == "image":
        raise _unsupported("An image (a photo or scan of the notice)", "Tệp ảnh (ảnh chụp hoặc bản quét)")
    chars = _Chars(budget.chars)
    if kind == "pdf":
        text = _pdf_text(content, budget, chars)
    elif kind == "docx":
        text = _docx_text(content, budget, chars)
    else:
        text = chars.add(_plain_text(content))
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = text.replace("\ufeff", "").replace("\u00ad", "")
    if len(text) > budget.chars:  # NFC of a decomposed text can be longer than what was counted
        raise too_complex("chars", budget.chars)
    if not text.strip():
        raise _empty()
    return text


# ---- plain text ----

def _plain_text(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return _decode(content[3:], "utf-8")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(content, "utf-16")
    nuls = content.count(b"\x00")
    if nuls > len(content) // 4:
        # UTF-16 without a byte-order mark: the NULs of ASCII characters sit on one side.
        even, odd = content[0::2].count(0), content[1::2].count(0)
        return _decode(content, "utf-16-le" if odd > even else "utf-16-be")
    if nuls:
        raise _unsupported("A binary file", "Tệp nhị phân")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        # Old Vietnamese Windows text is Windows-1258 (it writes tones as combining marks; NFC joins them later).
        try:
            text = content.decode("cp1258")
        except UnicodeDecodeError as exc:
            raise _error("unreadable_encoding", "encoding_unknown") from exc
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    if controls > max(3, len(text) // 100):
        raise _unsupported("A binary file", "Tệp nhị phân")
    return text


def _decode(content: bytes, encoding: str) -> str:
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _error("unreadable_encoding", "encoding_invalid", encoding=encoding) from exc


# ---- DOCX ----

def _check_zip(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _corrupted("DOCX") from exc
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    too_packed = any(i.file_size > 1024 * 1024 and i.file_size > MAX_DOCX_RATIO * max(i.compress_size, 1)
                     for i in infos)
    if len(infos) > MAX_DOCX_MEMBERS or total > MAX_DOCX_UNCOMPRESSED_BYTES or too_packed \
            or total > MAX_DOCX_RATIO * max(packed, 1) and total > 1024 * 1024:
        raise _error("zip_bomb", "zip_bomb", megabytes=total // (1024 * 1024), kilobytes=packed // 1024)
    if "word/document.xml" not in {i.filename for i in infos}:
        raise _unsupported("This ZIP file (not a Word document)", "Tệp ZIP này (không phải văn bản Word)")


_BLOCKS = frozenset({f"{_W}p", f"{_W}tc"})


def _check_docx_work(content: bytes, budget: Budget) -> None:
    """Counts the XML elements of every part python-docx would load, and the paragraphs and table cells, streaming
    (nothing kept), before python-docx builds its tree: a DOCX under the zip-bomb bounds can still hold millions of
    paragraphs, which python-docx reads in time that grows with their square, and in hundreds of megabytes."""
    from lxml import etree

    elements = blocks = 0
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for info in archive.infolist():
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                stream = archive.open(info)
            except (zipfile.BadZipFile, RuntimeError, ValueError, OSError) as exc:  # RuntimeError: encrypted
                raise _corrupted("DOCX") from exc
            with stream:
                parts = etree.iterparse(stream, events=("end",), resolve_entities=False, no_network=True,
                                        load_dtd=False, huge_tree=False)
                try:
                    for _, element in parts:
                        elements += 1
                        if element.tag in _BLOCKS:
                            blocks += 1
                            if blocks > budget.docx_blocks:
                                raise too_complex("blocks", budget.docx_blocks)
                        if elements > budget.docx_elements:
                            raise too_complex("elements", budget.docx_elements)
                        element.clear()
                        while element.getprevious() is not None:
                            del element.getparent()[0]
                except etree.XMLSyntaxError:
                    continue  # a broken part is python-docx's to refuse (or to leave unread, if nothing uses it)
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
                    raise _corrupted("DOCX") from exc


# Kept whole: its three closures share the document's numbering and the lines written so far, and McCabe counts their
# branches into this function's; apart they would pass both around for nothing.
def _docx_text(content: bytes, budget: Budget, chars: _Chars) -> str:
    _check_zip(content)
    _check_docx_work(content, budget)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(content))
        numbering = _Numbering(document)
        lines: list[str] = []

        def emit_paragraph(paragraph: Paragraph) -> None:
            text = paragraph.text.strip()
            if not text:
                return
            label = numbering.label(paragraph)
            lines.append(chars.add(f"{label} {text}" if label else text))

        def cell_text(cell) -> str:
            parts = []
            for block in cell.iter_inner_content():
                if isinstance(block, Paragraph):
                    text = block.text.strip()
                    if text:
                        label = numbering.label(block)
                        parts.append(f"{label} {text}" if label else text)
                else:
                    parts += [" ".join(cell_text(c) for c in _row_cells(row)) for row in block.rows]
            return re.sub(r"\s+", " ", " ".join(parts)).strip()

        def emit_table(table: Table) -> None:
            rows = [_row_cells(row) for row in table.rows]
            head = " ".join(cell_text(c) for row in rows[:2] for c in row).lower()
            if "chủ trì" in head and ("nội dung" in head or "nhiệm vụ" in head):
                # A table of tasks: one line a row, cells kept apart so the parser reads its columns.
                for row in rows:
                    cells = [cell_text(c).replace("|", "/") for c in row]
                    if any(cells):
                        lines.append(chars.add(" | ".join(cells)))
                return
            # A layout table (the header's two columns, the signature block): its paragraphs in reading order.
            for row in rows:
                for cell in row:
                    for block in cell.iter_inner_content():
                        if isinstance(block, Paragraph):
                            emit_paragraph(block)
                        else:
                            emit_table(block)

        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                emit_paragraph(block)
            else:
                emit_table(block)
        return "\n".join(lines)
    except (ImportInputError, MemoryError):
        raise
    except Exception as exc:  # python-docx raises many kinds (KeyError, lxml errors, ValueError) on a bad file
        if "memory allocation failed" in str(exc).lower():  # lxml's word for a MemoryError
            raise MemoryError(str(exc)) from exc
        raise _corrupted("DOCX") from exc


def _row_cells(row) -> list:
    """The row's cells, a merged cell once (python-docx repeats a cell for each grid column it spans)."""
    out, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) in seen:  # noqa: SLF001 - the XML element is the cell's identity
            continue
        seen.add(id(cell._tc))  # noqa: SLF001
        out.append(cell)
    return out


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += letters
            n -= value
    return out


def _letters(n: int) -> str:
    # Word's letter numbering: a..z, then aa..zz.
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


class _Numbering:
    """The labels Word draws for numbered paragraphs ("a)", "1.", "II."), which are not in paragraph.text: the
    parser needs them to see where one item ends and the next begins."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        self.by_style: dict[str | None, tuple[str | None, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        if root is None:
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for a in root.findall(f"{_W}abstractNum"):
            levels = {}
            for lvl in a.findall(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    text.get(f"{_W}val") if text is not None else "%1.",
                    int(start.get(f"{_W}val")) if start is not None else 1)
            abstract[a.get(f"{_W}abstractNumId")] = levels
        for num in root.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                self.levels[num.get(f"{_W}numId")] = dict(abstract.get(ref.get(f"{_W}val"), {}))

    def label(self, paragraph) -> str | None:
        num_id, ilvl = self._num_pr(paragraph)
        if num_id is None or num_id == "0" or num_id not in self.levels:
            return None
        levels = self.levels[num_id]
        counters = self.counters.setdefault(num_id, [0] * 9)
        ilvl = min(max(ilvl, 0), 8)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        fmt, text, _ = levels.get(ilvl, ("decimal", f"%{ilvl + 1}.", 1))
        if fmt == "bullet":
            return "-" if not text or ord(text[0]) > 0x2000 or text in ("o", "§") else text
        if fmt == "none":
            return None

        def render(level: int) -> str:
            lfmt, _, start = levels.get(level, ("decimal", "", 1))
            n = counters[level] + start - 1 if counters[level] else start
            if lfmt in ("lowerLetter",):
                return _letters(n)
            if lfmt == "upperLetter":
                return _letters(n).upper()
            if lfmt == "lowerRoman":
                return _roman(n)
            if lfmt == "upperRoman":
                return _roman(n).upper()
            if lfmt == "decimalZero":
                return f"{n:02d}"
            return str(n)

        return re.sub(r"%([1-9])", lambda m: render(int(m.group(1)) - 1), text).strip() or None

    def _num_pr(self, paragraph) -> tuple[str | None, int]:
        p_pr = paragraph._p.pPr  # noqa: SLF001 - python-docx has no public numbering API
        num_pr = p_pr.numPr if p_pr is not None else None
        if num_pr is not None:
            return self._list_level(num_pr)
        # Looking a style up scans every style of the document (python-docx): once per style, not per paragraph,
        # or a long document takes minutes.
        style_id = p_pr.style if p_pr is not None else None
        if style_id not in self.by_style:
            style = paragraph.style
            while num_pr is None and style is not None:
                s_pr = style.element.pPr
                num_pr = s_pr.numPr if s_pr is not None else None
                style = style.base_style
            self.by_style[style_id] = self._list_level(num_pr)
        return self.by_style[style_id]

    @staticmethod
    def _list_level(num_pr) -> tuple[str | None, int]:
        if num_pr is None or num_pr.numId is None:
            return None, 0
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        return str(num_pr.numId.val), int(ilvl)


# ---- PDF ----

_TERMINAL = re.compile(r"(?:[.:;!?]|\./\.)[\"”)]?$")
_LABEL_START = re.compile(r"(?:[IVX]{1,5}\s*[.\-)]|[A-ZĐ][.)]|\d{1,2}(?:\.\d{1,2})*[.)]|\(\d{1,2}\)|[a-zđ]\)"
                          r"|\([a-zđ]\)|[-–—+•*▪◦●])\s")
# Lines that start a block of their own even after a line that fills the width: the preamble's date, "Nơi nhận".
_NEW_BLOCK = re.compile(r"(?:Ngày \d|Sáng|Chiều|Tối|Nơi nhận|THÔNG BÁO|Số:|Hà Nội, ngày)")
_PAGE_NUMBER = re.compile(r"[-–]?\s*(?:trang\s+)?\d{1,3}\s*(?:/\s*\d{1,3})?\s*[-–]?", re.IGNORECASE)


def _pdf_text(content: bytes, budget: Budget, chars: _Chars) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import LimitReachedError, PdfReadError

        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _error("encrypted_pdf", "pdf_encrypted")
        pages = reader.pages
        if len(pages) > budget.pages:
            raise too_complex("pages", budget.pages)
        texts = [chars.add(page.extract_text() or "") for page in pages]
    except (ImportInputError, MemoryError):
        raise
    except LimitReachedError as exc:  # pypdf's own bounds (a stream of 75 MB unpacked, a loop of references)
        raise too_complex("reader_limit") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError) as exc:
        raise _corrupted("PDF") from exc
    except Exception as exc:  # pypdf raises other kinds on malformed streams
        raise _corrupted("PDF") from exc
    raw = unicodedata.normalize("NFC", "\n".join(texts))
    if len(re.sub(r"\s", "", raw)) < 20:
        raise _error("scanned_pdf", "pdf_scanned")
    return reflow(raw)


def reflow(text: str) -> str:
    """Joins the lines a PDF breaks a paragraph into. A line that fills the width and does not end a sentence goes
    on; a short line ends its paragraph; a line starting in lower case continues the one before it."""
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    widths = sorted(len(line) for line in lines if line)
    full = widths[int(len(widths) * 0.9)] if widths else 0
    out: list[str] = []
    for line in lines:
        if not line:
            if out and out[-1]:
                out.append("")
            continue
        if _PAGE_NUMBER.fullmatch(line):
            continue
        if line[:1].islower() and len(out) >= 2 and not out[-1] and out[-2] and not _TERMINAL.search(out[-2]):
            out.pop()  # a paragraph broken by a page break goes on
        prev = out[-1] if out else ""
        open_end = not _TERMINAL.search(prev) or (prev.endswith(";") and line[:1].islower())
        if prev and open_end and not _LABEL_START.match(line) and not _NEW_BLOCK.match(line) \
                and (line[:1].islower() or len(prev) >= 0.75 * full or prev.endswith((",", "và", "với", "của"))):
            if prev.endswith("-") and prev[-2:-1].isalpha() and line[:1].islower():
                out[-1] = prev[:-1] + line
            else:
                out[-1] = prev + " " + line
        else:
            out.append(line)
    return "\n".join(out).strip("\n")
