"""The drafts rule: one draft per lead of an assignment, with its title (the work, without the coordinators and the
deadline written into it), objective, expected result, deadline, deliverable and flags. Nothing the text does not say
is filled in: guesses go to `flags` and `suggested_*` for the person who reviews the drafts."""

import re

from app.imports import deliverables
from app.imports.deadlines import STANDING, Deadline
from app.imports.folding import Folded
from app.imports.gazetteer import COLLECTIVE, KNOWN, UNKNOWN, KnownAgency, ListItem
from app.imports.rules import agencies, clauses
from app.imports.rules import deadlines as deadline_rule
from app.imports.rules import deliverables as deliverable_rule
from app.imports.state import Assignment, Draft, Node, ParseState, Source
from app.tasks.deadlines import standing_cadence

# A PDF's page number on a line of its own inside a paragraph ("\nTrang 2/4\n"): no words of the work.
_PAGE_NUMBER_LINE = re.compile(r"\n\s*(?:Trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?\s*(?=\n)")
_OBJECTIVE = re.compile(r"\b(?:nham|voi muc tieu|muc tieu la|muc tieu)\s+")
_RESULT = re.compile(r"\b(?:phan dau|bao dam dat|dam bao dat|ket qua (?:la|phai dat|can dat)|de dat)\s+")
_PHRASE_END = re.compile(r"[;.]|,\s*(?:trinh|bao cao|hoan thanh|thoi han|phan dau|bao dam|dam bao|trong do|dong thoi"
                         r"|nham|gui)\b")
_TRAILING_STANDING = re.compile(r"(?:[,;]\s*)?(?:(?:thuc hien|bao cao)\s+)?(?:thuong xuyen|hang (?:nam|quy|thang|tuan)"
                                r"|dinh ky(?: [a-z0-9 ]{0,20})?)\s*[.;,]?\s*$")
# "(chịu trách nhiệm) trước Thủ tướng Chính phủ về kết quả ... / nếu để xảy ra ...": who answers for the notice's
# results, said to every addressee; no work of its own (also a segment's reason, app/imports/rules/segments.py).
ANSWERS_FOR = (r"(?:toan dien\s+)?truoc\s+(?:[a-z]+,?\s+){1,8}?(?:ve (?:ket qua|tien do|chat luong|viec)"
               r"|neu (?:de\b|xay ra|cham tre|cham|ton dong|that thoat)\b)")
# "… nêu tại bảng trên": the table's rows are the tasks (drafts, segments and the overdue rows read it).
TABLE_REF = r"\b(?:neu tai|tai|theo|trong) bang (?:tren|duoi)\b"
# "Thủ trưởng các sở, ngành chịu trách nhiệm thi hành Thông báo này": the notice's standard closing, not a task.
_CARRY_OUT_NOTICE = re.compile(r"(?:chiu trach nhiem\s+)?(?:nghiem tuc\s+)?(?:(?:thi hanh|to chuc thi hanh"
                               r"|to chuc thuc hien|thuc hien|trien khai(?: thuc hien)?)\s+(?:nghiem(?: tuc)?\s+)?"
                               r"(?:(?:thong bao|ket luan|van ban)(?:\s+(?:nay|tren))?"
                               r"|(?:nghi quyet|chi thi|quyet dinh|ke hoach|cong van)\s+(?:nay|tren))\s*[.;]?\s*$"
                               r"|" + ANSWERS_FOR +
                               # "Thanh tra Chính phủ công khai Kết luận thanh tra này theo quy định": the law's
                               # formula for an inspection's conclusion.
                               r"|cong khai (?:ket luan(?: thanh tra)?|thong bao|van ban) (?:nay|tren)"
                               r"(?: theo quy dinh(?: cua phap luat)?)?\s*[./]*\s*$"
                               # "… tiếp tục thực hiện theo văn bản đã ban hành": the work was given before.
                               r"|(?:tiep tuc )?thuc hien theo (?:van ban|ke hoach|chi dao) da (?:ban hanh|giao)\b)")
# "Các cơ quan, tổ chức có liên quan chịu trách nhiệm thi hành Quyết định này", "Các ban, ngành, Chủ tịch … chịu
# trách nhiệm trước … về kết quả …": its addressees, then the formula.
_ANSWER_FOR_CARRYING_OUT = re.compile(r".{0,200}\bchiu trach nhiem (?:thi hanh|to chuc thuc hien|trien khai|thuc hien)"
                                      r"\b[^.;]{0,40}\b(?:nay|tren)\s*\.?\s*$"
                                      r"|(?:cac|giam doc|thu truong|chu tich|bo truong|nguoi dung dau)\b[^.;]{0,160}"
                                      r"\bchiu trach nhiem " + ANSWERS_FOR)
