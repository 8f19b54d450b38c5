"""The clauses rule: inside one paragraph, its sentences and the assignments they make, in the shapes notices use:
"Giao Bộ X chủ trì, phối hợp với Bộ Y ...", "Đề nghị ...", "Bộ X khẩn trương ...", "(Bộ X chủ trì; thời hạn: ...)"
closing a clause, "Cơ quan chủ trì: Bộ X" after the work, and "Bộ X:" heading a list of items."""

import re

from app.imports.deadlines import INTERNAL_FLAGS, choose, find_deadlines
from app.imports.gazetteer import COLLECTIVE, UNKNOWN, ListItem
from app.imports.rules import agencies
from app.imports.rules.blocks import after_label, label_at
from app.imports.rules.deadlines import THOI_HAN
from app.imports.state import Assignment, Context, ParseState

# ("trao đổi với" folds as "đối với" does: an exchange, no addressee)
_TRIGGER = re.compile(r"\b(?:giao(?: cho| nhiem vu cho| trach nhiem cho)?|de nghi|yeu cau|(?<!trao )doi voi|ve phia"
                      r"|rieng)\s+")
_TRIGGER_BLOCKED = re.compile(r"(?:\btheo|\bcua|\bdap ung|\bve|\bthe|\bcac|\bnhung|\bmot so|\bdung|\bvoi|\bda|\bchuyen"
                              # "ngân sách nhà nước giao cho các cơ quan": money allotted, no addressee
                              r"|\bnha nuoc|\bngan sach|\bvon|\bkinh phi|\bdu toan"
                              r"|\bban|\bduoc|\bco|\bnhan|\bneu|\bkhi)\s+$")
_INTRO = re.compile(
    r"(?:(?:dong thoi|trong do|ngoai ra|ben canh do|truoc mat|sau do|tren co so do|mat khac|theo do|cu the)"
    r"\s*,?\s*|(?:trong|sau|den|tu|truoc|tai|ve|doi voi|de|nham|can cu|tren co so|qua|dinh ky)\s[^,;:()]{0,90},\s*"
    r"|(?:(?:thu tuong|pho thu tuong)(?: chinh phu)?(?: [a-z]+){0,4}?\s+"
    r"(?=(?:da\s+|tung\s+)?(?:giao|de nghi|yeu cau))))")
_SUPERVISOR = re.compile(r"(?:dong chi\s+)?(?:pho )?(?:chu tich|giam doc|bo truong|thu truong)\b[^:;.()]{0,140}?"
                         r"\bchi dao\s+(?=(?:cac|so|bo|ban|uy ban|ubnd|cuc|vu|trung tam|cong an|thanh tra)\b)")
# What a heading's item says of the work already done, or of a remark: no task of the heading's lead.
_NOT_ASKED = re.compile(r"\s*(?:[-+•]\s*)?(?:[a-z ]{0,30}\b(?:ghi nhan|bieu duong|danh gia cao|hoan nghenh)\b"
                        r"|[^.;]{0,60}\bda (?:hoan thanh|ban hanh|thuc hien xong)\b)")
_AT_THE_SAME_TIME = re.compile(r"[,;]\s*dong thoi\s*,?\s+")
_PURPOSE = re.compile(r"(?:Để|để|Nhằm|nhằm)\s")  # on the text as written: folded, "Đề nghị" would be "de nghi"
# "tỉnh Kon Tum (cũ)": a body as it was before a merger.
_FORMER = re.compile(r"\s*(?:\((?:cũ|trước đây)\)|cũ\b)")  # on the text as written: folded, "cử" is "cũ"
_ENUMERATION = re.compile(r",?\s*(?:bao )?gom(?: cac [a-z ]{0,30})?\s*:\s*$")
_SPEAKER = re.compile(r"(?:dai dien|y kien cua|dong chi|ong|ba)\s")
_TOPIC_TRIGGER = re.compile(r"(?:doi voi|ve phia|rieng)\s")
_SUBJECT_ASKS = re.compile(r"yeu cau\s")
# "Thủ tướng Chính phủ đã giao Bộ X ..." recalls an earlier assignment; it is not a new one.
_PAST_TRIGGER = re.compile(r"\b(?:da|tung|da tung|truoc day)\s+$")
# "… tại Thông báo số 205/TB-VPCP …" after an addressee: where a task was given before (also the drafts rule's).
RECALL = re.compile(r"\s*(?:\([^)]{0,60}\)\s*)?tai (?:tb|thong bao|van ban|cong van|quyet dinh|ket luan|chi thi"
                    r"|nghi quyet|ke hoach) so\b")
