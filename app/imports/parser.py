"""Draft a meeting's tasks from its conclusion notice ("Thông báo kết luận"). Pure: text and agency list in, drafts out.

The notice is read as its authors write it: a header (issuer, "Số:", place and date, "THÔNG BÁO", the title), a
preamble that ends "... kết luận như sau:", numbered sections, the closing "... biết, thực hiện./.", "Nơi nhận:" and the
signature, sometimes an appendix table. Sections that review results are skipped; in the others each assignment
("Giao Bộ X chủ trì, phối hợp với Bộ Y ...", "Đề nghị ...", "(Bộ X chủ trì; thời hạn: ...)", a heading "Bộ X:" over a
list of items, a table row) becomes one draft per lead agency. Nothing the text does not say is filled in: guesses go
to `flags` and `suggested_*` for the person who reviews the drafts.

The reading is a chain of rules over one `ParseState` (app/imports/state.py), run in the order of `RULES` as
markdown-it-py's core ruler runs its own; each rule is a module of app/imports/rules/."""

import re
import unicodedata
from collections.abc import Callable

from app.imports.errors import ImportInputError
from app.imports.gazetteer import KnownAgency
from app.imports.rules import agencies, blocks, header, sections, segments, tables
from app.imports.rules.agencies import suggest_official
from app.imports.state import DirectiveInfo, Draft, ParsedNotice, ParseState, Source


def number_drafts(state: ParseState) -> None:
    """Rule: the drafts numbered 1, 2, ... in the order of the text; a text that drafts nothing is refused."""
    if not state.drafts:
        if state.info.number is None:
            raise header.not_a_notice()
        raise ImportInputError("no_assignment", "no_assignment")
    for i, draft in enumerate(state.drafts, 1):
        draft.n = i


Rule = Callable[[ParseState], None]
RULES: list[Rule] = [blocks.read, agencies.scan, header.read, agencies.home_province, sections.bound,
                     sections.read_body, sections.read_appendix, tables.overdue_rows, number_drafts, segments.read]


def parse_notice(text: str, agencies: list[KnownAgency]) -> ParsedNotice:
    """Drafts of the tasks a conclusion notice assigns, with the notice's header. Raises ImportInputError for an empty
    text, a text that is not a notice, or a notice that assigns nothing."""
    if text is None or not text.strip():
        raise ImportInputError("empty", "text_empty")
    if unicodedata.is_normalized("NFC", text):
        return _run(text, agencies)
    # Decomposed input (tones as combining marks) is read precomposed; its sources still point into `text`.
    nfc, back = _nfc_with_offsets(text)
    parsed = _run(nfc, agencies)
    for draft in parsed.drafts:
        start, end = back[draft.source.start], back[draft.source.end]
        draft.source = Source(start, end, text[start:end])
    for segment in parsed.segments:
        segment.start, segment.end = back[segment.start], back[segment.end]
        segment.text = text[segment.start:segment.end]
    return parsed


def _run(text: str, known: list[KnownAgency]) -> ParsedNotice:
    state = ParseState(text, known)
    for rule in RULES:
        rule(state)
    return state.result()


_CLUSTER = re.compile(r".[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*", re.DOTALL)


def _nfc_with_offsets(text: str) -> tuple[str, list[int]]:
    """NFC of `text`, and for each NFC offset (and its end) the offset in `text` where its character began."""
    out: list[str] = []
    back: list[int] = []
    for m in _CLUSTER.finditer(text):
        composed = unicodedata.normalize("NFC", m.group())
        out.append(composed)
        back += [m.start()] * len(composed)
    back.append(len(text))
    return "".join(out), back


__all__ = ["RULES", "DirectiveInfo", "Draft", "ParsedNotice", "Source", "parse_notice", "suggest_official"]
