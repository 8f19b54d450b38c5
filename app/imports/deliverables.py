"""What a task produces, read from the wording of the work: "trình ... Nghị định" is a decree, "báo cáo ..." a report.

A document type counts only as the product, not as a document the work refers to ("triển khai Nghị quyết số
57-NQ/TW", "hướng dẫn thi hành Luật Căn cước" produce neither a resolution nor a law)."""

import re
from collections.abc import Callable

from app.imports.folding import Folded
from app.tasks.models import DeliverableType as _T

# The task's deliverable types, as plain strings.
DELIVERABLE_TYPES = tuple(t.value for t in _T)
LUAT, NGHI_QUYET, NGHI_DINH, QUYET_DINH = _T.luat.value, _T.nghi_quyet.value, _T.nghi_dinh.value, _T.quyet_dinh.value
CHI_THI, THONG_TU, DE_AN, KE_HOACH = _T.chi_thi.value, _T.thong_tu.value, _T.de_an.value, _T.ke_hoach.value
BAO_CAO, HUONG_DAN, CONG_VAN = _T.bao_cao.value, _T.van_ban_huong_dan.value, _T.cong_van.value
HE_THONG, KHAC = _T.he_thong.value, _T.khac.value

# Document types, with what they must look like to be the product: capitalised (a "quyết định" in lower case is the
# verb "to decide"), or right after a verb that makes one ("xây dựng kế hoạch ...").
_DOCUMENTS = [
    (re.compile(r"\b(?:du an |du thao )?luat\b"), LUAT),
    (re.compile(r"\b(?:du thao )?nghi quyet\b|(?<![/\-])\b(?:du thao )?nq\b(?![/\-])"), NGHI_QUYET),
    # A "Nghị định thư" is a treaty's protocol; "NĐ" a decree, not the "NĐ" of a number ("45/2020/NĐ-CP").
    (re.compile(r"\b(?:du thao )?nghi dinh\b(?! thu\b)|(?<![/\-])\b(?:du thao )?nd\b(?![/\-])"), NGHI_DINH),
    (re.compile(r"\b(?:du thao )?quyet dinh\b"), QUYET_DINH),
    (re.compile(r"\b(?:du thao )?chi thi\b"), CHI_THI),
    (re.compile(r"\b(?:du thao )?thong tu\b"), THONG_TU),
    (re.compile(r"\bde an\b"), DE_AN),
    # A body of rules ("Quy chế quản lý, vận hành …", "Quy định …") is issued by a decision.
    (re.compile(r"\bquy che\b"), QUYET_DINH),
    (re.compile(r"\bke hoach\b|\bchuong trinh (?:hanh dong|cong tac)\b"), KE_HOACH),

    # Strategies, programmes and master plans have no type of their own: they are "Khác", and they are the product.
    (re.compile(r"\b(?:chien luoc|chuong trinh|quy hoach|bo tieu chi|bo chi so)\b"), KHAC),
]
# A scheme or roadmap the work draws up is a plan ("xây dựng phương án …", "thống nhất phương án …", "lộ trình"),
# when the work names no other product (a report or a guide it ends in is the product).
# Whom a guide addresses when it is no document: people on the ground.
_PEOPLE = re.compile(r"\s+(?:,\s*)?(?:nguoi dan|nhan dan|ho dan|ba con|nong dan|ngu dan|du khach|hoc sinh"
                     r"|tau thuyen)\b")
_ISSUES = re.compile(r"\b(?:ban hanh|xay dung|soan thao|bien soan)\s+$")
_SCHEME = re.compile(r"\b(?:xay dung|thong nhat|lap)\s+(?:cac\s+)?(?:phuong an|lo trinh)\b")
_BUILD = re.compile(r"(?:xay dung|ban hanh|trinh|lap|hoan thien|phe duyet|soan thao|du thao|sua doi|bo sung"
                    r"|thay the|nghien cuu|de xuat|chuan bi|hoan thanh|to chuc|cap nhat|tham muu)"
                    r"(?:\s*,\s*\w+(?: \w+)?)?\s+(?:(?:ho so|du an|du thao|de nghi|xay dung|trinh|ban hanh)\s+){0,3}$")
_AMENDS = re.compile(r"(?:sua doi|bo sung|thay the|bai bo|hop nhat)(?:\s*,\s*(?:sua doi|bo sung|thay the))*\s+$")
_REFERS = re.compile(
    r"(?:\btheo|\btai|\bcua|\bthuc hien|\btrien khai|\bthi hanh|\bquan triet|\bcan cu|\bkem theo|\bquy dinh"
    r"|\bso ket|\btong ket|\bdanh gia|\bket qua|\btinh hinh|\bmuc tieu|\bnoi dung|\bve|\bvoi|\bphap|\bvan ban"
    r"|\bhuong dan|\btrong|\btuan thu|\bdap ung|\bphu hop|\bva|\bthuoc|\bchi tiet)\s+(?:(?:cac|nhung|ty le)\s+)?$")