# "Bộ X đã có Văn bản số 5210/… ngày … đề nghị các tỉnh hoàn thành …": what an earlier letter asked, recalled.
_EARLIER_LETTER = re.compile(r"\bda (?:co|gui|ban hanh)\s+(?:van ban|cong van|thong bao|cong dien|to trinh)\b"
                             r"[^;:]{0,160}$")
# ("đăng tải", "đăng ký" fold as "đang" does: work to do, not work under way)
_DANG = r"dang(?! (?:tai|ky|nhap|tin|bai)\b)"
_PAST = re.compile(r"\s*,?\s*(?:da|" + _DANG + r"|vua|chua|cung da|deu da|buoc dau|co ban|tung|van con|con)\b")
_PAST_QUALIFIED = re.compile(r"\s*,?\s*(?:da|" + _DANG + r"|vua|cung da|deu da|buoc dau|co ban|tung)\b")
# What a review says of an agency, not what a task asks of it.
_REVIEW_CLAUSE = re.compile(r"\b(?:dat ket qua|dat duoc ket qua|co nhieu co gang|chuyen bien tich cuc"
                            r"|duoc danh gia|hoan thanh tot|hoan thanh xuat sac|vuot ke hoach"
                            r"|duoc [^.;]{0,60}(?:bieu duong|khen thuong|ghi nhan))\b")
_NOT_SUBJECT = re.compile(r"\s*(?:va|voi|cua|ve|tai|trong|la(?! co quan| don vi| dau moi)|thi|do|bi|duoc|cung voi"
                          r"|nhan thay|nhan dinh"
                          r"|co the|noi|nhu|ma|cung"
                          r"|ghi nhan|danh gia cao|bao cao ve|phat bieu|trinh bay|tham du|du)\b")
_NAME_TAIL = re.compile(r",\s*((?!(?:cac|nhung|va)\b)[a-z][a-z ]{2,60}?)\s*:?\s*")
_FIELD_HEAD = re.compile(r"(?:vu|cuc|ban|phong|vien|trung tam)\s")
_OF_WHOM = re.compile(r"(?:cua|thuoc|truc thuoc)\s[^.;:]{1,60}[:.]?")
_TIME_FIRST = re.compile(r"\s*(?:truoc|trong|cham nhat|den het|han chot)\s[^,;:]{0,80},\s*$")
_EXCEPT = re.compile(r"tru\s")
_AFTER_EXCEPTIONS = re.compile(r",\s*(cac\s)")
_ISSUER_SPEAKS = re.compile(r"\s*(?:\([^)]{0,100}\)\s*)?(?:rat mong|tran trong|de nghi|yeu cau|giao|thong bao"
                            r"|trao doi|nhan duoc|se|da|san sang|xin|cam on|thong nhat|dong y|co y kien)\b")
_ASK_AFTER_TOPIC = re.compile(r"\)\s*:\s*(?:de nghi|yeu cau)\s+")
_MEMBERS = re.compile(r"\((?:gom|bao gom|cu the)\s*:?\s*")
_NOMINAL_WORK = re.compile(r"viec\s")
_LEAD_LAST = re.compile(r"\b(?:do(?= [^,;:.]{3,120}? (?:chu tri|phu trach|thuc hien)\b)|(?:duoc )?giao cho)\s+")
_STRUCT_LEAD = re.compile(r"\b(?:co quan|don vi)\s+chu tri\s*:\s*")
_STRUCT_COORD = re.compile(r"\b(?:co quan|don vi)\s+phoi hop\s*:\s*")
_SENTENCE_END = re.compile(r"[.!?](?:\s*/\s*\.)?(?=\s+\S|\s*$)")
_ABBREVIATIONS = {"tp", "tt", "ts", "ths", "pgs", "gs", "st", "tx", "kt", "tl", "tm", "q", "p", "v", "no", "ttg", "nd",
                  "cp", "qd", "ubnd", "hdnd", "bs", "ks"}
_INLINE_LABEL = re.compile(r"(?:(?<=[:;.])|(?<=[:;.]\s))\s*(?:(?P<lower>[a-zđ])\)|\((?P<pnum>\d{1,2})\)"
                           r"|(?P<numparen>\d{1,2})\)|(?P<plus>\+))\s+")
# What a subject is said to be or to undergo, never asked to do: "… chiếm gần 70% số ổ dịch", "mỗi doanh nghiệp
# không bị thanh tra quá 01 lần".
_NEVER_ASKED = re.compile(r"\s*,?\s*(?:chiem|khong bi|khong phai chiu)\b")
# "Phần thứ ba", "Phần II": a plan's part, no item of the unit above it.
PART_HEADING = re.compile(r"\s*phan (?:thu )?(?:nhat|hai|ba|tu|nam|sau|mot|[ivx]+|\d+)\s*[.:]?\s*")
_LIST_INTRO = re.compile(r"(?:sau|nhu sau|cu the|sau day|gom|bao gom|cac noi dung|cac nhiem vu[a-z ]*)\s*:?\s*$")


