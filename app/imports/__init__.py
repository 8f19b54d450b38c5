"""Reading a conclusion notice ("Thông báo kết luận") into draft tasks: text extraction from .txt/.docx/.pdf, the
agency gazetteer and the clause parser. Pure library: no database, no web."""

from app.imports.deliverables import DELIVERABLE_TYPES
from app.imports.errors import ImportInputError
from app.imports.extract import Budget, extract_text
from app.imports.gazetteer import Gazetteer, KnownAgency, get_gazetteer, load_seed_agencies
from app.imports.parser import DirectiveInfo, Draft, ParsedNotice, Source, parse_notice, suggest_official


def read_notice(filename: str, content: bytes, content_type: str | None,
                agencies: list[KnownAgency]) -> tuple[str, ParsedNotice]:
    """An uploaded notice's text (what the drafts' source offsets point into) and its drafts."""
    text = extract_text(filename, content, content_type)
    return text, parse_notice(text, agencies)


__all__ = ["DELIVERABLE_TYPES", "Budget", "DirectiveInfo", "Draft", "Gazetteer", "ImportInputError",
           "KnownAgency", "ParsedNotice", "Source", "extract_text", "get_gazetteer", "load_seed_agencies",
           "parse_notice", "read_notice", "suggest_official"]