# "Thực hiện các nhiệm vụ tại Phụ lục kèm theo": a pointer to the appendix, whose rows are the tasks (read there).
_APPENDIX_WORK = re.compile(r"(?:khan truong |tiep tuc |to chuc )?(?:thuc hien|trien khai)(?: tot)?(?: cac| nhung)?"
                            r" nhiem vu(?: \w+){0,3} (?:tai|theo|neu tai|neu trong|quy dinh tai|trong|o) phu luc\b"
                            # "Các chủ đầu tư tập trung nguồn lực, hoàn thành các công trình … nêu tại Phụ lục"
                            r"|(?:tap trung [^.;]{0,40},\s*)?hoan thanh (?:cac |toan bo )?(?:cong trinh|du an|nhiem vu)"
                            r"[^.;]{0,80} (?:neu tai|tai|theo|trong) phu luc\b")
# "Các bộ … có nhiệm vụ quá hạn nêu tại bảng trên khẩn trương hoàn thành …": the table's rows are the tasks.
_TABLE_ABOVE = re.compile(r"\bnhiem vu\b[^.;]{0,120}" + TABLE_REF)
# Sentences that give no work of their own, each with the reason a segment shows (app.messages
# IMPORT_SEGMENT_REASONS); searched in a piece's folded text, and matched at the start of a draft's title.
NO_WORK = (
    # "Bộ Tài chính chịu trách nhiệm toàn diện về tính chính xác của thông tin, số liệu …": it answers for what it
    # sent.
    (re.compile(r"(?:^|\bchiu trach nhiem\s+)(?:toan dien\s+)?ve tinh (?:chinh xac|trung thuc|hop phap|hop le)\b"),
     "accountability"),
    # "Các bộ, ngành phải xác định phát triển khoa học … là đột phá quan trọng hàng đầu": an orientation.
    (re.compile(r"(?:^|\bphai\s+)(?:xac dinh|coi)\b[^.;:]{0,160}?\sla (?:dot pha|nhiem vu|khau|giai phap|dong luc"
                r"|trong tam|uu tien|then chot|yeu cau)\b"), "principle"),
    # "… quyết tâm cao nhất, làm việc cả ngày nghỉ, "chỉ bàn làm, không bàn lùi" …": an exhortation to everyone.
    (re.compile(r"^(?:[^.;:]{0,40}\s)?quyet tam cao (?:nhat|do)\b|\bchi ban lam,? khong ban lui\b"), "principle"),
    # "Các đồng chí Thứ trưởng theo lĩnh vực được phân công trực tiếp chỉ đạo, đôn đốc …": the leaders oversee.
    (re.compile(r"(?:^|\b)(?:cac )?(?:dong chi (?:pho )?|pho )(?:thu truong|chu tich|thu tuong|giam doc|lanh dao"
                r"|thanh vien)\b"
                r"[^.;]{0,100}\bchi dao,? (?:don doc|kiem tra|theo doi)\b"), "oversight"),
    # "… đề nghị các địa phương trong vùng nghiên cứu, học tập": learn from a good example.
    (re.compile(r"(?:^|\bde nghi [^.;]{0,80}?)(?:[a-z ]{0,30}\s)?(?:nghien cuu,? )?hoc tap(?: kinh nghiem)?\s*\.?\s*$"),
     "principle"),
    # A letter's closing: "Bộ … đề nghị Ủy ban nhân dân các tỉnh … quan tâm, chỉ đạo thực hiện (ngay)."
    (re.compile(r"(?:^|\bde nghi [^.;]{0,120}?)quan tam,? chi dao(?: thuc hien)?(?: ngay)?\s*\.?\s*$"), "closing"),
    # "Thống nhất với đề xuất của tỉnh về …", "Đồng ý chủ trương …": an answer agreeing, no work asked.
    (re.compile(r"^(?:[a-z ]{0,40}\s)?(?:thong nhat|dong y|nhat tri)(?: voi| ve)? "
                r"(?:de xuat|de nghi|kien nghi|chu truong)\b"),
     "praise"),
    # A plan's closing: "Trong quá trình tổ chức thực hiện, nếu có khó khăn, vướng mắc, các cơ quan kịp thời phản ánh
    # về Sở Tài chính để tổng hợp, báo cáo …": how to raise problems, no work of its own.
    (re.compile(r"^(?:trong qua trinh (?:to chuc )?(?:thuc hien|trien khai)[^.;,]{0,40},\s*)?neu co (?:phat sinh )?"
                r"(?:kho khan|vuong mac|van de phat sinh)\b[^.;]{0,160}\b(?:phan anh|bao cao|gui|de xuat)\b"),
     "closing"),
    # "Đề nghị Sở X căn cứ quy định hiện hành để tham mưu Ủy ban nhân dân tỉnh thực hiện": the rule already says what
    # to do; nothing new is asked.
    (re.compile(r"(?:^|\bde nghi [^.;]{0,120}?)can cu\s[^.;]{0,80}?\b(?:hien hanh|da ban hanh|phap luat)\b"
                r"[^.;]{0,80}?\b(?:thuc hien|xu ly|giai quyet|trien khai)(?: theo (?:tham quyen|quy dinh))?"
                r"(?:,\s*khong can [^.;]{0,80})?\s*\.?\s*$"), "existing_rule"),
    # "Việc vận hành các hồ chứa tiếp tục tuân thủ Quy trình vận hành liên hồ chứa …": a rule already in force.
    (re.compile(r"^(?:viec [^.;]{0,80}\s)?tiep tuc tuan thu\b"), "existing_rule"),
    # An appendix's "Chỉ tiêu: đón 24 triệu lượt khách …": a figure to reach, which the tasks serve.
    (re.compile(r"^(?:\S{1,6}\s+)?chi tieu(?: [a-z]+){0,3}\s*:"), "target"),
    # "Trên đây là Kế hoạch tổ chức …; đề nghị các cơ quan triển khai thực hiện": the plan's closing.
    (re.compile(r"^tren day la (?:ke hoach|chuong trinh|noi dung|y kien|ket luan)\b"), "closing"),
    # "Bộ Công an rất mong nhận được sự quan tâm, phối hợp của Quý cơ quan./.": a letter's courtesy.
    (re.compile(r"^(?:[^.;]{0,60}\s)?(?:rat |tran trong )?mong (?:nhan duoc )?(?:su )?(?:quan tam|phoi hop|ung ho"
                r"|giup do)\b"),
     "closing"),
    # "… đề nghị các đơn vị triển khai thực hiện./.": a letter's closing, with no work named.
    (re.compile(r"^(?:nghiem tuc |khan truong |kip thoi )?(?:trien khai|to chuc)(?: thuc hien)?\s*[./]*\s*$"),
     "closing"),
    # "Bộ Tài chính tổng hợp chung trong phương án điều chỉnh nêu tại điểm a khoản 2 Mục này": done within a task the
    # notice gives elsewhere.
    (re.compile(r"(?:^|[;:]\s*)(?:[^.;:]{0,60}\s)?(?:tong hop|xem xet|xu ly)(?: chung)? (?:trong|vao)\s[^.;]{0,80}"
                r"\bneu tai\s"
                r"(?:diem|khoan|muc|tiet)\s[^.;]{0,40}\b(?:nay|tren)\s*\.?\s*$"), "covered"),
    # "Thủ trưởng các đơn vị căn cứ nhiệm vụ được giao tại Kế hoạch này chủ động tổ chức triển khai …", "Đề nghị
    # các tỉnh phối hợp với Bộ … trong quá trình triển khai Kế hoạch này": the plan's standard sentences on who
    # carries it out.
    (re.compile(r"^(?:tai|theo) (?:ke hoach|thong bao|chi thi|quyet dinh|ket luan|van ban) nay\b"
                r"|^trong qua trinh (?:to chuc )?(?:trien khai|thuc hien)(?: [a-z]+){0,3} (?:nay|tren)\s*\.?\s*$"),
     "responsibility"),
    # "Tập trung làm việc ngay, không để ảnh hưởng đến tiến độ …": an exhortation.
    (re.compile(r"^(?:tap trung )?lam viec ngay,? khong de anh huong\b"), "principle"),
)