# "Vụ Kế hoạch - Tài chính", "Phòng Kế hoạch": a unit named after the work it does, not a document.
_UNIT_NAMED = re.compile(r"\b(vu|so|phong|ban|cuc|vien|trung tam|tong cuc)\s+$")
# "theo đúng tỷ lệ Nghị quyết đã đề ra", "Kế hoạch hiện hành": a document that already exists.
_EXISTING = re.compile(r"\s+(?:da (?:de ra|ban hanh|duoc|phe duyet|neu)|hien hanh|nay|neu tren|noi tren)\b")
_NUMBERED = re.compile(r"\s*(?:so\s*)?\d")
_REPORT = re.compile(r"\bbao cao\b")
_GUIDE = re.compile(r"\bhuong dan\b")
_LETTER = re.compile(r"\b(?:cong van|co van ban|van ban (?:de nghi|tra loi|gop y|kien nghi|phuc dap))\b"
                     # answering a body, or a letter the work sends to one: "trả lời Ủy ban nhân dân tỉnh …",
                     # "dự thảo văn bản của Bộ gửi Bộ Tài chính …"
                     r"|\btra loi (?:bang van ban )?(?:cho )?"
                     r"(?=(?:uy ban|ubnd|bo|so|tinh|thanh pho|cac|doanh nghiep)\b)"
                     r"|\bvan ban (?:cua [a-z ]{1,30}?)?gui (?=(?:bo|so|uy ban|ubnd|van phong|thu tuong)\b)")
_SYSTEM = re.compile(
    r"\b(?:he thong(?= (?:\w+ ){0,2}(?:thong tin|dien tu|so|du lieu|phan mem|giam sat|truc tuyen|cong nghe|camera"
    r"|dinh danh|xac thuc|lien thong|thanh toan|quan ly|ket noi|tich hop|giai quyet))"
    r"|nen tang(?! (?:phap ly|chinh tri|tu tuong|kinh te|van hoa|vung chac))|co so du lieu|kho du lieu"
    r"|trung tam du lieu|phan mem|ung dung(?= (?:vneid|di dong|so|tren|dien tu|dinh danh))|cong thong tin"
    r"|cong dich vu cong|he thong(?= vao (?:van hanh|hoat dong|su dung|khai thac))|chuc nang(?= [a-z ]{0,60}\btren"
    r" (?:ung dung|he thong|cong|nen tang))|mang luoi quan trac|tram quan trac(?= [a-z ]{0,40}\btu dong)"
    r"|cong du lieu|ha tang (?:so|du lieu|ky thuat)|csdl|trung tam (?:giam sat,? )?dieu hanh thong minh|ioc"
    r"|he thong truy xuat nguon goc|trung tam giam sat an (?:toan|ninh) (?:thong tin|mang)|soc)\b")
_SYSTEM_VERB = re.compile(r"\b(?:xay dung|hoan thien|hoan thanh|nang cap|phat trien|trien khai|van hanh|ket noi"
                          r"|tich hop|dua vao|thiet lap|so hoa|lien thong|chia se|dong bo|mo rong|dau tu|cap nhat"
                          r"|su dung|khai thac|dua|thi diem|hop nhat|sap nhap|chuyen doi|cai tien|tai cau truc"
                          r"|lap dat)\b")
# The product's name ends at a clause of its own: a semicolon, colon, bracket or full stop, a connective ("trình",
# "để", "trước", …), or a comma before the next action ("…, kết nối với …", "…, hoàn thành …"). A comma inside the
# name stays in it ("mức thu, miễn, giảm phí, lệ phí", "công tác văn thư, lưu trữ").
_NEXT_ACTION = (r"trinh|ban hanh|hoan thanh|dua vao|bao cao|gui|bao dam|dam bao|phan dau|thuc hien|trien khai"
                r"|cong bo|phoi hop|to chuc|ket noi|tich hop|lien thong|dong bo|xong|trong (?:thang|quy|nam)|thoi han"
                r"|cham nhat|truoc|de|nham|theo|kem theo|lam ro|xac dinh|van hanh|ap dung|bo sung|cap nhat|tham muu")