def opens_with_trigger(text: str) -> bool:
    return bool(_TRIGGER.match(text))


def has_text(text: str) -> bool:
    return bool(text.strip(" .;,:"))


# ---- sentences ----


def sentences(state: ParseState, a: int, b: int) -> list[tuple[int, int]]:
    """folded[a:b] in sentences: a full stop ends one unless it is inside an agency's name, after an abbreviation
    ("TP.", "Nghị định số 123/2020/NĐ-CP."), inside a number, or followed by a word in lower case."""
    s = state.s
    out = []
    start = a
    for m in _SENTENCE_END.finditer(s, a, b):
        dot = m.start()
        if s[dot] == "." and (state.inside_mention(dot) or state.inside_mention(dot + 1)):
            continue
        word = re.search(r"([a-z0-9]+)$", s[max(a, dot - 8):dot])
        if s[dot] == "." and word and (word.group(1) in _ABBREVIATIONS or word.group(1).isdigit()
                                       and dot + 1 < b and s[dot + 1].isdigit()):
            continue
        nxt = m.end()
        while nxt < b and s[nxt] == " ":
            nxt += 1
        if nxt < b and not (state.upper_at(nxt) or s[nxt].isdigit() or s[nxt] in "(-+"):
            continue
        out.append((start, m.end()))
        start = nxt
    if start < b:
        out.append((start, b))
    return [(x, y) for x, y in out if state.s[x:y].strip()]


def sentence_end(state: ParseState, a: int, b: int) -> int:
    for x, y in sentences(state, a, b):
        if has_text(state.s[x:y]):
            return y
    return b


# ---- assignments ----


def assignments(state: ParseState, a: int, b: int, ctx: Context, *, has_children: bool) -> list[Assignment]:
    """The assignments of folded[a:b], each running to the next; without one, the heading's lead (ctx.lead) is the
    lead of the whole paragraph."""
    found: list[Assignment] = []
    for sa, sb in sentences(state, a, b):
        _sentence_assignments(state, sa, sb, ctx, found)
    found.sort(key=lambda x: x.start)
    # "Nhiệm vụ giao Bộ TT&TT tại TB số 48/TB-TGV …: đề nghị Bộ KH&CN ban hành …": where the work was given before,
    # then who is asked now; the recalled addressee is no lead when a new one follows.
    found = [f for i, f in enumerate(found) if not (i + 1 < len(found) and RECALL.match(state.s, f.work_start, b))]
    # Each assignment runs to the next one; a sentence without a subject continues the one before it.
    for i, asg in enumerate(found):
        nxt = found[i + 1].start if i + 1 < len(found) else b
        asg.extent_end = max(asg.work_start, nxt)
        if asg.bracket is None:
            asg.work_end = sentence_end(state, asg.work_start, asg.extent_end)
        else:
            asg.extent_end = max(asg.extent_end, asg.bracket[1])
    heads_its_items = has_children and len(state.s[a:b].split()) <= 15 and not re.search(r"[.;]\s*$", state.s[a:b])
    part_heading = PART_HEADING.fullmatch(state.s, a, b) is not None
    if not found and ctx.lead and not ctx.review and not _NOT_ASKED.match(state.s, a, b) and not heads_its_items \
            and not part_heading:
        asg = Assignment(a, ctx.lead, a, b, b, inherited=True, coords=list(ctx.coords), default_deadline=ctx.deadline)
        asg.work_start = agencies.roles(state, asg, a, b)
        _time_first(state, asg, b)
        asg.work_end = sentence_end(state, asg.work_start, b)
        if state.s[asg.work_start:b].strip(" .;:"):
            found.append(asg)
    for asg in found:
        _finish(state, asg, has_children)
    return [part for asg in found for part in _dated_parts(state, asg)]


_ROLE_STATEMENT = re.compile(r"(?:la (?:don vi|co quan)(?: dau moi| thuong truc| chu tri)?|giup (?:bo truong|chu tich"
                             r"|thu tuong|giam doc|truong ban))\b")


def _own_work_and_date(state: ParseState, x: int, y: int) -> bool:
    """Whether s[x:y] is a work with a date of its own ("xây dựng phương án …, trình … trước 10/12"), not a bare
    "thời hạn: tháng 5/2025" that times the work before it."""
    if THOI_HAN.match(state.s, x, y):
        return False
    dates = [d for d in find_deadlines(state.folded, x, y, state.info.issued_on)
             if d.on is not None and not set(d.flags) & INTERNAL_FLAGS]
    return bool(dates) and len(state.s[x:dates[0].start].split()) >= 2


