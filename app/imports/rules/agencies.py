"""The agencies rule: the gazetteer's pass over the whole text (state.scan), what an assignment says of its agencies'
roles ("chủ trì, phối hợp với Bộ Y, Bộ Z"), which agencies lead a draft of their own, and the official who would answer
for the work (offered as a suggestion only)."""

import re

from app.imports.folding import Folded
from app.imports.gazetteer import (
    COLLECTIVE,
    KNOWN,
    PROVINCE,
    UNKNOWN,
    KnownAgency,
    ListItem,
    Mention,
    ScannedText,
)
from app.imports.state import Assignment, ParseState

ROLE = re.compile(
    r"\s*(?:,\s*)?(?:va\s+)?(?:"
    r"(?P<standing>(?:la|lam)\s+(?:co quan|don vi)?\s*(?:thuong truc|dau moi|chu tri|chu quan)"
    r"(?:\s+cua\s+[^,;:]{0,80}?(?=\s*,))?)"
    r"|(?P<function>(?:theo|can cu|tren co so)\s+(?:chuc nang(?:\s*,\s*nhiem vu)?(?:\s*,\s*quyen han)?"
    r"|nhiem vu|tham quyen)(?:\s*,\s*(?:nhiem vu|quyen han))*(?:\s+(?:duoc giao|cua minh|duoc phan cong))?"
    r"|trong pham vi (?:chuc nang|nhiem vu|tham quyen)[a-z ,]{0,40}?(?:duoc giao|cua minh))"
    r"|(?P<lead>chu tri(?:\s*,?\s*(?:va\s+)?(?:chiu trach nhiem|tham muu))?)"
    r"|(?P<urgent>khan truong)"
    r"|(?P<modal>can(?! cu\b)|phai|co trach nhiem|chiu trach nhiem|duoc giao|chu dong|tich cuc|nghiem tuc)"
    r"|(?P<coord>(?:phoi hop|phoi hop chat che|phoi hop chat che voi|chu tri phoi hop)(?:\s+(?:voi|cung))?\s+"
    r"|cung(?:\s+voi)?\s+)"  # "Phòng Y tế: cùng Phòng Văn hóa - Xã hội hướng dẫn …"
    r")\b")
ROLE_PAREN = re.compile(r"\s*\((?=[^()]{0,120}\)).{0,12}?(?:thoi han|thoi gian|chu tri|phoi hop)[^()]*\)")
_COORD_AFTER_LIST = re.compile(r"\s*phoi hop(?: chat che)?(?: thuc hien)?\b")
_PARTY_COMMITTEE = re.compile(r"(?:ban thuong vu\s+)?(?:tinh uy|thanh uy|huyen uy|quan uy|thi uy|dang uy)\b")
COORD_ANYWHERE = re.compile(r"\b(?:phoi hop(?: chat che)?(?: voi| cung)?|su phoi hop cua|cung voi)\s+")


def scan(state: ParseState) -> None:
    """Rule: every agency name in the text, found once for all the rules after it."""
    state.scan = state.gazetteer.scan(state.folded)
    state.mention_starts = [m.start for m in state.scan.mentions]


# A working session with one province ("buổi làm việc với lãnh đạo tỉnh X"), said in the notice's title.
_WORKING_SESSION = re.compile(r"\blam viec (?:voi|tai)\b")
# The province written without its name: "Ủy ban nhân dân tỉnh", "UBND tỉnh", and "tỉnh" after "phối hợp (với)"; a
# city's the same way with "thành phố".
_UNNAMED_PROVINCE = re.compile(r"\b(?:(?:uy ban nhan dan|ubnd) (?P<a>tinh|thanh pho)"
                               r"|(?<=phoi hop voi )(?P<b>tinh|thanh pho)|(?<=phoi hop )(?P<c>tinh|thanh pho))\b")


# An assignee that names no body: an official by title alone, or a People's Committee or department with no name.
_NAMELESS = re.compile(r"(?:(?:pho )?(?:bo truong|thu truong|chu tich|giam doc|tong giam doc|thong doc|chanh van phong"
                       r"|lanh dao|nguoi dung dau)"
                       r"|(?:uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd)(?: (?:tinh|thanh pho|huyen|quan|thi xa|xa"
                       r"|phuong|dac khu|cap tinh|cap huyen|cap xa))?|bo|so|cuc|vu|tong cuc|ban)")


def nameless(name: str) -> bool:
    """Whether an organisation's name, as read, names no body ("Ủy ban nhân dân huyện", "Giám đốc", "Sở")."""
    return _NAMELESS.fullmatch(Folded(name).s.strip(" .,;:")) is not None


