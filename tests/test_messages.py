"""One catalogue of the texts people read (app/messages.py): every refusal the code raises is worded there, in
English and Vietnamese, and nothing else writes one."""

import re
from pathlib import Path

from app import messages
from app.access.policy import Action

APP = Path(__file__).resolve().parent.parent / "app"
SOURCES = {path: path.read_text() for path in APP.rglob("*.py")}
TEMPLATES = {path: path.read_text() for path in (APP / "web" / "templates").glob("*.html")}

# The ways code names a refusal by its key.
USES = (
    r"FieldProblem\.of\(\s*[^,]+?,\s*\"(\w+)\"",
    r"ApiError\.of\(\s*\d+,\s*\"(\w+)\"",
    r"DeadlineFormatError\.of\(\s*\"(\w+)\"",
    r"UnsafeUrl\(\s*\"(\w+)\"",
    r"ImportInputError\(\s*\"\w+\",\s*\"(\w+)\"",
    r"_error\(\s*\"\w+\",\s*\"(\w+)\"",
    r"messages\.refusal\(\s*\"(\w+)\"",
    r"unauthorized\(\"(\w+)\"\)",
    r"\binvalid\(\"(\w+)\"",
    r"\(\"(\w+)\",\s*\{\"(?:today|current|issued_on)\"",  # a deadline's "too early" refusal, raised by rules.py
)


def used_keys() -> set[str]:
    return {key for source in SOURCES.values() for pattern in USES for key in re.findall(pattern, source)}


def test_every_refusal_the_code_raises_is_in_the_catalogue_and_every_entry_is_raised():
    used = used_keys()
    assert used - set(messages.REFUSALS) == set()
    assert set(messages.REFUSALS) - used == set(), "worded but never raised: delete, or raise it"


def test_no_refusal_is_written_outside_the_catalogue():
    call = re.compile(r"\b(?:FieldProblem|ApiError|DeadlineFormatError|UnsafeUrl|ImportInputError|not_found|forbidden"
                      r"|unauthorized|_error|invalid|ValueError)(?:\.of)?\((?:[^()]|\([^()]*\))*\)")
    vietnamese = re.compile(r"\"[^\"]*[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ][^\"]*\"",
                            re.IGNORECASE)
    found = [f"{path.relative_to(APP)}: {match.group(0)[:90]}" for path, source in SOURCES.items()
             if path.name not in ("messages.py", "errors.py") for match in call.finditer(source)
             if vietnamese.search(match.group(0))]
    assert found == []


def test_every_entry_reads_in_both_languages_with_its_values():
    values = {"path": "/tasks/{id}", "known": "a, b", "limit": 1000, "limit_vi": "1.000", "total": 2000,
              "total_vi": "2.000", "first": __import__("datetime").date(2000, 1, 1),
              "last": __import__("datetime").date(2100, 12, 31), "today": __import__("datetime").date(2026, 12, 1),
              "day": __import__("datetime").date(2026, 12, 1), "current": __import__("datetime").date(2026, 12, 1),
              "issued_on": __import__("datetime").date(2026, 12, 1), "month": 13, "year": 2026, "minimum": 12,
              "n": 1, "msg": "m", "msg_vi": "m", "label_en": "l", "label_vi": "l", "reason_en": "r", "reason_vi": "r",
              "ids": [1], "code": "X", "name": "Bộ X", "count": 3, "reference": "1/TB-VPCP (2026)", "wording": "w",
              "forms": "f", "status": "completed", "status_vi": "đã hoàn thành", "host": "h", "ip": "10.0.0.1",
              "kind": "DOCX", "what_en": "A", "what_vi": "Tệp", "megabytes": 10, "kilobytes": 5, "encoding": "cp1258",
              "content_type": "text/plain", "problems": "p", "problems_vi": "p", "pages": 300,
              "secretariat": "Tổ giúp việc", "seconds": 20, "as_of": __import__("datetime").date(2026, 12, 1),
              "requested": __import__("datetime").date(2026, 12, 1), "what": "Tết", "who": "token",
              "who_vi": "mã truy cập", "frequency_en": "monthly", "frequency_vi": "hằng tháng", "example": "2025-07",
              "by": 2, "id": 1, "time": "09:15"}
    diacritic = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.IGNORECASE)
    for key, (english, vietnamese) in messages.REFUSALS.items():
        filled_en, filled_vi = messages.refusal(key, **values)  # a placeholder without its value: KeyError
        assert english.isascii() or "'" in english or "Số" in english, f"{key}: the English text is not English"
        assert diacritic.search(vietnamese), f"{key}: the Vietnamese text has no Vietnamese in it"
        assert filled_vi != filled_en, key


def test_every_action_a_role_may_be_refused_says_why():
    assert {action.value for action in Action} == set(messages.FORBIDDEN_ACTIONS)


def test_every_flag_the_importer_raises_has_its_words_on_the_review_page():
    raised = {flag for path, source in SOURCES.items() if "imports" in path.parts
              for flag in re.findall(r"flags\.append\(\"(\w+)\"\)|\+ \[\"(\w+)\"\]", source) for flag in flag if flag}
    assert raised and raised - set(messages.IMPORT_FLAG_VI) == set()
    assert set(messages.IMPORT_FLAG_VI) >= messages.IMPORT_FLAG_WARNINGS
    page = TEMPLATES[APP / "web" / "templates" / "import_review.html"]
    assert "messages.IMPORT_FLAG_VI" in page and "giao chung" not in page


def test_the_pages_choices_of_statuses_roles_requests_and_reports_are_named_by_the_catalogue():
    """A choice a page offers (an option, a radio or checkbox) of a status, a journal kind, a role, a request's state
    or kind, or a report's kind is worded by app/messages.py, never written out in a template."""
    labels = {label.lower() for table in (messages.STATUS_VI, messages.JOURNAL_VI, messages.REQUEST_STATUS_VI,
                                          messages.ROLE_VI, messages.REQUEST_KIND_VI,
                                          messages.REPORT_KIND_VI, messages.TIMING_VI, messages.MESSAGE_STATUS_VI)
              for label in table.values()} | {label.lower() for _, label in messages.role_choices()}
    choice = re.compile(r"<option[^>]*>([^<{]+)</option>|<input type=\"(?:radio|checkbox)\"[^>]*>([^<{]+)</label>")
    written = [f"{path.name}: {text.strip()}" for path, source in TEMPLATES.items()
               for match in choice.finditer(re.sub(r"{%.*?%}", "", source)) for text in match.groups() if text
               and text.strip().lower() in labels]
    assert written == []
    page = TEMPLATES[APP / "web" / "templates" / "task.html"]
    assert "messages.REQUEST_KIND_VI" in page and "messages.REPORT_KIND_VI" in page
    assert "messages.role_choices()" in TEMPLATES[APP / "web" / "templates" / "accounts.html"]
