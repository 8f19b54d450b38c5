"""Every POST form, as every role that is offered it, refused the ways a person gets it wrong — in a real browser
against a real server, each page kind and role on one of the run's databases in turn (`one_backend`: the refusals
are the form models' and the templates', the same on either database; each backend carries half of them).

Forms are discovered on the pages, not listed here: a `form[method=post]` with at least one visible field (an input
that is not hidden, a textarea or a select), except the one-button destructive ones (sign out, delete, revoke, rotate,
lock and unlock, a new password, end sessions, test ping, redeliver). Each field gets its value from VALID by its
name; a field the table does not know fails the test, naming it, so that a new field gets a value. A field is
required when its markup says so: the `required` attribute, `aria-required="true"` or a `*` in its label.

Each form is submitted (a) empty: every text field cleared, selects at their first option, checkboxes unticked;
(b) with each required field missing in turn, the rest valid; (c) with a bad value in one field, the rest valid:
impossible and non-dates in date fields, words in number fields, a refused URL in URL fields, one letter in the long
texts. After a refusal the page must follow the pages' contract: a 4xx re-rendering the page with the form open,
every value typed still in its field, an error summary (`.error-summary`, role=alert, tabindex=-1, one link per field
in error) at the top of the form, focused and on the first screen, each field in error `aria-invalid="true"` with its
message right under it, a "required" message for an empty required field, and nothing in the success style.
The browser's own validation is switched off while submitting (a form without `novalidate` fails its own test), so
that what is checked is the server's answer."""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest

from app.notifications.kinds import Kind as NotificationKind
from app.reports.schemas import DEFAULT_RECIPIENTS
from tests.web.conftest import Person, make_person
from tests.web.crawling import (
    DESKTOP,
    POST_FORMS_WITHOUT_NOVALIDATE,
    ROLE_ACCOUNTS,
    SIGNED_IN_ROLES,
    Maker,
    crawl_of,
    day,
    format_problems,
    new_context,
    notice_text,
    pattern,
    signed_in_page,
    vn,
)

pytestmark = pytest.mark.real_server

@pytest.fixture(autouse=True)
def _short_timeouts():
    """Replaces tests/web/conftest.py's fixture of that name, which opens a page per test: these tests open
    contexts of their own (signed in per role, at the widths they need), with their own timeouts."""


# ---------------------------------------------------------------- the pages where forms live


@dataclass
class Ctx:
    """What a value may depend on: the server, the form, the person, a fresh salt per submission."""
    base_url: str
    action: str
    person: Person | None
    salt: str = field(default_factory=lambda: uuid.uuid4().hex)


def _explanation_asked(maker: Maker) -> dict:
    """A new task of Bộ Tài chính whose thread holds the secretariat's request for an explanation, open."""
    task = maker.task("new")
    asked = maker.clients.secretariat.post(f"/tasks/{task['id']}/comments", json={
        "comment": "Đề nghị Bộ giải trình lý do chậm trình Nghị định", "asks_explanation": True})
    assert asked.status_code == 201, asked.text
    return task


# Each page kind: how to make a page of it for a test of its own (fresh data where a form changes the page's state).
PAGES: dict[str, Callable[[Maker, str], str]] = {
    "directives": lambda maker, role: "/directives",
    "directive": lambda maker, role: f"/directives/{maker.directive()['id']}",
    "task_new": lambda maker, role: f"/tasks/{maker.task('new')['id']}",
    "task_reported_done": lambda maker, role: f"/tasks/{maker.task('reported_done')['id']}",
    "task_pending_request": lambda maker, role: f"/tasks/{maker.task('pending_request')['id']}",
    "task_explanation": lambda maker, role: f"/tasks/{_explanation_asked(maker)['id']}",
    "tasks": lambda maker, role: f"/tasks?directive_id={maker.task('new')['directive_id']}",
    "subscriptions": lambda maker, role: "/subscriptions",
    "subscription": lambda maker, role: f"/subscriptions/{maker.subscription(role)['id']}",
    "calendar": lambda maker, role: "/calendar",
    "indicators": lambda maker, role: "/indicators",
    "indicator": lambda maker, role: f"/indicators/{maker.indicator()['id']}",
    "accounts": lambda maker, role: "/accounts",
    "account": lambda maker, role: "/account",  # as a throwaway person: the password form ends its sessions
    "reports": lambda maker, role: "/reports",
    "imports": lambda maker, role: "/imports",
    "import": lambda maker, role: f"/imports/{maker.notice_import()['id']}",
}