def home_province(state: ParseState) -> None:
    """Rule (after the header): in the notice of a working session with one province, the province written without
    its name ("Ủy ban nhân dân tỉnh chủ trì ...", "phối hợp với tỉnh") is that province."""
    home = _home(state)
    if home is None:
        return
    s = state.s
    added = []
    home_is_city = Folded(home.name).s.startswith("thanh pho")
    for m in _UNNAMED_PROVINCE.finditer(s, state.paras[state.body].start if state.body < len(state.paras) else 0):
        after = re.match(r"[ \t]*(\w)", state.text[state.orig(m.end()):state.orig(m.end()) + 20])
        if state.inside_mention(m.start()) or m.start() in state.scan.mention_at \
                or (after is not None and after.group(1).isupper()):
            continue  # a name follows: "Ủy ban nhân dân tỉnh Nghệ An" is read by the gazetteer
        if (m.group("a") or m.group("b") or m.group("c")) != ("thanh pho" if home_is_city else "tinh"):
            continue  # "Ủy ban nhân dân thành phố" in a province's session is one of its cities
        added.append(Mention(m.start(), m.end(), home, False, PROVINCE))
    if added:
        mentions = sorted(state.scan.mentions + added, key=lambda x: x.start)
        state.scan = ScannedText(state.gazetteer, state.folded, mentions)
        state.mention_starts = [x.start for x in mentions]


def issuers(state: ParseState) -> list[KnownAgency]:
    """The agencies the issuer block names ("BỘ CÔNG AN", "ỦY BAN NHÂN DÂN / TỈNH X / VĂN PHÒNG")."""
    if state.issuer_agencies is None:
        block = Folded(" ".join(line.strip() for line in state.text[:state.orig(_number_line(state))].splitlines()
                                [-6:]))
        state.issuer_agencies = [m.agency for m in state.gazetteer.scan(block).mentions if not m.weak]
    return state.issuer_agencies


_COUNCIL_OR_PARTY = re.compile(r"\s*(?:hoi dong nhan dan|hdnd|tinh uy|thanh uy)\b")
_NUMBER_LINE = re.compile(r"(?:^|\n)\s*so\b")


def _number_line(state: ParseState) -> int:
    """Where the line "Số: …" starts (the end of the issuer block), in the folded text; its first 400 at most."""
    m = _NUMBER_LINE.search(state.s, 0, 600)
    return m.start() if m else min(400, len(state.s))


def _home(state: ParseState) -> KnownAgency | None:
    """The province a notice is about: the one its title names for a working session with it, or its issuer's
    ("HỘI ĐỒNG NHÂN DÂN / TỈNH THANH HÓA", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG")."""
    # A council or a Party committee assigns its province's People's Committee; a People's Committee that issues
    # speaks of itself ("Ủy ban nhân dân tỉnh yêu cầu: ..."), so only their notices are read so. The issuer block
    # may put the body on its first line and the part that signs below it ("HỘI ĐỒNG NHÂN DÂN TỈNH NGHỆ AN /
    # THƯỜNG TRỰC", "TỈNH ỦY QUẢNG TRỊ / BAN CHỈ ĐẠO …").
    block = Folded(" ".join(line.strip() for line in state.text[:state.orig(_number_line(state))].splitlines()[:4]))
    if _COUNCIL_OR_PARTY.match(block.s):
        named = {m.agency.code: m.agency for m in state.gazetteer.scan(block).mentions if m.family == PROVINCE}
        if len(named) == 1:
            return next(iter(named.values()))
    title = state.info.title or ""
    if not _WORKING_SESSION.search(Folded(title).s):
        return None
    named = {m.agency.code: m.agency for m in state.gazetteer.scan(title).mentions if m.family == PROVINCE}
    return next(iter(named.values())) if len(named) == 1 else None


def roles(state: ParseState, asg: Assignment, pos: int, b: int) -> int:
    """Past "chủ trì, phối hợp với Bộ Y, Bộ Z", "theo chức năng, nhiệm vụ được giao", "khẩn trương" to the work."""
    s = state.s
    for _ in range(8):
        m = ROLE.match(s, pos, b)
        paren = ROLE_PAREN.match(s, pos, b) if m is None else None
        if paren is not None:
            # "Giao Bộ Xây dựng (thời hạn: quý I/2023): ...", "Bộ Y tế (chủ trì, phối hợp với Bộ Công an)".
            for c in COORD_ANYWHERE.finditer(s, paren.start(), paren.end()):
                items, _ = state.scan.read_list(c.end(), allow_loose_unknown=True)
                asg.coords += [i for i in items if i.kind != COLLECTIVE and i.end <= paren.end()]
            pos = paren.end()
            continue
        if m is None:
            # "Bộ Y tế chủ trì, Bộ Công an phối hợp triển khai ...": coordinators named before their role.
            q = pos
            while q < b and s[q] in " ,":
                q += 1
            items, end = state.scan.read_list(q)
            coord = _COORD_AFTER_LIST.match(s, end, b) if items else None
            if coord is None:
                break
            asg.coords += [i for i in items if i.kind != COLLECTIVE]
            pos = coord.end()
            continue
        if m.lastgroup == "coord":
            items, end = state.scan.read_list(m.end(), allow_loose_unknown=True)
            if not items:
                break
            asg.coords += [i for i in items if i.kind != COLLECTIVE]
            pos = end
            continue
        if m.lastgroup == "urgent":
            asg.flags.append("urgent")
        pos = m.end()
    while pos < b and s[pos] in " ,":
        pos += 1
    return pos