def no_work(folded: str, *, anywhere: bool) -> str | None:
    """The reason `folded` gives no work (NO_WORK), or None: `anywhere` for a piece, else at a title's start."""
    for pattern, reason in NO_WORK:
        if (pattern.search(folded) if anywhere else pattern.match(folded)):
            return reason
    return None


# "Đối với nhiệm vụ "xây dựng Đề án …" giao Bộ X …, đến nay chưa hoàn thành: … khẩn trương hoàn thiện Đề án, trình
# …": the work asked now names its document without its name, which the recalled task gives.
_RECALLED_TASK = re.compile(r"(?:doi voi|ve) (?:cac )?nhiem vu\b")
_BARE_DOCUMENT = re.compile(r"\b(?:de an|ke hoach|bao cao|nghi dinh|thong tu|quyet dinh|du thao|ho so)\s*(?:,|$)")


def _no_work_of_its_own(folded_title: str, dated: bool, recurring: bool) -> bool:
    """A title that names no work (NO_WORK); one with a date or a cadence of its own still asks for work, except a
    target ("Chỉ tiêu: … đạt 40% trong năm 2027"), which is never a task."""
    reason = no_work(folded_title, anywhere=False)
    return reason == "target" or (reason is not None and not dated and not recurring)


_GENERIC = re.compile(r"(?:xem xet|xu ly|thuc hien|trien khai|giai quyet|tong hop|theo doi|chi dao|tiep thu|nghien cuu"
                      r"|phoi hop|lam ro|kiem tra|tra loi"
                      # "… đến nay chưa hoàn thành: đề nghị Bộ X khẩn trương hoàn thành, báo cáo …": the recalled work
                      r"|hoan thanh(?=,|\s+(?:bao cao|trinh|gui)\b|\s*$))\b")