# The forms each role must at least be offered there (README "Using the web pages"): a page that fails to show
# them (a 500, a form gone) is not passed over as "no form to try".
OFFERED: dict[tuple[str, str], set[str]] = {
    ("directives", "secretariat"): {"/directives"},
    ("directive", "secretariat"): {"/directives/N/tasks"},
    ("task_new", "secretariat"): {"/tasks/N/progress", "/tasks/N/request", "/tasks/N/edit", "/tasks/N/remove",
                                  "/tasks/N/comments", "/tasks/N/remind"},
    ("task_new", "lead"): {"/tasks/N/progress", "/tasks/N/request", "/tasks/N/comments"},
    ("task_reported_done", "secretariat"): {"/tasks/N/review", "/tasks/N/request", "/tasks/N/edit"},
    ("task_reported_done", "lead"): {"/tasks/N/request"},
    ("task_pending_request", "secretariat"): {"/tasks/N/requests/N/decision", "/tasks/N/progress", "/tasks/N/edit"},
    ("task_pending_request", "lead"): {"/tasks/N/progress"},
    ("task_explanation", "secretariat"): {"/tasks/N/comments", "/tasks/N/comments/N/answer", "/tasks/N/remind"},
    ("task_explanation", "lead"): {"/tasks/N/comments", "/tasks/N/comments/N/answer"},
    ("tasks", "secretariat"): {"/tasks/reminders"},
    **{("subscriptions", role): {"/subscriptions"} for role in SIGNED_IN_ROLES},
    **{("subscription", role): {"/subscriptions/N/update"} for role in SIGNED_IN_ROLES},
    ("calendar", "secretariat"): {"/calendar"},
    ("indicators", "secretariat"): {"/indicators"},
    ("indicator", "secretariat"): {"/indicators/N/measurements", "/indicators/N/targets"},
    ("indicator", "lead"): {"/indicators/N/measurements"},
    ("accounts", "secretariat"): {"/accounts", "/tokens"},
    ("accounts", "lead"): {"/tokens"},
    **{("account", role): {"/account/password", "/account/email", "/account/notifications"}
       for role in SIGNED_IN_ROLES},
    ("reports", "secretariat"): {"/reports/settings"},
    ("imports", "secretariat"): {"/imports"},
    ("import", "secretariat"): {"/imports/N/review"},
}

# Also the report's download form: it answers with a file, not a page (its refusals: tests/web/test_security.py).
SKIPPED_ACTIONS = re.compile(r"^/(logout|.*/(delete|revoke|rotate|activate|deactivate|sessions|test|redeliver)"
                             r"|accounts/\d+/password|reports/download)$")

# ---------------------------------------------------------------- valid values, by field name


def _unique_day(ctx: Ctx, _field) -> str:
    return vn(day(3650 + int(ctx.salt[:8], 16) % 3650))  # some ten years ahead: a day nobody has corrected


def _new_password(ctx: Ctx, _field) -> str:
    return f"Rõ-việc-{ctx.salt[:10]}-2026"


def _webhook_or_evidence(ctx: Ctx, _field) -> str:
    return f"{ctx.base_url}/hook" if "/subscriptions" in ctx.action else "https://vanban.chinhphu.vn/70-2026-nd-cp"


def _period(ctx: Ctx, _field) -> str:
    """A measurement's period is one of its (monthly) indicator's: last month; a target's, this year."""
    if ctx.action.endswith("/measurements"):
        last = day(0).replace(day=1) - timedelta(days=1)
        return f"{last.year}-{last.month:02d}"
    return str(day(0).year)


def _first_two(_ctx: Ctx, f) -> list[str]:
    return [o["value"] for o in f.options if o["value"]][:2]


class Choice(tuple):
    """One of these option values, the first the field offers (a name shared by forms with different options)."""