def _dated_parts(state: ParseState, asg: Assignment) -> list[Assignment]:
    """Work that gives two dated tasks or more, one draft each: sentences each with a date of their own ("Chủ trì
    nâng cấp …, hoàn thành trong tháng 3/2027. Chủ trì … triển khai …, hoàn thành trong quý II/2027."), or parts of
    one sentence parted by semicolons, two or more of them with a date of their own ("… trước ngày 20/12; xây dựng
    phương án …, trình Bộ Xây dựng trước 10/12"). What has no date of its own stays with the dated piece before it
    (or, at the start, the one after it): "…, chậm nhất ngày 15/12; tổ chức giao ban hằng tuần" is one task."""
    if asg.heading or asg.bracket or asg.time_first:
        return [asg]
    units = _work_units(state, asg.work_start, asg.extent_end)
    dated = [_own_work_and_date(state, x, y) for x, y in units]
    if len(units) > 1 and not dated[0] and any(dated) and _ROLE_STATEMENT.match(state.s, units[0][0]) \
            and state.s[units[0][0]:units[0][1]].rstrip().endswith("."):
        # "Cục X: Là đơn vị đầu mối giúp Bộ trưởng …. Chủ trì … trong quý I/2027": the unit's role, then its work.
        units, dated = units[1:], dated[1:]
        asg.work_start = agencies.roles(state, asg, units[0][0], asg.extent_end)
        asg.work_end = sentence_end(state, asg.work_start, asg.extent_end)
    if sum(dated) < 2:
        return [asg]
    starts = [x for (x, _), d in zip(units, dated, strict=True) if d]
    starts[0] = asg.work_start
    parts: list[Assignment] = []
    for i, x in enumerate(starts):
        y = starts[i + 1] if i + 1 < len(starts) else asg.extent_end
        part = Assignment(asg.start if i == 0 else x, asg.items, x, sentence_end(state, x, y), y,
                          coords=[c for c in asg.coords if c.start < asg.work_start or x <= c.start < y],
                          flags=list(asg.flags), inherited=asg.inherited, default_deadline=asg.default_deadline,
                          context=asg.context if i == 0 else None)
        if i > 0:  # "…. Chủ trì, phối hợp với Bộ Công an triển khai …": the part's own roles
            part.work_start = agencies.roles(state, part, x, y)
            part.work_end = sentence_end(state, part.work_start, y)
        parts.append(part)
    return parts


def _work_units(state: ParseState, a: int, b: int) -> list[tuple[int, int]]:
    """The sentences of s[a:b]; a sentence whose semicolon parts hold two dates of their own or more, by its parts."""
    s = state.s
    units: list[tuple[int, int]] = []
    for x, y in sentences(state, a, b):
        x, y = max(x, a), min(y, b)
        cuts = [x] + [x + m.end() for m in re.finditer(r";\s*", s[x:y])
                      if s.count("(", x, x + m.start()) == s.count(")", x, x + m.start()) and x + m.end() < y]
        parts = list(zip(cuts, [*cuts[1:], y], strict=True))
        if sum(_own_work_and_date(state, p, q) for p, q in parts) >= 2:
            units += parts
        elif x < y:
            units.append((x, y))
    return units


def _time_first(state: ParseState, asg: Assignment, b: int) -> None:
    """"- Thời hạn: trước ngày 31/10/2026. Hoàn thành kiểm tra …": an item that gives its time first, then its work."""
    first = THOI_HAN.match(state.s, asg.work_start, b)
    if first is None or ":" not in state.s[first.end():first.end() + 3]:
        return
    end = sentence_end(state, asg.work_start, b)
    if state.s[end:b].strip(" .;"):
        asg.default_deadline = choose(find_deadlines(state.folded, asg.work_start, end, state.info.issued_on)) \
            or asg.default_deadline
        asg.time_first = (asg.work_start, end)
        asg.work_start = end
        while asg.work_start < b and state.s[asg.work_start] == " ":
            asg.work_start += 1