def drafts_for(state: ParseState, asg: Assignment, node: Node, *, start: int | None) -> list[Draft]:
    """The assignment's drafts (none when it names no work), added to state.drafts. `start`: where its source begins
    when not at the assignment (the paragraph's label)."""
    s = state.s
    chosen = deadline_rule.chosen_for(state, asg)
    title = _title(state, asg, chosen)
    dtype, description = deliverable_rule.of_work(state, asg, chosen)
    # "Nhiệm vụ xây dựng Hệ thống … giao Bộ X tại Thông báo số 205/TB-VPCP …": the work is named before the lead,
    # and what follows it only recalls where it was given; "Việc định giá … do Sở X chủ trì, trình …": the work is
    # the thing named first.
    if asg.context and (_generic(title) or clauses.RECALL.match(Folded(title).s) or asg.named_first
                        or (_RECALLED_TASK.match(s, asg.context[0]) and _BARE_DOCUMENT.search(Folded(title).s))):
        title, dtype, description = _with_context(state, asg.context, title, dtype, description)
    if not title or _CARRY_OUT_NOTICE.match(Folded(title).s) or _ANSWER_FOR_CARRYING_OUT.match(Folded(title).s) \
            or (state.appendix is not None and _APPENDIX_WORK.match(Folded(title).s)) \
            or _TABLE_ABOVE.search(s, node.para.start if node.para else asg.start, asg.work_end) \
            or _no_work_of_its_own(Folded(title).s, chosen is not None, bool(_recurring(s, asg.start, asg.extent_end))):
        return []
    named = deliverable_rule.named(state, asg)
    if named is not None:
        description = named
    flags = list(dict.fromkeys(asg.flags))
    unreadable = deadline_rule.unreadable(state, asg, chosen)
    recurs = cadence(state, asg.time_first[0] if asg.time_first else asg.work_start, asg.extent_end)
    if recurs is not None:
        flags.append("standing_task")
    if re.search(r"\btiep tuc\b", s[asg.work_start:asg.work_end]):
        flags.append("continuing")
    if asg.inherited:
        flags.append("lead_from_heading")
    common = {"clause_ref": node.ref, "title": title, "deliverable_type": dtype,
              "deliverable_description": description,
              "objective": _phrase(state, _OBJECTIVE, asg.work_start, asg.work_end, chosen),
              "expected_result": _phrase(state, _RESULT, asg.work_start, asg.work_end, chosen),
              "source": _source(state, asg, start)}
    known_coords, unknown_coords = agencies.coordinators(asg)
    # A lead that names no body ("Ủy ban nhân dân huyện", "Giám đốc") makes no draft: its piece is left unread.
    targets = [t for t in agencies.lead_targets(asg) if t.kind != UNKNOWN or not agencies.nameless(t.text)]
    out = []
    for item in targets:
        draft = _draft(item, common, flags, known_coords, unknown_coords, parallel=len(targets) > 1)
        deadline_rule.give(draft, chosen, unreadable)
        _give_cadence(draft, recurs)
        out.append(draft)
    state.drafts += out
    return out