def coordinators_in_work(state: ParseState, asg: Assignment) -> None:
    """"..., phối hợp với Bộ Tài chính" anywhere in the work (outside its bracket) adds coordinators."""
    for m in COORD_ANYWHERE.finditer(state.s, asg.work_start, asg.extent_end):
        if asg.bracket and asg.bracket[0] <= m.start() < asg.bracket[1]:
            continue
        items, _ = state.scan.read_list(m.end(), allow_loose_unknown=True)
        for item in items:
            if item.kind != COLLECTIVE and all(item.start != c.start for c in asg.coords):
                asg.coords.append(item)


def coordinators(asg: Assignment) -> tuple[list[KnownAgency], list[str]]:
    """The assignment's coordinators: known agencies, and names outside the list, each once."""
    known: list[KnownAgency] = []
    unknown: list[str] = []
    for item in asg.coords:
        if item.kind == KNOWN and item.agency not in known:
            known.append(item.agency)
        elif item.kind == UNKNOWN and item.text not in unknown:
            unknown.append(item.text)
    return known, unknown


def lead_targets(asg: Assignment) -> list[ListItem]:
    """The addressees that each lead a draft: every named agency once, and a collective ("các bộ, ngành") only when it
    is not just the named ones' helpers."""
    leads = [i for i in asg.items if i.kind in (KNOWN, UNKNOWN)]
    if any(i.kind == KNOWN for i in leads):
        # "Tỉnh ủy, Ủy ban nhân dân tỉnh X": a party committee is no agency of the register; the People's Committee
        # beside it leads.
        leads = [i for i in leads if not (i.kind == UNKNOWN and _PARTY_COMMITTEE.match(Folded(i.text).s))]
    collective = [i for i in asg.items if i.kind == COLLECTIVE]
    if leads:
        # "Bộ Tài chính và các cơ quan liên quan ...": the others help; they are not a lead of their own.
        collective = [i for i in collective if not re.search(r"\blien quan\b", Folded(i.text).s)]
    targets: list[ListItem] = []
    seen = set()
    for item in leads:
        key = item.agency.code if item.agency else item.text
        if key not in seen:
            seen.add(key)
            targets.append(item)
    if collective:
        targets.append(collective[0])
    return targets


# ---- the accountable official the text would name, offered as a suggestion only ----

_HEAD_TITLES = [
    ("ngan hang nha nuoc", "Thống đốc {name}"), ("van phong chinh phu", "Bộ trưởng, Chủ nhiệm {name}"),
    ("uy ban dan toc", "Bộ trưởng, Chủ nhiệm {name}"), ("thanh tra chinh phu", "Tổng Thanh tra Chính phủ"),
    ("kiem toan nha nuoc", "Tổng Kiểm toán Nhà nước"), ("toa an nhan dan toi cao", "Chánh án {name}"),
    ("vien kiem sat nhan dan toi cao", "Viện trưởng {name}"), ("vien han lam", "Chủ tịch {name}"),
    ("uy ban", "Chủ tịch {name}"), ("bao hiem xa hoi", "Tổng Giám đốc {name}"),
    ("thong tan xa", "Tổng Giám đốc {name}"), ("dai ", "Tổng Giám đốc {name}"), ("to giup viec", "Tổ trưởng {name}"),
    ("bo ", "Bộ trưởng {name}"),
]


def suggest_official(agency: KnownAgency) -> str:
    folded = Folded(agency.name).s
    if folded.startswith("tinh "):
        return f"Chủ tịch Ủy ban nhân dân tỉnh {agency.name.split(' ', 1)[1]}"
    if folded.startswith("thanh pho "):
        return f"Chủ tịch Ủy ban nhân dân {agency.name}"
    for prefix, pattern in _HEAD_TITLES:
        if folded.startswith(prefix):
            return pattern.format(name=agency.name)
    return f"Người đứng đầu {agency.name}"