def _sentence_assignments(state: ParseState, sa: int, sb: int, ctx: Context, found: list[Assignment]) -> None:
    first = after_label(state, sa)
    subject_led = False
    for pos, triggered, anchor in clause_starts(state, sa, sb):
        if ctx.review and (not triggered or _TOPIC_TRIGGER.match(state.s, anchor) or _SPEAKER.match(state.s, first)):
            continue  # a review's "đối với các tập đoàn …" names what it speaks of; "Đại diện Bộ X đề nghị …", a view
        if triggered and subject_led and _SUBJECT_ASKS.match(state.s, anchor):
            # "Sở Công Thương chủ trì …; yêu cầu các doanh nghiệp kinh doanh xăng dầu bảo đảm nguồn cung": the agency
            # named first asks this of those it oversees; it is its work, not a second addressee of the notice.
            continue
        asg = subject_at(state, pos, sb, triggered)
        intro = max(first, state.s.rfind(";", sa, pos) + 1, state.s.rfind(":", sa, pos) + 1)
        if asg is not None and not triggered and _TIME_FIRST.match(state.s, intro, pos) \
                and asg.default_deadline is None:
            # "Trước ngày 15/12/2026, Tổng công ty … hoàn thành …", "Trong tháng 3/2027, Sở Y tế …": the time first.
            asg.default_deadline = choose(find_deadlines(state.folded, intro, pos, state.info.issued_on))
        if asg is not None and not any(f.start <= pos < f.work_start for f in found):
            if anchor > first + 3 and not any(first <= f.start < anchor and not RECALL.match(state.s, f.work_start, sb)
                                              for f in found):
                asg.context = (first, anchor)
                asg.named_first = triggered and _LEAD_LAST.match(state.s, anchor) is not None
            asg.start = min(asg.start, anchor)
            found.append(asg)
            subject_led = subject_led or (not triggered and pos <= first + 3)
    # A bracket in a review ("(Bộ Công an chủ trì triển khai Đề án 06 đạt kết quả nổi bật)") assigns nothing.
    bracket = bracketed(state, sa, sb) if not ctx.review and not any(sa <= f.start < sb for f in found) else None
    if bracket is not None:
        found.append(bracket)


def clause_starts(state: ParseState, a: int, b: int) -> list[tuple[int, bool, int]]:
    """(where a list of addressees may start, whether a word like "giao" announces it, where that word is)."""
    s = state.s
    points = [a]
    for m in re.finditer(r"[;:]\s*", s[a:b]):
        inside_bracket = s.count("(", a, a + m.start()) > s.count(")", a, a + m.start())
        if not inside_bracket and not THOI_HAN.search(s[max(a, a + m.start() - 25):a + m.start()]):
            points.append(a + m.end())
    out: list[tuple[int, bool, int]] = []
    for point in points:
        q = point
        for _ in range(2):
            m = _INTRO.match(s, q, b)
            if m and not state.scan.mention_at.get(q):
                q = m.end()
        t = _TRIGGER.match(s, q, b)
        if t and (_PAST_TRIGGER.search(s, max(a, q - 12), q) or _EARLIER_LETTER.search(s, a, q)):
            continue
        out.append((t.end(), True, q) if t else (q, False, q))
        if point == a and _PURPOSE.match(state.text, state.orig(after_label(state, point))) \
                and not _TRIGGER.search(s, a, b):
            # "Để chủ động cắt, giảm lũ cho vùng hạ du, Bộ Công Thương chỉ đạo ...": the purpose may hold commas;
            # the subject comes after one of them.
            out += [(point + m.end(), False, point + m.end())
                    for m in re.finditer(r",\s*", s[point:min(b, point + 160)]) if point + m.end() != q]
    if _EXCEPT.match(s, after_label(state, a)):
        # "Trừ thành phố Hà Nội, tỉnh Bắc Ninh đã hoàn thành, các tỉnh, thành phố còn lại hoàn thành …": the
        # subject follows the exceptions.
        out += [(m.start(1), False, m.start(1)) for m in _AFTER_EXCEPTIONS.finditer(s, a, b)]
    out += [(t.end(), True, t.start()) for t in _TRIGGER.finditer(s, a, b)
            if _announces(state, t, a) and not any(pos == t.end() for pos, _, _ in out)]
    for m in _AT_THE_SAME_TIME.finditer(s, a, b):
        # "Bộ Tài chính kiểm tra …, đồng thời Ủy ban nhân dân các tỉnh chỉ đạo …": a second assignment in the sentence,
        # read when an addressee follows (a second action of the same agency has none).
        out.append((m.end(), False, m.start()))
    struct = _STRUCT_LEAD.search(s, a, b)
    if struct:
        out.append((struct.end(), True, struct.start()))
    return sorted(set(out + _lead_last(state, a, b)))


