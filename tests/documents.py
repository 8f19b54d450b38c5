"""What a person reads in a downloaded document."""

import io

from docx import Document


def docx_text(content: bytes) -> str:
    """A DOCX's paragraphs, then its tables' cells, one per line."""
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)