_DESCRIPTION_END = re.compile(r"\s*(?:[;:(]|\.(?:\s|$)|,\s*(?=(?:" + _NEXT_ACTION + r")\b)|\b(?:trinh|de|nham|theo"
                              r"|trong (?:thang|quy|nam)|truoc|cham nhat|hoan thanh|bao dam|dam bao|gui|thoi han)\b)")
# A system the work builds, whatever words name it ("xây dựng hệ thống đặt lịch khám bệnh"); not a body of rules or
# a network of places ("hoàn thiện hệ thống pháp luật", "nâng cấp hệ thống y tế cơ sở").
_BUILT_SYSTEM = re.compile(
    r"\b(?:xay dung|nang cap|phat trien|thiet lap|dau tu xay dung)\s+(?:(?:mot|cac)\s+)?(?P<system>he thong)\b"
    r"(?! (?:phap luat|chinh sach|van ban|chinh tri|tieu chuan|quy chuan|chi tieu|chi so|to chuc|y te|giao duc"
    r"|an sinh|giao thong|dien|de|thuy loi|kenh|cang|duong|truong|co so|ha tang|bao hiem|quan tri|phan phoi"
    r"|cung ung|doanh nghiep|ngan hang|tin dung|thuong mai|cho|kho|san|nha))")
# A verb in a clause that tells what was already done to something ("giấy tờ đã được số hóa, tích hợp trên ứng dụng
# VNeID") does not make the system it names a product of the work.
_DONE_BEFORE = re.compile(r"\b(?:da duoc|duoc|da)\s+$")
# What the head of government or a province approves ("trình Thủ tướng Chính phủ phê duyệt / ban hành",
# "trình Ủy ban nhân dân tỉnh phê duyệt") and what a body decides
# ("xem xét, quyết định", "xét công nhận") is a decision when the work names no document type of its own.
_DECIDED = re.compile(r"\btrinh thu tuong(?: chinh phu)?(?: xem xet,?)? (?:phe duyet|ban hanh|quyet dinh)\b"
                      r"|\btrinh (?:chu tich )?(?:uy ban nhan dan|ubnd)(?: tinh| thanh pho)?(?: xem xet,?)?"
                      r" (?:phe duyet|quyet dinh)\b"
                      r"|\btham muu (?:cho )?(?:chu tich )?(?:uy ban nhan dan|ubnd)(?: tinh| thanh pho)?"
                      r" (?:phe duyet|quyet dinh|ban hanh)\b"
                      r"|\bxem xet,? quyet dinh\b|\b(?:xet|quyet dinh) cong nhan\b")
# What the work itself opens by approving or setting up ("Phê duyệt quy trình …", "Kiện toàn Ban Chỉ đạo …") is done
# by a decision too.
_OPENS_ANSWERING = re.compile(r"\s*co y kien\b")
_OPENS_DECIDING = re.compile(r"\s*(?:phe duyet|kien toan|thanh lap)\b")
# A People's Council decides by resolution: "trình Hội đồng nhân dân tỉnh điều chỉnh / thông qua …".
_RESOLVED = re.compile(r"\btrinh (?:hoi dong nhan dan|hdnd)(?: tinh| thanh pho)?(?: xem xet,?)?"
                       r" (?:dieu chinh|thong qua|ban hanh|quyet dinh|phe duyet)\b")


def _is_capitalised(folded: Folded, i: int) -> bool:
    return folded.text[folded.orig(i):folded.orig(i) + 1].isupper()


def _next_word(s: str, pos: int, b: int) -> int:
    m = re.compile(r"\s+(?=\w)").match(s, pos, b)
    return m.end() if m else pos


def _document_at(folded: Folded, a: int, b: int, skip: Callable[[int], bool]) -> tuple[int, str] | None:
    s = folded.s
    best: tuple[int, str] | None = None
    for pattern, kind in _DOCUMENTS:
        for m in pattern.finditer(s, a, b):
            if best is not None and m.start() >= best[0]:
                break
            if skip(m.start()):
                continue
            pre = s[max(a, m.start() - 40):m.start()]
            unit = _UNIT_NAMED.search(pre)
            named_unit = unit and _is_capitalised(folded, m.start() - len(pre) + unit.start(1))
            if named_unit or _EXISTING.match(s, m.end(), b):
                continue
            amends = bool(_AMENDS.search(pre))
            if not amends and (_REFERS.search(pre) or _NUMBERED.match(s, m.end(), b)):
                continue
            capital = _is_capitalised(folded, m.start()) or s.startswith(("du an", "du thao"), m.start())
            if kind == LUAT and not capital:
                continue
            # A law is the product when it is named ("Luật Đất đai") or built ("dự án Luật", "sửa đổi Luật");
            # "cùng thời điểm Luật có hiệu lực" only refers to one.
            if kind == LUAT and not s.startswith(("du an", "du thao"), m.start()) and not amends \
                    and not _BUILD.search(pre) and not _is_capitalised(folded, _next_word(s, m.end(), b)):
                continue
            if not capital and not _BUILD.search(pre) and not amends:
                continue
            best = (m.start(), kind)
            break
    return best