def _draft(item: ListItem, common: dict, flags: list[str], known_coords: list[KnownAgency],
           unknown_coords: list[str], *, parallel: bool) -> Draft:
    draft_flags = list(flags)
    lead = item.agency if item.kind == KNOWN else None
    coords = [a for a in known_coords if a is not lead]
    unknown = list(unknown_coords)
    unknown_lead = item.text if item.kind == UNKNOWN else None
    if unknown_lead:
        unknown.insert(0, unknown_lead)
        draft_flags.append("unknown_lead")
    if unknown:
        draft_flags.append("unknown_agency")
    if item.kind == COLLECTIVE:
        draft_flags.append("collective_lead")
    if parallel:
        draft_flags.append("parallel_lead")
    suggestion = None
    if lead is not None and not item.official:
        suggestion = agencies.suggest_official(lead)
        draft_flags.append("suggested_accountable_official")
    return Draft(n=0, lead=lead, collective_lead=item.kind == COLLECTIVE, coordinating=coords,
                 unknown_agencies=unknown, deadline_text=None, deadline_on=None, accountable_official=item.official,
                 suggested_accountable_official=suggestion, flags=draft_flags, unknown_lead=unknown_lead,
                 collective_text=item.text if item.kind == COLLECTIVE else None, **common)


def _with_context(state: ParseState, context: tuple[int, int], title: str, dtype: str,
                  description: str | None) -> tuple[str, str, str | None]:
    """The work is written before the lead ("Xây dựng Đề án ..., giao Bộ Công an chủ trì") or under a topic ("Về đề
    nghị ...: giao Bộ X xem xét, xử lý"): the title keeps it."""
    ca, cb = context
    written = re.sub(r"[\s,;:.]+$", "", state.original(ca, cb)).strip()
    title = f"{written}: {title[:1].lower() + title[1:]}" if title else written
    title = title[:1].upper() + title[1:]
    if dtype == deliverables.KHAC:
        dtype, description = deliverable_rule.of_range(state, ca, cb)
    return title, dtype, description


def _source(state: ParseState, asg: Assignment, start: int | None) -> Source:
    src_start = state.orig(start if start is not None else asg.start)
    src_end = min(state.orig_end(asg.extent_end), len(state.text))
    while src_end > src_start and state.text[src_end - 1] in " \n":
        src_end -= 1
    return Source(src_start, src_end, state.text[src_start:src_end])


def _title(state: ParseState, asg: Assignment, chosen: Deadline | None) -> str:
    """The work as written, without its deadline phrase, a trailing ", phối hợp với ..." or "thường xuyên"."""
    pieces = []
    pos = asg.work_start
    for x, y in sorted(_cuts(state, asg, chosen)):
        if x < pos:
            continue
        pieces.append(state.original(pos, x))
        pos = y
    pieces.append(state.original(pos, asg.work_end))
    title = " ".join(p.strip() for p in pieces if p.strip())
    title = _PAGE_NUMBER_LINE.sub(" ", title)
    title = re.sub(r"\s+", " ", title)
    title = re.sub(r"\s+([,.;:])", r"\1", title)
    folded_title = Folded(title)
    m = _TRAILING_STANDING.search(folded_title.s)
    if m and m.start() > 0 and not _BUDGET_BEFORE.search(folded_title.s, 0, m.start()):
        title = title[:folded_title.orig(m.start())]
    title = re.sub(r"(?:[\s,;:.]|\./\.|\bvà\b)+$", "", title).strip()
    title = re.sub(r",?\s*(?:bao )?gồm$", "", title)  # "…, gồm:" over the list of what it is done on
    title = re.sub(r"^[\s,;:.]+", "", title)
    title = re.sub(r"^(?:[Nn]hiệm vụ|[Nn]ội dung|[Cc]ông việc)\s*:\s*", "", title)  # "Nhiệm vụ: Phân bổ …"
    return title[:1].upper() + title[1:] if title else title


