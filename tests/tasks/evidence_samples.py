"""Small real files of each kind an evidence upload takes, and some it refuses, each made unique unless asked."""

import io
import os
import struct
import zipfile
import zlib

import openpyxl
from docx import Document


def pdf(tag: bytes | None = None) -> bytes:
    tag = tag if tag is not None else os.urandom(8).hex().encode()
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + tag +
            b"\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def docx(text: str | None = None) -> bytes:
    document = Document()
    document.add_paragraph(text or f"Biên bản nghiệm thu {os.urandom(6).hex()}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Chỉ tiêu", "Số liệu", os.urandom(6).hex()])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    pixel = b"\x00" + os.urandom(3)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(pixel)) + chunk(b"IEND", b""))


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + os.urandom(32) + b"\xff\xd9"


def exe() -> bytes:
    """A Windows program's first bytes: what a renamed .exe starts with."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + os.urandom(64)


def plain_zip() -> bytes:
    """A ZIP that is no Office document (no [Content_Types].xml declaring a Word or Excel part)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
        archive.writestr("readme.txt", os.urandom(8).hex())
    return out.getvalue()