def _first_valid(pattern: re.Pattern, folded: Folded, a: int, b: int, check, skip) -> int | None:
    for m in pattern.finditer(folded.s, a, b):
        if not skip(m.start()) and check(m):
            return m.start()
    return None


def classify(folded: Folded, a: int, b: int,
             skip: Callable[[int], bool] = lambda i: False) -> tuple[str, str | None]:
    """(deliverable type, a short description of the product from the text or None) for the work in folded[a:b].
    `skip(i)` is true inside an agency's name ("Bộ Kế hoạch và Đầu tư" is not a plan)."""
    if _OPENS_ANSWERING.match(folded.s, a, b):
        return CONG_VAN, None  # "Có ý kiến thẩm định đối với dự thảo …": an opinion sent in a letter
    kind, description = _classify(folded, a, b, skip)
    # Only when the work names no product: a master plan or programme it names is the product itself.
    if kind != KHAC or description is not None:
        return kind, description
    if _RESOLVED.search(folded.s, a, b):
        return NGHI_QUYET, None
    if _DECIDED.search(folded.s, a, b) or _OPENS_DECIDING.match(folded.s, a, b):
        return QUYET_DINH, None
    return kind, description


def _classify(folded: Folded, a: int, b: int, skip: Callable[[int], bool]) -> tuple[str, str | None]:
    s = folded.s
    document = _document_at(folded, a, b, skip)
    if document is not None:
        start, kind = document
        return kind, _describe(folded, start, b)

    def report_ok(m: re.Match) -> bool:
        return not re.search(r"(?:\btheo|\bnghe|\bcua|\bche do)\s+$", s[max(a, m.start() - 12):m.start()])

    def guide_ok(m: re.Match) -> bool:
        before = s[max(a, m.start() - 14):m.start()]
        # "hướng dẫn người dân sử dụng nước tiết kiệm": guiding people on the ground, no document (unless issued).
        on_the_ground = _PEOPLE.match(s, m.end(), b) and not _ISSUES.search(before)
        return not re.search(r"(?:\bduoc|\btheo|\bsu|\bcua)\s+$", before[-10:]) and not on_the_ground

    def system_ok(m: re.Match) -> bool:
        before = " ".join(s[max(a, m.start() - 80):m.start()].split()[-9:])
        verbs = list(_SYSTEM_VERB.finditer(before))
        if verbs and _DONE_BEFORE.search(before, 0, verbs[0].start()):
            return False
        return bool(verbs)

    def letter_ok(m: re.Match) -> bool:
        return not (m.group() == "co van ban" and s.startswith(" huong dan", m.end()))

    found = [(pos, kind) for pattern, kind, check in ((_REPORT, BAO_CAO, report_ok), (_GUIDE, HUONG_DAN, guide_ok),
                                                      (_LETTER, CONG_VAN, letter_ok), (_SYSTEM, HE_THONG, system_ok))
             if (pos := _first_valid(pattern, folded, a, b, check, skip)) is not None]
    built = next((m.start("system") for m in _BUILT_SYSTEM.finditer(s, a, b) if not skip(m.start("system"))), None)
    if built is not None:
        found.append((built, HE_THONG))
    if not found:
        scheme = next((m for m in _SCHEME.finditer(s, a, b) if not skip(m.start())), None)
        return (KE_HOACH, _describe(folded, scheme.start(), b)) if scheme else (KHAC, None)
    start, kind = min(found)
    return kind, _describe(folded, start, b)


def _describe(folded: Folded, start: int, b: int) -> str | None:
    s = folded.s
    end = b
    # The product's name runs to the first end of its clause after its own first words ("để", in order to, and
    # not "đề" of "chuyên đề", which fold alike).
    for m in _DESCRIPTION_END.finditer(s, min(b, start + 8), b):
        word = folded.text[folded.orig(m.end() - 2):folded.orig(m.end())] if s[m.start():m.end()].strip() == "de" \
            else ""
        if word and word.lower() != "để":
            continue
        end = m.start()
        break
    text = folded.original(start, end).strip(" ,;:.")
    words = text.split()
    if len(words) > 20:
        text = " ".join(words[:20]) + " ..."
    return text[:1].upper() + text[1:] if text else None