# A str is typed (or, for a select, chosen by value or label); a list selects or ticks those; True/False ticks every
# checkbox of the name or none; a callable computes it. Selects and checkboxes name their option by value or label.
VALID: dict[str, Any] = {
    # tasks: the seven "rõ"
    "title": "Xây dựng Kế hoạch chuyển đổi số năm tới của ngành tài chính",
    "objective": "Bảo đảm chuyển đổi số đồng bộ trong toàn ngành tài chính",
    "lead_agency_id": "Bộ Tài chính",
    "coordinating_agency_ids": [],
    "deadline": lambda ctx, f: vn(day(200)),
    "accountable_official": "Bộ trưởng Bộ Tài chính",
    "deliverable_type": "Kế hoạch",
    "deliverable_description": "Kế hoạch chuyển đổi số năm tới được Bộ trưởng ký ban hành",
    "expected_result": "100% đơn vị thuộc Bộ có kế hoạch triển khai chi tiết",
    "clause_ref": "Mục II.2.a",
    "priority": True,
    "use_suggestion": False,
    "split_into": _first_two,
    # directives (and a notice's header)
    "number": lambda ctx, f: f"{ctx.salt[:6]}/TB-VPCP",
    "issued_on": lambda ctx, f: vn(day(-5)),
    "meeting_date": lambda ctx, f: vn(day(-6)),
    "meeting_name": "Phiên họp chuyên đề chuyển đổi số tháng 12",
    "issuer": "Văn phòng Chính phủ",
    # progress, completion, requests, decisions
    "status": Choice(("in_progress",)),
    "progress_percent": "50",
    "note": "Đã hoàn thành dự thảo, đang lấy ý kiến các bộ, ngành",
    "document_number": "70/2026/NĐ-CP",
    "document_date": lambda ctx, f: vn(day(-1)),
    "url": _webhook_or_evidence,
    "completed_on": lambda ctx, f: vn(day(-1)),
    "kind": Choice(("extend", "holiday", "percentage")),
    "requested_deadline": lambda ctx, f: vn(day(400)),
    "approved_deadline": "",  # left empty: the date asked is granted
    "reason": "Chờ ý kiến thẩm định của Bộ Tư pháp",
    # a task's thread; reminders ("đôn đốc") from a task and from the list (no task ticked: the list's first button
    # reminds the ticked ones, so an empty form is refused)
    "comment": "Đề nghị Bộ báo cáo rõ tiến độ trình Nghị định trước phiên họp",
    "asks_explanation": False,
    "force": False,
    "force_reason": "Lãnh đạo Ủy ban yêu cầu báo cáo ngay",
    "task_ids": [],
    # subscriptions
    "description": "Phần mềm quản lý văn bản của Bộ",
    "event_types": [],
    "lead_agency_ids": [],
    "directive_ids": [],
    "priority_only": False,
    "digest": False,
    "active": True,
    "all": False,
    # calendar
    "day": _unique_day,
    # indicators: one defined, a target set, a value recorded
    "code": lambda ctx, f: f"CT-{ctx.salt[:6]}",
    "unit": "%",
    "direction": Choice(("increase",)),
    "comparator": Choice((">=",)),
    "group_name": "Chính quyền số",
    "frequency": Choice(("monthly",)),
    "reporting_agency_id": "Bộ Tài chính",
    "source_directive_id": "",
    "source_document": "Quyết định số 06/QĐ-TTg",
    "period": _period,
    "value": "87,08",
    "numerator": "4.543",
    "denominator": "6.325",
    "baseline_value": "60",
    "baseline_on": lambda ctx, f: vn(day(-30)),
    "official": True,
    "source": "Cổng Dịch vụ công quốc gia",
    "evidence_url": "https://dichvucong.gov.vn/bao-cao",
    "supersedes_id": "",
    # accounts, tokens, one's password
    "username": lambda ctx, f: f"thu-{ctx.salt[:8]}",
    "full_name": "Hoàng Văn Thử",
    "job_title": "Chuyên viên",
    "email": lambda ctx, f: f"thu-{ctx.salt[:8]}@mof.gov.vn",
    "agency_code": "Bộ Tài chính",
    "role": "agency",
    "name": "Hệ thống quản lý văn bản của Bộ",
    "current_password": lambda ctx, f: ctx.person.password if ctx.person else "",
    "new_password": _new_password,
    "new_password_again": _new_password,
    # one's notifications: each kind's mode (a select per kind the role is offered), the digest's hour
    **{f"mode_{kind.value}": Choice(("digest",)) for kind in NotificationKind},
    "digest_hour": Choice(("7",)),
    # the report's document settings (their defaults)
    "parent_body": "Ủy ban Quốc gia về chuyển đổi số",
    "issuing_body": "Tổ giúp việc",
    "symbol": "TGV",
    "place": "Hà Nội",
    "signer_authority": "TM. Tổ giúp việc",
    "signer_position": "Tổ trưởng",
    "signer_name": "Nguyễn Văn An",
    "recipients": "\n".join(DEFAULT_RECIPIENTS),
    # a notice to read
    "text": lambda ctx, f: notice_text(),
}

# ---------------------------------------------------------------- bad values, by kind of field

DATE_NAMES = {"issued_on", "meeting_date", "document_date", "completed_on", "day", "deadline", "requested_deadline",
              "baseline_on"}
NUMBER_NAMES = {"progress_percent", "value", "numerator", "denominator", "baseline_value"}
LONG_TEXTS = {"title", "objective", "deliverable_description", "expected_result"}
BAD_DATES = ("31/02/2022", "abc")
# A completion's evidence is read only when the report says "completed": its fields are tried with that choice.
EVIDENCE = {"document_number", "document_date", "url", "completed_on"}
REQUIRED_WORDS = ("bắt buộc", "để trống", "trống", "thiếu", "vui lòng", "chưa nhập", "hãy nhập", "cần nhập",
                  "phải nhập", "chưa ghi", "hãy ghi", "cần ghi", "phải ghi", "chưa điền", "hãy điền", "cần điền",
                  "chưa chọn", "hãy chọn", "cần chọn", "phải chọn")