# Budget lines named after their period are not standing tasks: "nguồn chi thường xuyên" (recurrent spending),
# "tổng chi ngân sách hằng năm" (the annual budget).
_BUDGET = re.compile(r"\bchi\s+(?:ngan sach\s+(?:nha nuoc\s+)?)?(?:thuong xuyen|hang nam)\b"
                     r"|\bngan sach\s+(?:nha nuoc\s+)?hang nam\b|\bdu toan\s+(?:chi\s+)?(?:ngan sach\s+)?hang nam\b")
_BUDGET_BEFORE = re.compile(r"\b(?:chi|ngan sach|du toan)(?:\s+ngan sach)?(?:\s+nha nuoc)?\s*$")


def _recurring(s: str, a: int, b: int) -> list[re.Match]:
    """Where s[a:b] says the work recurs ("thường xuyên", "hằng năm"), a budget line so named aside."""
    budget = [(m.start(), m.end()) for m in _BUDGET.finditer(s, a, b)]
    return [m for m in STANDING.finditer(s, a, b) if not any(x <= m.start() < y for x, y in budget)]


def cadence(state: ParseState, a: int, b: int) -> str | None:
    """The words that make the work recur, as written and joined ("thường xuyên, hằng quý" from "… thường xuyên,
    báo cáo kết quả hằng quý"), or None when it does not recur ("" when it recurs on no period a task reports on:
    "định kỳ", "liên tục")."""
    found = _recurring(state.s, a, b)
    if not found:
        return None
    words = list(dict.fromkeys(state.original(m.start(), m.end()).lower() for m in found))
    text = ", ".join(words)
    return text if standing_cadence(text)[0] else ""


def _give_cadence(draft: Draft, recurs: str | None) -> None:
    """A standing task with no date of its own takes its cadence as its deadline: "thường xuyên, hằng quý" is its
    "rõ thời gian" (a task so worded reports each period), kept by every draft made from it."""
    if recurs and draft.deadline_text is None and "standing_task" in draft.flags:
        draft.deadline_text = recurs
        draft.flags = [f for f in draft.flags if f != "no_deadline"]


def _cuts(state: ParseState, asg: Assignment, chosen: Deadline | None) -> list[tuple[int, int]]:
    s = state.s
    a, b = asg.work_start, asg.work_end
    cut: list[tuple[int, int]] = []
    if chosen is not None and a <= chosen.start < b:
        x, y = chosen.start, chosen.end
        # "(hoàn thành trong tháng 12/2026)": a bracket holding only the deadline goes with it.
        opening = re.search(r"\((?:\s*[a-z]+){0,3}\s*:?\s*$", s[a:x])
        closing = re.match(r"[\s.;,]*\)", s[y:])
        if closing and (opening or s.count("(", x, y) > s.count(")", x, y)):
            x, y = (a + opening.start() if opening else x), y + closing.end()
        cut.append((x, y))
    # A trailing ", phối hợp với Bộ Tài chính" belongs to coordinators, not to the work.
    for m in agencies.COORD_ANYWHERE.finditer(s, a, b):
        _, end = state.scan.read_list(m.end(), allow_loose_unknown=True)
        rest = s[end:b]
        if end > m.end() and (not rest.strip(" .;,") or (chosen and end <= chosen.start
                                                           and not s[end:chosen.start].strip(" .;,"))):
            start = m.start()
            while start > a and s[start - 1] in " ,;":
                start -= 1
            cut.append((start, end))
    return cut


def _phrase(state: ParseState, pattern: re.Pattern, a: int, b: int, chosen: Deadline | None) -> str | None:
    m = pattern.search(state.s, a, b)
    if not m:
        return None
    end = b
    stop = _PHRASE_END.search(state.s, m.end(), b)
    if stop:
        end = stop.start()
    if chosen is not None and m.end() <= chosen.start < end:
        end = chosen.start
    text = state.original(m.start(), end).strip(" ,;.")
    return text if len(text.split()) >= 3 else None


def _generic(title: str) -> bool:
    """A work that names no work: "xem xét, xử lý theo quy định", "thực hiện", or nothing at all."""
    folded = Folded(title).s.strip(" .,;:")
    words = folded.split()
    return len(words) <= 2 or (len(words) <= 12 and bool(_GENERIC.match(folded))
                               and not re.search(r"\b(?:de an|nghi dinh|nghi quyet|quyet dinh|thong tu|chi thi|luat"
                                                 r"|ke hoach|he thong|co so du lieu|nen tang)\b", folded))