def _announces(state: ParseState, t: re.Match, a: int) -> bool:
    """Whether the trigger word `t` inside the sentence from `a` announces addressees."""
    s = state.s
    if state.inside_mention(t.start()) or state.inside_mention(t.start() + 1):
        return False
    if _PAST_TRIGGER.search(s, max(a, t.start() - 12), t.start()) or _EARLIER_LETTER.search(s, a, t.start()):
        return False
    if _TRIGGER_BLOCKED.search(s, max(a, t.start() - 15), t.start()):
        return False
    # "xử lý trách nhiệm đối với người đứng đầu …": a preposition inside the work, no new topic.
    before = s[a:t.start()].rstrip()
    return not (_TOPIC_TRIGGER.match(s, t.start()) and before and before[-1] not in ",;:")


def _lead_last(state: ParseState, a: int, b: int) -> list[tuple[int, bool, int]]:
    """"Việc xác định giá cát … do Sở Xây dựng chủ trì thực hiện", "Việc đánh giá tác động … được giao cho Bộ X":
    the work named first, its lead after it."""
    if not _NOMINAL_WORK.match(state.s, after_label(state, a), b):
        return []
    return [(m.end(), True, m.start()) for m in _LEAD_LAST.finditer(state.s, a, b)
            if not state.inside_mention(m.start())]


def _former(state: ParseState, end: int) -> bool:
    at = state.orig(end)
    return _FORMER.match(state.text[at:at + 14].lower()) is not None


def subject_at(state: ParseState, pos: int, b: int, triggered: bool) -> Assignment | None:
    """The assignment whose addressees start at `pos`, or None when what is there is no subject of a task."""
    s = state.s
    supervisor = _SUPERVISOR.match(s, pos, b) if triggered else None
    if supervisor:
        # "Giao đồng chí Phó Chủ tịch … phụ trách lĩnh vực … chỉ đạo Sở Y tế: …": the official oversees; the
        # agencies after "chỉ đạo" do the work.
        pos = supervisor.end()
    items, end = state.scan.read_list(pos, allow_loose_unknown=False)
    items = [i for i in items if i.end <= b]
    if not items or _former(state, items[-1].end):
        return None  # "tỉnh Kon Tum (cũ)": a body that no longer is, named in a review, never asked anything
    # A collective is often narrowed by what follows it: "các bộ, ngành, địa phương chưa ban hành Kế hoạch ...
    # khẩn trương ban hành", "các bộ ... được giao kế hoạch vốn ... tập trung ...". So is a triggered list.
    qualified = items[-1].kind == COLLECTIVE or triggered
    past = _PAST_QUALIFIED if qualified else _PAST
    if not triggered and not _untriggered_subject(state, items, pos, end, b, qualified):
        return None
    # "(Bộ Nội vụ chủ trì, ...)" at the end is read by `bracketed`.
    if pos > 0 and s[pos - 1] == "(":
        return None
    if past.match(s, end) or _NEVER_ASKED.match(s, end):
        return None
    named = _named_members(state, items, end, b)
    asg = Assignment(pos, named, end, b, b)
    asg.work_start = agencies.roles(state, asg, end, b)
    if named is not items and (ask := _ASK_AFTER_TOPIC.search(s, asg.work_start, b)) is not None:
        asg.work_start = ask.end()  # "Đối với các địa phương … (gồm: …): đề nghị khẩn trương hoàn thiện …"
    if past.match(s, asg.work_start) or _NEVER_ASKED.match(s, asg.work_start):
        return None
    struct = _STRUCT_LEAD.search(s, max(0, pos - 30), pos + 1)
    if struct and struct.end() == pos:
        # "Cơ quan chủ trì: X" names the lead of the work written before it.
        return _structured(state, asg, struct.start())
    return asg


def _named_members(state: ParseState, items: list, end: int, b: int) -> list:
    """"các địa phương chưa gửi báo cáo … (gồm: Thành phố Hải Phòng và các tỉnh: Lào Cai, Gia Lai)": a collective
    the notice names member by member in a bracket is those members."""
    if items[-1].kind != COLLECTIVE:
        return items
    m = _MEMBERS.search(state.s, end, min(b, end + 300))
    if m is None or ":" in state.s[end:m.start()].replace("gom:", ""):
        return items
    close = state.s.find(")", m.end(), b)
    members, _ = state.scan.read_list(m.end(), allow_loose_unknown=False)
    heads = [i for i in members if i.kind == COLLECTIVE and state.s.startswith(":", i.end)]
    if heads:  # "… Hải Phòng và các tỉnh: Lào Cai, Gia Lai": a list head, then the names it heads
        members += state.scan.read_list(heads[0].start, allow_loose_unknown=False)[0]
    members = [i for i in members if i.kind != COLLECTIVE and (close == -1 or i.end <= close)]
    return items[:-1] + members if members else items