@dataclass
class Field:
    name: str
    kind: str  # text, number, url, email, password, file, textarea, select, multiselect, checkbox, radio
    ids: list[str]
    required_by: str | None
    placeholder: str
    inputmode: str
    label: str
    options: list[dict]  # a select's options, or a radio/checkbox group's values ({"value", "label"})

    @property
    def base(self) -> str:
        """The name without a review's prefix: a draft's "d3-title" is a title, the notice's "h-number" a number."""
        return re.sub(r"^(d\d+|h)-", "", self.name)

    @property
    def fillable(self) -> bool:
        return self.kind not in ("file",)

    @property
    def typed(self) -> bool:
        return self.kind in ("text", "number", "url", "email", "textarea", "password", "search", "tel")

    def is_date(self) -> bool:
        return self.base in DATE_NAMES or "dd/mm/yyyy" in self.placeholder

    def is_number(self) -> bool:
        return self.kind == "number" or self.base in NUMBER_NAMES or (
            self.inputmode == "numeric" and not self.is_date())

    def is_url(self) -> bool:
        return self.kind == "url" or self.base == "url"

    def bad_values(self, action: str) -> list[str]:
        if not self.typed or self.kind == "password":
            return []
        found = []
        if self.is_date():
            found += BAD_DATES
        if self.is_number():
            found.append("mười")
        if self.is_url():
            found += ["ftp://example.com/x",
                      "http://169.254.169.254/latest" if "/subscriptions" in action else "javascript:alert(1)"]
        if self.base in LONG_TEXTS:
            found.append("X")
        return found


@dataclass
class Form:
    index: int
    action: str
    novalidate: bool
    fields: dict[str, Field]
    buttons: list[dict]

    @property
    def path(self) -> str:
        return urlsplit(self.action).path

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return pattern(self.path), tuple(sorted(self.fields))

    @property
    def required(self) -> dict[str, str]:
        return {n: f.required_by for n, f in self.fields.items() if f.required_by}


DISCOVER = """() => [...document.querySelectorAll('form')].map((form, index) => {
  const fields = [];
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    const tag = el.tagName.toLowerCase();
    if (!['input', 'select', 'textarea'].includes(tag)) continue;
    const type = tag === 'input' ? (el.getAttribute('type') || 'text').toLowerCase() : tag;
    if (['hidden', 'submit', 'button', 'reset', 'image'].includes(type)) continue;
    const labels = el.labels ? [...el.labels].map(l => l.textContent.replace(/\\s+/g, ' ').trim()) : [];
    let requiredBy = null;
    if (el.required) requiredBy = 'the required attribute';
    else if (el.getAttribute('aria-required') === 'true') requiredBy = 'aria-required="true"';
    else if (labels.some(t => t.includes('*'))) requiredBy = 'a * in its label';
    fields.push({name: el.name, tag, type, id: el.id, requiredBy, label: labels.join(' / '), value: el.value,
      placeholder: el.getAttribute('placeholder') || '', inputmode: el.getAttribute('inputmode') || '',
      multiple: !!el.multiple,
      options: tag === 'select' ? [...el.options].map(o => ({value: o.value, label: o.textContent.trim()})) : null});
  }
  const buttons = [...form.querySelectorAll('button, input[type=submit]')].filter(b => b.type === 'submit')
    .map(b => ({name: b.name, value: b.value, text: (b.innerText || b.value || '').trim()}));
  return {index, method: (form.getAttribute('method') || 'get').toLowerCase(),
          action: form.getAttribute('action') || location.pathname, novalidate: form.hasAttribute('novalidate'),
          fields, buttons};
})"""

FILL = """([index, plan, retype]) => {
  const form = document.querySelectorAll('form')[index];
  form.noValidate = true;  // what is tested is the server's answer, not the browser's bubbles
  for (let d = form.closest('details'); d; d = d.parentElement.closest('details')) d.open = true;
  for (const el of form.elements) {
    if (!el.name || el.disabled || !(el.name in plan)) continue;
    const v = plan[el.name];
    const type = (el.type || '').toLowerCase();
    if (type === 'checkbox') el.checked = v.includes(el.value);
    else if (type === 'radio') { if (v !== null) el.checked = el.value === v; }
    else if (el.tagName === 'SELECT') {
      for (const o of el.options) o.selected = el.multiple ? v.includes(o.value) : o.value === v;
    } else {
      if (type === 'number' && retype.includes(el.name)) el.type = 'text';  // as a paste or another browser sends it
      el.value = v;
    }
  }
}"""

SNAPSHOT = """([index, shownAgain]) => {
  const form = document.querySelectorAll('form')[index];
  const values = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    const type = (el.type || '').toLowerCase();
    if (['hidden', 'submit', 'button', 'reset', 'image', 'password', 'file'].includes(type)) continue;
    if (!['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) continue;
    if (type === 'checkbox') {
      values[el.name] = values[el.name] || [];
      if (el.checked) values[el.name].push(el.value);
    } else if (type === 'radio') {
      if (!(el.name in values)) values[el.name] = null;
      if (el.checked) values[el.name] = el.value;
    }
    else if (el.tagName === 'SELECT') values[el.name] = [...el.selectedOptions].map(o => o.value);
    // Shown again, a number field holds what the server wrote in its value attribute, even what Chromium hides.
    else values[el.name] = shownAgain && type === 'number' ? (el.getAttribute('value') || '') : el.value;
  }
  return values;
}"""

