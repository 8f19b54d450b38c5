"""Where evidence files live: a folder outside the database (ROVIEC_FILES_DIR, app/config.py: `evidence_dir`), each
file under its SHA-256 (`sha256/ab/abcdef…`), so the same file sent twice is kept once. A file is written to a
temporary file in the same folder, checked (size, type from its content), synced, then renamed to its name: a crash
leaves at most a temporary file, never half a file under a name the database refers to. The database row that refers
to it is committed only after the rename."""

import hashlib
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from app import messages
from app.errors import ApiError, FieldProblem, InvalidInput

CHUNK = 1 << 16

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"
# The types kept, and the ending a downloaded file's name gets when it has none of them.
TYPES = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx", PNG: ".png", JPEG: ".jpg"}
ACCEPT = ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"  # the page's file input: what the chooser offers first
_CONTENT_TYPES = "[Content_Types].xml"
_WORD_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_SHEET_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


@dataclass(frozen=True, slots=True)
class Stored:
    sha256: str
    size: int
    media_type: str


def blob_path(directory: Path, sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a SHA-256")
    return directory / "sha256" / sha256[:2] / sha256


def sniff(path: Path, head: bytes) -> str | None:
    """The file's type read from its content, never from its name: a PDF's `%PDF-`, PNG's and JPEG's signatures, and
    for a ZIP the Office part its `[Content_Types].xml` declares (a Word document's `word/document.xml`, a workbook's
    `xl/workbook.xml`). Anything else (a renamed program, a plain ZIP) is None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                info = archive.getinfo(_CONTENT_TYPES) if _CONTENT_TYPES in names else None
                if info is None or info.file_size > 1_000_000:  # a declaration, not a payload
                    return None
                declared = archive.read(info)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError, EOFError):
            return None
        if "word/document.xml" in names and _WORD_MAIN in declared:
            return DOCX
        if "xl/workbook.xml" in names and _SHEET_MAIN in declared:
            return XLSX
    return None


def too_large(field: str, name: str, limit: int) -> ApiError:
    return ApiError.of(413, "evidence_file_too_large", code="payload_too_large",
                       extra={"limit_bytes": limit, "field": field}, name=name, limit=limit,
                       limit_vi=messages.vn_number(limit))


@dataclass(slots=True)
class Staged:
    """A file copied into the folder's temporary area and checked, not yet under its name."""

    temporary: Path
    stored: Stored


def stage(source: BinaryIO, *, directory: Path, max_bytes: int, field: str, name: str) -> Staged:
    """Copies `source` into the folder's temporary area, counting, hashing and checking it. Refused (nothing kept): an
    empty file (422), one over `max_bytes` (413, as soon as it is past it), one whose content is none of the accepted
    types (422), each naming the field and the file."""
    temporary_dir = directory / "tmp"
    temporary_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    head = b""
    handle, temporary = tempfile.mkstemp(dir=temporary_dir, prefix="upload-", suffix=".partial")
    path = Path(temporary)
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := source.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise too_large(field, name, max_bytes)
                if len(head) < 16:
                    head += chunk[:16 - len(head)]
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise InvalidInput([FieldProblem.of(field, "evidence_file_empty", name=name)])
        media_type = sniff(path, head)
        if media_type is None:
            raise InvalidInput([FieldProblem.of(field, "evidence_file_type", type="file_type", name=name)])
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Staged(path, Stored(digest.hexdigest(), size, media_type))


def discard(staged: list[Staged]) -> None:
    for one in staged:
        one.temporary.unlink(missing_ok=True)


def publish(staged: Staged, directory: Path) -> Stored:
    """The staged file under its SHA-256 (renamed, its folder synced); when that name is kept already, the same
    content is there: the copy is dropped."""
    final = blob_path(directory, staged.stored.sha256)
    if final.exists():
        staged.temporary.unlink(missing_ok=True)
    else:
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged.temporary, final)
        _sync_folder(final.parent)
    return staged.stored


def store(source: BinaryIO, *, directory: Path, max_bytes: int, field: str, name: str) -> Stored:
    """One file staged and published."""
    return publish(stage(source, directory=directory, max_bytes=max_bytes, field=field, name=name), directory)


def _sync_folder(folder: Path) -> None:
    """The rename itself made durable: the folder's entry is on disk before the database refers to it."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def kept(directory: Path) -> list[Path]:
    """Every file kept (for backups): their names are their SHA-256."""
    root = directory / "sha256"
    return sorted(p for p in root.glob("??/*") if p.is_file()) if root.is_dir() else []