def _untriggered_subject(state: ParseState, items, pos: int, end: int, b: int, qualified: bool) -> bool:
    """Whether a list no "giao" announces is the subject of a task ("Bộ Y tế khẩn trương ..."), not of a review
    ("Bộ Y tế đã đạt kết quả ...") nor a name inside a phrase ("... của Bộ Y tế")."""
    s = state.s
    if items[0].kind == UNKNOWN and state.scan.org_head_at(items[0].start) is None:
        return False
    not_subject = _NOT_SUBJECT.match(s, end)
    # A collective narrowed by what it is ("các tỉnh … được giao vốn", "… bị ảnh hưởng của bão số 3") is a subject.
    if not_subject and not (qualified and re.match(r"\s*(?:duoc|bi anh huong)\b", s[end:b])):
        return False
    if s.startswith("(", end) and not s.startswith("(", pos) and not agencies.ROLE_PAREN.match(s, end):
        return False
    if len(items) == 1 and items[0].agency is not None and items[0].agency in agencies.issuers(state) \
            and _ISSUER_SPEAKS.match(s, end):
        return False  # "Bộ Công an (…) đề nghị các bộ …", "Bộ Công an rất mong …": the letter's own voice
    return not _REVIEW_CLAUSE.search(s, end, sentence_end(state, end, b))


def _structured(state: ParseState, asg: Assignment, marker: int) -> Assignment | None:
    s = state.s
    para_start = s.rfind("\n", 0, marker) + 1
    work_start = para_start
    kind, _, body = label_at(state, para_start) if para_start < len(s) else (None, None, para_start)
    if kind:
        work_start = body
    asg.bracket = (marker, asg.extent_end)
    asg.start = work_start
    coord = _STRUCT_COORD.search(s, marker, asg.extent_end)
    if coord:
        items, _ = state.scan.read_list(coord.end(), allow_loose_unknown=True)
        asg.coords += [i for i in items if i.kind != COLLECTIVE]
    asg.work_start = work_start
    asg.work_end = marker
    return asg


_BRACKET_PART = re.compile(r"\s*;\s*|\s+[-–]\s+")
# What may follow the addressees in their bracket: nothing, "chủ trì", ", phối hợp với …", "theo chức năng …".
_BRACKET_ROLE = re.compile(r"\s*(?:(?:,\s*)?chu tri\b|,\s*phoi hop\b|theo chuc nang\b|thuc hien\b|[.,]?\s*$)")


def bracketed(state: ParseState, a: int, b: int) -> Assignment | None:
    """"(1) Xây dựng Đề án ... (Bộ Nội vụ chủ trì, phối hợp với ...; thời hạn: quý II/2023)." The bracket's parts,
    split at ";" or " - ", in any order: the one that names the addressees ("Bộ X chủ trì", "Bộ X, Bộ Y theo chức
    năng", "Bộ X" alone) leads; a part that names helpers ("các bộ phối hợp") or the time does not."""
    s = state.s
    for m in re.finditer(r"\(", s[a:b]):
        open_at = a + m.start()
        close = s.find(")", open_at, b)
        close = b if close == -1 else close
        # "(Bộ Nội vụ chủ trì, ...)" or "(Bộ Y tế)." closing the clause (or another bracket after it); "Bộ Thông tin
        # và Truyền thông (Bộ TTTT), VPCP ..." is a name and its abbreviation.
        closes_clause = re.match(r"\s*(?:[.;(]|$)", s[min(close + 1, b):b]) is not None
        found = _bracket_lead(state, open_at + 1, close, closes_clause)
        if found is None:
            continue
        items, end, part_end = found
        close_end = min(close + 1, b)
        asg = Assignment(a, items, a, open_at, close_end, bracket=(open_at, close_end))
        agencies.roles(state, asg, end, part_end)
        for c in agencies.COORD_ANYWHERE.finditer(s, end, close):
            coords, _ = state.scan.read_list(c.end(), allow_loose_unknown=True)
            asg.coords += [i for i in coords if i.kind != COLLECTIVE and i not in asg.coords]
        asg.work_start = after_label(state, a)
        asg.work_end = open_at
        return asg
    return None


def _bracket_lead(state: ParseState, a: int, b: int, closes_clause: bool):
    """(addressees, where they end, where their part ends) of the bracket s[a:b], or None."""
    s = state.s
    starts = [a] + [a + m.end() for m in _BRACKET_PART.finditer(s[a:b])]
    ends = [a + m.start() for m in _BRACKET_PART.finditer(s[a:b])] + [b]
    for start, end_of_part in zip(starts, ends, strict=True):
        items, end = state.scan.read_list(start, allow_loose_unknown=False)
        items = [i for i in items if i.end <= end_of_part]
        if not items or items[0].kind == UNKNOWN and state.scan.org_head_at(items[0].start) is None:
            continue
        rest = s[end:end_of_part]
        if re.match(r"\s*phoi hop\b", rest):
            continue  # "các bộ, cơ quan ngang bộ phối hợp": the helpers
        leads = re.match(r"\s*(?:,\s*)?chu tri\b", rest) is not None
        if leads or (closes_clause and _BRACKET_ROLE.match(rest)):
            return items, end, end_of_part
    return None