SHOWN_AS_SUCCESS = """() => [...document.querySelectorAll('.notice, [role=status]')]
  .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
  .map(e => e.innerText.trim())"""

ANALYSE = """(index) => {
  const form = document.querySelectorAll('form')[index];
  const shown = e => !!e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden';
  const follows = (a, b) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
  const named = [...form.elements].filter(el => el.name && ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)
    && !['hidden', 'submit', 'button', 'reset', 'image'].includes((el.type || '').toLowerCase()));
  const fields = {};
  for (const el of named) {
    const wrapper = el.closest('.field') || el.parentElement;
    const described = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean).map(id => {
      const target = document.getElementById(id);
      return target ? {id, exists: true, text: target.innerText.trim(), help: target.classList.contains('help'),
                       inWrapper: wrapper.contains(target), after: follows(el, target), shown: shown(target)}
                    : {id, exists: false};
    });
    (fields[el.name] = fields[el.name] || []).push({id: el.id, invalid: el.getAttribute('aria-invalid') === 'true',
                                                    described});
  }
  let summary = form.querySelector('.error-summary');
  const before = form.previousElementSibling;
  if (!summary && before && before.matches('.error-summary')) summary = before;
  let found = null;
  if (summary) {
    const r = summary.getBoundingClientRect();
    const active = document.activeElement;
    found = {role: summary.getAttribute('role'), tabindex: summary.getAttribute('tabindex'),
      links: [...summary.querySelectorAll('a')].map(a => ({href: a.getAttribute('href') || '',
                                                           text: a.innerText.trim()})),
      focused: !!active && (summary === active || summary.contains(active)),
      active: active ? active.outerHTML.slice(0, 80) : null,
      onScreen: r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth,
      top: named.length ? follows(summary, named[0]) : true};
  }
  const details = form.closest('details');
  return {detailsOpen: details ? details.open : null, summary: found, fields,
          alerts: [...document.querySelectorAll('[role=alert]')].filter(shown).map(e => e.innerText.trim())};
}"""


def discover(page) -> list[Form]:
    forms = []
    for raw in page.evaluate(DISCOVER):
        if raw["method"] != "post":
            continue
        fields: dict[str, Field] = {}
        for f in raw["fields"]:
            kind = {"textarea": "textarea"}.get(f["tag"]) or (
                ("multiselect" if f["multiple"] else "select") if f["tag"] == "select" else f["type"])
            if f["type"] in ("checkbox", "radio"):
                kind = f["type"]
            known = fields.get(f["name"])
            if known is None:
                known = fields[f["name"]] = Field(f["name"], kind, [], f["requiredBy"], f["placeholder"],
                                                  f["inputmode"], f["label"], list(f["options"] or []))
            elif f["requiredBy"] and not known.required_by:
                known.required_by = f["requiredBy"]
            known.ids.append(f["id"])
            if kind in ("checkbox", "radio"):
                known.options.append({"value": f["value"], "label": f["label"]})
        forms.append(Form(raw["index"], raw["action"], raw["novalidate"], fields, raw["buttons"]))
    return forms


def exercised(form: Form) -> bool:
    """A form a person fills in: a visible field to type or choose in, and not a one-button destructive action."""
    return bool(form.fields) and not SKIPPED_ACTIONS.match(form.path)


# ---------------------------------------------------------------- the cases


@dataclass
class Case:
    name: str
    changes: dict[str, Any]  # field → value for this case (None: missing)
    expected: set[str]  # fields that must be shown in error


def _option(f: Field, wanted: str) -> str | None:
    for o in f.options:
        if wanted in (o["value"], o["label"]):
            return o["value"]
    return None


def value_for(f: Field, ctx: Ctx) -> Any:
    """The field's valid value in the shape FILL takes (text: str; select and radio: an option value; multiselect
    and checkbox: a list of values)."""
    wanted = VALID[f.base]
    if callable(wanted):
        wanted = wanted(ctx, f)
    if isinstance(wanted, Choice):
        wanted = next((w for w in wanted if _option(f, w) is not None), wanted[0])
    if f.kind == "checkbox":
        if isinstance(wanted, bool):
            return [o["value"] for o in f.options] if wanted else []
        return [_option(f, w) for w in wanted if _option(f, w) is not None]
    if f.kind == "multiselect":
        return [_option(f, w) or w for w in wanted]
    if f.kind in ("select", "radio"):
        chosen = _option(f, wanted)
        if chosen is None:
            raise LookupError(f"the value table's {wanted!r} for {f.name!r} is none of its options {f.options[:5]}")
        return chosen
    return wanted


def empty_for(f: Field) -> Any:
    if f.kind in ("checkbox", "multiselect"):
        return []
    if f.kind == "select":
        return f.options[0]["value"] if f.options else ""
    if f.kind == "radio":
        return None  # left as it is
    return ""


def missing_for(f: Field) -> Any:
    """The field left out: text cleared, a select at its empty choice (None when it has none), nothing ticked."""
    if f.kind == "select":
        return "" if any(o["value"] == "" for o in f.options) else None
    if f.kind == "radio":
        return None
    return [] if f.kind in ("checkbox", "multiselect") else ""


def cases_of(form: Form) -> tuple[list[Case], list[str]]:
    empty = {n: empty_for(f) for n, f in form.fields.items() if f.fillable}
    cases = [Case("(a) submitted empty", empty, {n for n in form.required if empty.get(n) in ("", [])})]
    notes = []
    for name, by in form.required.items():
        missing = missing_for(form.fields[name])
        if missing is None:
            notes.append(f"{name} (required by {by}) has no empty choice: not left out")
            continue
        cases.append(Case(f"(b) without {name} (required by {by})", {name: missing}, {name}))
    for name, f in form.fields.items():
        for bad in f.bad_values(form.action):
            cases.append(Case(f"(c) {name} = {bad!r}", {name: bad}, {name}))
    return cases, notes


# ---------------------------------------------------------------- one form, submitted case by case