def _finish(state: ParseState, asg: Assignment, has_children: bool) -> None:
    """Whether the assignment heads a list (asg.heading) rather than making a task; its last roles and coordinators."""
    s = state.s
    work = s[asg.work_start:asg.extent_end].strip()
    if has_children and (not work.strip(" .;:") or _OF_WHOM.fullmatch(work) or _whole_name(state, asg)):
        asg.heading = True  # "6. Đối với các Ban của Tập đoàn", "IV. Vụ Kế hoạch, Tài chính" over its items
        return
    if work.startswith(":"):
        # "Bộ Y tế: ..." -- a heading over a list, or the lead of the one task that follows the colon.
        if not work[1:].strip(" .;") or inline_items(state, asg.work_start, asg.extent_end):
            asg.heading = True
            return
        asg.work_start = agencies.roles(state, asg, s.index(":", asg.work_start) + 1, asg.extent_end)
        asg.work_end = max(asg.work_end, asg.work_start)
    if has_children and _ENUMERATION.search(work) and len(work.split()) > 6:
        # "Chủ trì … tháo gỡ vướng mắc mặt bằng tại 07 dự án trọng điểm, hoàn thành trước 15/01/2027, gồm:": the
        # items below name the projects; the work is this one task.
        asg.enumerates = True
        asg.work_end = asg.extent_end
    elif work.endswith(":") and asg.work_end >= asg.extent_end - 1 and (has_children or not work[:-1].strip()
                                                                      or _LIST_INTRO.search(work)):
        asg.heading = True
        return
    colon = s.find(":", asg.work_start, asg.extent_end)
    if colon != -1 and inline_items(state, asg.work_start, asg.extent_end) and (
            colon <= asg.work_start + 2 or _LIST_INTRO.search(s[asg.work_start:colon + 1])
            or not s[asg.work_start:colon].strip()):
        asg.heading = True
        return
    mark_urgent(state, asg)
    agencies.coordinators_in_work(state, asg)


def _whole_name(state: ParseState, asg: Assignment) -> bool:
    """"4. Cục Quản lý, giám sát tổ chức tín dụng:", "IV. Vụ Kế hoạch, Tài chính": a heading that is one organisation's
    name and nothing else holds the whole name, its words after a comma too (in lower case, or a department's second
    field); asg.items becomes that name."""
    if len(asg.items) != 1 or asg.items[0].kind != UNKNOWN:
        return False
    item = asg.items[0]
    rest = _NAME_TAIL.fullmatch(state.s, item.end, asg.extent_end)
    if rest is None or (state.upper_at(rest.start(1)) and not (_FIELD_HEAD.match(state.s, item.start)
                                                                and len(rest.group(1).split()) <= 4)):
        return False
    asg.items = [ListItem(UNKNOWN, item.start, rest.end(1), None, state.original(item.start, rest.end(1)).strip())]
    return True


def mark_urgent(state: ParseState, asg: Assignment) -> None:
    """"khẩn trương" in the assignment's own words makes its drafts urgent."""
    if "urgent" not in asg.flags and re.search(r"\bkhan truong\b", state.s[asg.start:asg.work_end]):
        asg.flags.append("urgent")


def inline_items(state: ParseState, a: int, b: int) -> list[tuple[int, int, str]]:
    """"Giao Bộ Xây dựng: a) ...; b) ...": the items after the colon, when their labels run in order."""
    colon = state.s.find(":", a, b)
    if colon == -1:
        return []
    labels = list(_INLINE_LABEL.finditer(state.text, state.orig(colon), state.orig_end(b)))
    if len(labels) < 2:
        return []
    kind = labels[0].lastgroup
    values = [m.group(kind) for m in labels if m.lastgroup == kind]
    if kind == "lower":
        expected = [chr(ord("a") + i) for i in range(len(values))]
        if values != expected[:len(values)] and values[0] != "a":
            return []
    elif kind in ("pnum", "numparen") and values[0] != "1":
        return []
    starts = [m for m in labels if m.lastgroup == kind]
    out = []
    for i, m in enumerate(starts):
        body_start = state.folded.index_of(m.end())
        end = state.folded.index_of(starts[i + 1].start()) if i + 1 < len(starts) else b
        out.append((body_start, end, m.group(kind) if kind != "plus" else f"+{i + 1}"))
    return out