@dataclass
class Exercise:
    page: Any
    base_url: str
    role: str
    where: str  # the page kind
    path: str
    remake: Callable[[], str]
    person: Person | None
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    refused: bool = False  # the page now shown is the refusal of the last case
    success_before: set[str] = field(default_factory=set)  # .notice / role=status shown on the page afresh

    def say(self, form: Form, case: str, what: str) -> None:
        self.problems.append((f"[{self.role}] the {self.where} page, form POST {pattern(form.path)}", case, what))

    def find(self, form: Form) -> Form | None:
        return next((f for f in discover(self.page) if f.key == form.key), None)

    def open_page_with(self, form: Form, previous: str | None) -> Form | None:
        """The page, afresh, with this form on it (made anew when an accepted submission changed its state)."""
        for attempt in range(2):
            if attempt:
                self.path = self.remake()
            response = self.page.goto(self.base_url + self.path)
            found = self.find(form)
            if found is not None:
                self.success_before = set(self.page.evaluate(SHOWN_AS_SUCCESS))
                return found
            if not attempt and previous and response is not None and response.status >= 500:
                self.say(form, previous, f"once this was accepted, its page {pattern(self.path)} answers HTTP "
                                         f"{response.status}")
        return None

    def run(self, form: Form) -> None:
        unknown = sorted(n for n, f in form.fields.items() if f.fillable and f.base not in VALID)
        if unknown:
            self.say(form, "value table", f"fields the table VALID (tests/web/test_forms.py) does not know: {unknown}"
                                          " — give them a valid value")
            return
        if "#" not in form.action:
            self.say(form, "markup", f"its action {pattern(form.action)!r} carries no #fragment (the page should open "
                                     "at the form after a refusal, even without JavaScript)")
        cases, notes = cases_of(form)
        self.log.append(f"[{self.role}] {self.path} POST {form.path}: required {form.required or 'none'}; "
                        f"{len(cases)} cases" + (f"; {'; '.join(notes)}" if notes else ""))
        previous, current = None, None
        for case in cases:
            # The page a refusal showed serves the next case (every field is filled again); otherwise it is opened
            # afresh.
            current = self.find(form) if current is not None and self.refused else None
            if current is None:
                current = self.open_page_with(form, previous)
            previous = case.name
            if current is None:
                self.say(form, case.name, "the form is no longer on the page, even on a page made anew")
                return
            try:
                self.submit(current, case)
            except LookupError as error:
                self.say(form, case.name, str(error))
                return

    def plan(self, form: Form, case: Case) -> dict[str, Any]:
        ctx = Ctx(self.base_url, form.action, self.person)
        filled = {} if case.name.startswith("(a)") else {
            n: value_for(f, ctx) for n, f in form.fields.items() if f.fillable}
        # An evidence field counts only in a completion report.
        if not case.name.startswith("(a)") and set(case.changes) & EVIDENCE and "status" in form.fields \
                and _option(form.fields["status"], "reported_done"):
            filled["status"] = "reported_done"
        return filled | case.changes

    def submit(self, form: Form, case: Case) -> None:
        page = self.page
        plan = self.plan(form, case)
        retype = [n for n, v in case.changes.items() if isinstance(v, str) and form.fields[n].kind == "number"]
        page.evaluate(FILL, [form.index, plan, retype])
        typed = page.evaluate(SNAPSHOT, [form.index, False])
        self.refused = False
        button = page.locator("form").nth(form.index).locator("button[type=submit], button:not([type]), "
                                                              "input[type=submit]").first
        with page.expect_navigation() as navigation:
            button.click()
        response = navigation.value
        redirected = response.request.redirected_from is not None
        status = response.request.redirected_from.response().status if redirected else response.status
        empty_and_nothing_required = case.name.startswith("(a)") and not form.required
        if redirected or status < 400:
            has_errors = page.locator("[aria-invalid=true], .field-error, .error-summary").count() > 0
            if redirected or not has_errors:
                if not empty_and_nothing_required:
                    where = f", then {pattern(urlsplit(page.url).path)}" if redirected else ""
                    self.say(form, case.name, f"ACCEPTED (HTTP {status}{where}): the server took what it must refuse")
                return
            self.say(form, case.name, f"refused with HTTP {status}: a refusal must answer 4xx")
        elif status >= 500:
            self.say(form, case.name, f"HTTP {status}: a server error instead of a refusal")
            return
        self.refused = True
        self.check_refusal(form, case, plan, typed, self.success_before, status)

    def check_refusal(self, form: Form, case: Case, plan: dict, typed: dict, success_before: set[str],
                      status: int) -> None:
        page, say = self.page, (lambda what: self.say(form, case.name, what))
        again = self.find(form)
        if again is None:
            body = page.locator("body").inner_text()[:160].replace("\n", " ")
            say(f"HTTP {status}, but the page does not show the form again (with what was typed): {body!r}")
            return
        now = page.evaluate(SNAPSHOT, [again.index, True])
        for name, value in typed.items():
            if now.get(name) != value:
                say(f"the value of {name!r} was lost: typed {value!r}, shown again {now.get(name)!r}")
        new_success = [t for t in page.evaluate(SHOWN_AS_SUCCESS) if t not in success_before]
        if new_success:
            say(f"the refusal is shown in the success style (.notice / role=status): {new_success[0][:100]!r}")
        seen = page.evaluate(ANALYSE, again.index)
        if not seen["alerts"]:
            say("no visible [role=alert] on the page")
        if seen["detailsOpen"] is False:
            say("the <details> holding the form is closed")
        invalid = {n for n, els in seen["fields"].items() if any(e["invalid"] for e in els)}
        summary = seen["summary"]
        if summary is None:
            say("no error summary (.error-summary) at the top of the form")
        else:
            if summary["role"] != "alert":
                say(f"the error summary's role is {summary['role']!r}, not 'alert'")
            if summary["tabindex"] != "-1":
                say(f"the error summary's tabindex is {summary['tabindex']!r}, not '-1'")
            if not summary["top"]:
                say("the error summary is not at the top of the form (a field comes before it)")
            if not summary["focused"]:
                say(f"the error summary does not have the focus (the focus is on {summary['active']!r})")
            if not summary["onScreen"]:
                say("the error summary is not within the first screen")
            linked = {link["href"] for link in summary["links"]}
            for name in sorted(invalid | case.expected):
                ids = {f"#{e['id']}" for e in seen["fields"].get(name, []) if e["id"]}
                if not ids & linked:
                    say(f"the error summary has no link to the field {name!r} ({' or '.join(sorted(ids)) or 'no id'})")
            for link in summary["links"]:
                if not link["text"]:
                    say(f"the error summary's link {link['href']} says nothing")
        for name in sorted(case.expected):
            if name not in invalid and form.fields[name].kind != "radio":
                say(f"the field {name!r} is not marked aria-invalid=\"true\"")
        for name in sorted(invalid | case.expected):
            for element in seen["fields"].get(name, []):
                if element["invalid"]:
                    self.check_message(say, name, element, plan.get(name))

    @staticmethod
    def check_message(say, name: str, element: dict, value) -> None:
        messages = [d for d in element["described"] if d.get("exists") and not d.get("help")]
        if not element["described"]:
            say(f"the field {name!r} has no aria-describedby naming its message")
            return
        if not messages:
            missing = [d["id"] for d in element["described"] if not d.get("exists")]
            say(f"the field {name!r}'s aria-describedby names no message" +
                (f" (no element with id {missing})" if missing else ""))
            return
        message = messages[-1]
        if not message["text"] or not message["shown"]:
            say(f"the field {name!r}'s message #{message['id']} is empty or hidden")
        if not (message["inWrapper"] and message["after"]):
            say(f"the field {name!r}'s message #{message['id']} is not right under it (inside its .field, after it)")
        empty = value in ("", [], None)
        text = message["text"].lower()
        if empty and (not any(w in text for w in REQUIRED_WORDS) or "quá ngắn" in text):
            say(f"the empty field {name!r} is told {message['text']!r} instead of that it is required "
                f"(“bắt buộc”, “không được để trống”)")


def report(title: str, problems: list[tuple[str, str, str]]) -> str:
    """The problems by form, then by case: one line per case, its problems joined."""
    grouped: dict[str, dict[str, list[str]]] = {}
    for form, case, what in problems:
        whats = grouped.setdefault(form, {}).setdefault(case, [])
        if what not in whats:
            whats.append(what)
    lines = [f"{title}: {len(problems)} problems"]
    for form, cases in grouped.items():
        lines.append(f"{form}:")
        lines += [f"  - {case}: {'; '.join(whats)}" for case, whats in cases.items()]
    return "\n".join(lines)


_done: set[tuple] = set()


def exercise_page(page, server, role: str, where: str, path: str, remake, person=None,
                  offered: set[str] = frozenset()) -> Exercise:
    run = Exercise(page, server.base_url, role, where, path, remake, person)
    response = page.goto(server.base_url + path)
    forms = [f for f in discover(page) if exercised(f)]
    missing = offered - {pattern(f.path) for f in forms}
    if missing:
        status = response.status if response is not None else "no answer"
        run.problems += [(f"[{role}] the {where} page", "the page",
                          f"{path} (HTTP {status}) does not offer the form POST {m}") for m in sorted(missing)]
    for form in forms:
        key = (server.base_url, role, *form.key)
        if key in _done:  # the same form met on another page kind in this run (the task page's, in every state)
            continue
        _done.add(key)
        run.run(form)
    return run


def throwaway_person(server, role: str) -> Person:
    agency, account_role, _ = ROLE_ACCOUNTS[role]
    return make_person(server.database, agency, account_role, "Người Dùng Thử")


@pytest.mark.one_backend
@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
@pytest.mark.parametrize("kind", list(PAGES))
def test_post_forms_refuse_mistakes_clearly(browser, server, server_clients, kind, role):
    maker = Maker(server_clients, server.base_url)
    person = None
    if kind == "account":
        person = throwaway_person(server, role)
        page = signed_in_page(browser, server, person, DESKTOP)
    else:
        page = new_context(browser, server, role, DESKTOP).new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of data-confirm buttons
    try:
        path = PAGES[kind](maker, role)
        run = exercise_page(page, server, role, kind, path, lambda: PAGES[kind](maker, role), person,
                            OFFERED.get((kind, role), set()))
    finally:
        page.context.close()
    print("\n" + "\n".join(run.log))
    assert not run.problems, report(f"[{role}] forms on the {kind} page, refused", run.problems)


KNOWN_PAGES = {"/directives", "/directives/N", "/tasks", "/tasks/N", "/subscriptions", "/subscriptions/N", "/calendar",
               "/accounts", "/account", "/reports", "/imports", "/imports/N"}


@pytest.mark.one_backend
@pytest.mark.parametrize("role", SIGNED_IN_ROLES)
def test_post_forms_on_other_pages_refuse_mistakes_clearly(browser, server, server_clients, role):
    """Forms on pages the crawl reaches beyond the page kinds above (a page added later), exercised the same way."""
    others = {p: u for p, u in crawl_of(browser, server, server_clients, role).one_per_page().items()
              if urlsplit(p).path not in KNOWN_PAGES}
    page = new_context(browser, server, role, DESKTOP).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    problems, log = [], []
    try:
        for key, path in sorted(others.items()):
            run = exercise_page(page, server, role, key, path, lambda path=path: path)
            problems += run.problems
            log += run.log
    finally:
        page.context.close()
    print("\n" + "\n".join(log))
    assert not problems, report(f"[{role}] forms on other pages, refused", problems)


@pytest.mark.one_backend  # with the role's crawl: the same order of roles as the crawl's test
@pytest.mark.parametrize("role", [*SIGNED_IN_ROLES, "anonymous"])
def test_every_post_form_has_novalidate(browser, server, server_clients, role):
    """No browser bubble in English: every POST form (the one-button ones too) leaves checking to the server. The
    crawl looks at every form of every page it visits (every page, with every query it follows), so this reads its
    findings; the sign-in page, which the anonymous person sees, is looked at here."""
    lacking: dict[str, list[str]] = {}
    if role == "anonymous":
        page = new_context(browser, server, role, DESKTOP).new_page()
        try:
            page.goto(server.base_url + "/login")
            for action in page.evaluate(POST_FORMS_WITHOUT_NOVALIDATE):
                lacking.setdefault(pattern(action), []).append("/login")
        finally:
            page.context.close()
    else:
        lacking = crawl_of(browser, server, server_clients, role).without_novalidate
    problems = [f"[{role}] the form POST {action} has no `novalidate` attribute — on {len(paths)} page(s), e.g. "
                f"{', '.join(sorted(set(paths))[:3])}" for action, paths in sorted(lacking.items())]
    assert not problems, format_problems(f"[{role}] POST forms without novalidate", problems)
