"""Agency names as data, found in a notice accent-insensitively and longest-first.

There is no Vietnamese named-entity model fit for this (see the importer notes): a gazetteer of names, aliases and
abbreviations, matched on folded word tokens, plus a few rules for what is not in it (collective addressees such as
"các bộ, ngành, địa phương", and organisations such as "Tập đoàn Điện lực Việt Nam" that must be reported as unknown
rather than mapped to the nearest known name)."""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from app.imports.folding import Folded
from app.text import fold

SEED_DIR = Path(__file__).resolve().parents[2] / "seed"


@dataclass
class KnownAgency:
    id: int | None
    code: str
    name: str
    short_name: str
    aliases: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"id": self.id, "code": self.code, "name": self.name}


def read_agency_aliases(seed_dir: Path = SEED_DIR) -> dict[str, list[str]]:
    """seed/agency_aliases.json ({code: [alias, ...]}), or {} when there is none."""
    aliases_file = seed_dir / "agency_aliases.json"
    return json.loads(aliases_file.read_text(encoding="utf-8")) if aliases_file.exists() else {}


def load_seed_agencies(seed_dir: Path = SEED_DIR) -> list[KnownAgency]:
    """seed/agencies.json with seed/agency_aliases.json; ids are None (not from a database)."""
    rows = json.loads((seed_dir / "agencies.json").read_text(encoding="utf-8"))
    aliases = read_agency_aliases(seed_dir)
    return [KnownAgency(id=row.get("id"), code=row["code"], name=row["name"], short_name=row["short_name"],
                        aliases=list(aliases.get(row["code"], []))) for row in rows]


_TOKEN = re.compile(r"[a-z0-9]+")
# What may stand between two words of one name: spaces, a line break, the dot of "TP.", the dash of "Lao động - Thương
# binh", the ampersand of "TT&TT". A comma only where the alias itself has one ("Văn hóa, Thể thao và Du lịch").
_GAP_OK = re.compile(r"[ \t\n.\-&']*")
_GAP_COMMA_OK = re.compile(r"[ \t\n.\-&',]*")
_TERMINAL = ""

PROVINCE, MINISTRY = "province", "ministry"


def agency_family(agency: KnownAgency) -> str | None:
    folded = fold(agency.name)
    if folded.startswith(("tinh ", "thanh pho ")):
        return PROVINCE
    if folded.startswith("bo "):
        return MINISTRY
    return None


@dataclass(frozen=True, slots=True)
class _Entry:
    agency: KnownAgency
    weak: bool
    case_sensitive: bool


@dataclass(frozen=True, slots=True)
class Mention:
    """A known agency's name in a text; offsets are into the folded text of the scan that found it."""

    start: int
    end: int
    agency: KnownAgency
    weak: bool
    family: str | None


def _is_abbreviation(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _province_variants(place: str, is_city: bool) -> list[str]:
    kind = "thành phố" if is_city else "tỉnh"
    variants = [f"{kind} {place}", f"UBND {kind} {place}", f"Ủy ban nhân dân {kind} {place}", f"UBND {place}",
                f"Ủy ban nhân dân {place}"]
    if is_city:
        variants += [f"TP {place}", f"UBND TP {place}", f"Ủy ban nhân dân TP {place}"]
    return variants


_REGION_BEFORE = re.compile(r"(?<!viet )\b(?:nam|bac|trung)[ ]$")  # "Tây Nam Bộ", not "Việt Nam\\tBộ Y tế"
_UNIT_HEAD = re.compile(r"(?:cuc|vu)\s")
_ACRONYM_PAREN = re.compile(r"\(\s*[A-ZĐ][A-ZĐ0-9&\-]{1,9}\s*\)")
_IN_NUMBER = re.compile(r"[/\-]\w")
_PREFIXED = re.compile(r"^(?:tinh|thanh pho|tp|ubnd|uy ban|bo|ngan hang|van phong|vien|dai|toa|kiem toan|bao hiem)\b")


def _entries_for(agency: KnownAgency) -> list[tuple[str, bool, bool]]:
    """(alias, weak, case_sensitive) for one agency: its name, aliases, generated variants; weak ones are bare place
    names and ministry tails ("Nghệ An", "Tài chính"), read only inside a list that makes them unambiguous."""
    out: list[tuple[str, bool, bool]] = [(agency.name, False, False)]
    family = agency_family(agency)
    short = agency.short_name or ""
    letters = len([c for c in short if c.isalpha()])
    # A ministry's three letters ("BCA", "BYT") are as officers type them; "BTC" is as often a meeting's "Ban Tổ
    # chức", and three letters of a province are no one's shorthand.
    if _is_abbreviation(short) and (letters >= 4 or (letters == 3 and family == MINISTRY and short != "BTC")):
        out.append((short, False, True))
    for alias in agency.aliases:
        out.append((alias, False, _is_abbreviation(alias)))
    if family == PROVINCE:
        is_city = fold(agency.name).startswith("thanh pho ")
        places = [agency.name.split(" ", 2)[-1] if is_city else agency.name.split(" ", 1)[-1]]
        places += [a for a in agency.aliases if not _is_abbreviation(a) and not _PREFIXED.match(fold(a))]
        for place in places:
            out += [(v, False, False) for v in _province_variants(place, is_city)]
            out.append((place, True, False))
        for alias in agency.aliases:
            if not fold(alias).startswith(("ubnd", "uy ban")):
                out += [(f"UBND {alias}", False, False), (f"Ủy ban nhân dân {alias}", False, False)]
    elif family == MINISTRY:
        for name in [agency.name, *agency.aliases]:
            if fold(name).startswith("bo "):
                out.append((name.split(" ", 1)[1], True, False))
        if fold(agency.name).startswith("bo "):
            out += [(f"Bộ {initials}", False, True) for initials in _initials(agency.name.split(" ", 1)[1])]
    return out


def _next_token(s: str, pos: int) -> int:
    m = _TOKEN.search(s, pos)
    return m.start() if m else len(s)


def _initials(tail: str) -> list[str]:
    """A ministry's name as offices shorten it, one capital a syllable, "và" dropped or written "&": "Tài chính" →
    "TC"; "Khoa học và Công nghệ" → "KHCN", "KH&CN"; "Văn hóa, Thể thao và Du lịch" → "VHTTDL", "VHTT&DL"."""
    groups = ["".join(w[0].upper() for w in re.findall(r"\w+", g)) for g in re.split(r"\s+và\s+", tail)]
    if not all(groups) or len("".join(groups)) < 2:
        return []
    return list(dict.fromkeys(["".join(groups), "&".join(groups)]))


class Gazetteer:
    """Built once per agency list (see `get_gazetteer`): a trie over folded word tokens."""

    def __init__(self, agencies: Iterable[KnownAgency]) -> None:
        self.agencies = list(agencies)
        self._trie: dict = {}
        self._by_folded_name: dict[str, KnownAgency] = {}
        self.ambiguous: list[str] = []
        for agency in self.agencies:
            self._by_folded_name.setdefault(fold(agency.name), agency)
            for alias, weak, case_sensitive in _entries_for(agency):
                self._add(alias, _Entry(agency, weak, case_sensitive))

    def _add(self, alias: str, entry: _Entry) -> None:
        folded = fold(alias)
        tokens = list(_TOKEN.finditer(folded))
        if not tokens:
            return
        keys = [tokens[0].group()]
        for prev, tok in zip(tokens, tokens[1:], strict=False):
            gap = folded[prev.end():tok.start()]
            keys.append(("," if "," in gap else "") + tok.group())
        for variant in {tuple(keys), tuple(k.lstrip(",") for k in keys)}:
            node = self._trie
            for key in variant:
                node = node.setdefault(key, {})
            entries = node.setdefault(_TERMINAL, [])
            if any(e.agency is entry.agency and e.weak == entry.weak for e in entries):
                continue
            if any(e.agency is not entry.agency and e.weak == entry.weak for e in entries):
                self.ambiguous.append(alias)
            entries.append(entry)

    def lookup(self, name: str) -> KnownAgency | None:
        """The agency a whole string names (name, alias or variant), or None."""
        scan = self.scan(name)
        folded = scan.folded.s
        for mention in scan.mentions:
            if mention.start == len(folded) - len(folded.lstrip()) and not folded[mention.end:].strip(" .;,"):
                return mention.agency
        return self._by_folded_name.get(fold(name))

    def scan(self, text: str | Folded) -> "ScannedText":
        folded = text if isinstance(text, Folded) else Folded(text)
        return ScannedText(self, folded, self._mentions(folded))

    def _mentions(self, folded: Folded) -> list[Mention]:
        s = folded.s
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(s)]
        out: list[Mention] = []
        i, n = 0, len(tokens)
        while i < n:
            node = self._trie.get(tokens[i][2])
            best: tuple[int, _Entry] | None = None
            j = i
            while node is not None:
                if _TERMINAL in node:
                    entry = self._choose(node[_TERMINAL], folded, tokens[i][0], tokens[j][1])
                    if entry is not None:
                        best = (j, entry)
                j += 1
                if j >= n:
                    break
                gap = s[tokens[j - 1][1]:tokens[j][0]]
                if _GAP_OK.fullmatch(gap):
                    node = node.get(tokens[j][2])
                elif _GAP_COMMA_OK.fullmatch(gap) and gap.count(",") == 1:
                    node = node.get("," + tokens[j][2])
                else:
                    node = None
            if best is None:
                i += 1
                continue
            j, entry = best
            if tokens[i][2] == "bo" and _REGION_BEFORE.search(s, max(0, tokens[i][0] - 12), tokens[i][0]):
                i += 1  # "khu vực Tây Nam Bộ xây dựng …": the region's "Bộ", no ministry
                continue
            out.append(Mention(tokens[i][0], tokens[j][1], entry.agency, entry.weak, agency_family(entry.agency)))
            i = j + 1
        return out

    @staticmethod
    def _choose(entries: list[_Entry], folded: Folded, start: int, end: int) -> _Entry | None:
        span = folded.text[folded.orig(start):folded.orig_end(end)]
        for entry in sorted(entries, key=lambda e: e.weak):
            # An abbreviation is one in capitals ("TTXVN"; "Bộ TC" after the word "Bộ"), and not the code inside a
            # document's number ("7815/BCA-C06").
            if entry.case_sensitive and (not all(c.isupper() for c in _MINISTRY_WORD.sub("", span) if c.isalpha())
                                         or _IN_NUMBER.search(folded.text, max(0, folded.orig(start) - 1),
                                                              folded.orig(start) + 1)
                                         or folded.text[folded.orig_end(end):folded.orig_end(end) + 1] == "-"):
                continue
            # A bare place or ministry tail is a name only when written as one: "Tài chính", not "tài chính".
            if entry.weak and not span[:1].isupper():
                continue
            return entry
        return None

    def find(self, text: str) -> list["Found"]:
        """Every agency named in `text`, in order, with offsets into `text`; organisations that are not in the list
        are reported with agency None. Bare place names count only inside a list that starts with a full name."""
        scan = self.scan(text)
        found: list[Found] = []
        done = 0
        for tok in _TOKEN.finditer(scan.folded.s):
            if tok.start() < done:
                continue
            items, end = scan.read_list(tok.start())
            for item in items:
                if item.kind != COLLECTIVE:
                    found.append(Found(scan.folded.orig(item.start), scan.folded.orig_end(item.end), item.agency,
                                       item.text))
            done = end if items else tok.end()
        return found


@dataclass(frozen=True, slots=True)
class Found:
    start: int
    end: int
    agency: KnownAgency | None
    text: str


_GAZETTEERS: dict[tuple, Gazetteer] = {}


def get_gazetteer(agencies: list[KnownAgency]) -> Gazetteer:
    """One gazetteer per distinct agency list, kept while the process lives: building one takes ~10 ms."""
    key = tuple((a.id, a.code, a.name, a.short_name, tuple(a.aliases)) for a in agencies)
    gazetteer = _GAZETTEERS.get(key)
    if gazetteer is None:
        if len(_GAZETTEERS) > 16:
            _GAZETTEERS.clear()
        gazetteer = _GAZETTEERS[key] = Gazetteer(agencies)
    return gazetteer


# ---- reading a list of addressees: "Bộ Tài chính, Tập đoàn Điện lực Việt Nam và các bộ, ngành liên quan" ----

KNOWN, UNKNOWN, COLLECTIVE = "known", "unknown", "collective"


@dataclass(slots=True)
class ListItem:
    kind: str
    start: int
    end: int
    agency: KnownAgency | None
    text: str
    official: str | None = None


_COLL_TERM = (
    r"(?:bo truong|thu truong(?: co quan (?:ngang bo|thuoc chinh phu))?"
    r"|chu tich (?:uy ban nhan dan|ubnd)(?: cac)? (?:tinh|thanh pho|dia phuong|cap tinh)"
    r"|co quan ngang bo|co quan thuoc chinh phu|co quan (?:o )?trung uong|co quan nha nuoc|co quan chuc nang"
    r"|co quan(?: don vi)?|(?:uy ban nhan dan|ubnd)(?: cac)? (?:tinh|thanh pho|dia phuong|cap tinh|cap huyen|cap xa"
    r"|huyen|quan|thi xa|xa|phuong|cap)"
    r"|(?:thanh pho|tp) truc thuoc (?:trung uong|tw|t\.?\s?u\b\.?)|tinh uy|thanh uy|tinh|thanh pho|tp|bo nganh|bo|nganh"
    r"|dia phuong|cap"
    r"|don vi|so nganh|so|ban nganh|ban|huyen|thi xa|quan(?! tam| ly| trong| he| diem| sat)|xa(?! hoi)|phuong|dac khu"
    r"|thi tran|tap doan(?: kinh te)?|tong cong ty"
    r"|doanh nghiep|to chuc|hiep hoi|nha thau(?: thi cong)?|chu dau tu"
    r"|to dan pho|khu pho|to dan cu|doan the|thon|ap|lang"
    # A ministry's own units: "Các Vụ, Cục, Văn phòng Bộ, Thanh tra Bộ".
    r"|vu(?! viec| an\b| tai nan| vi pham| no\b| viec)|cuc|tong cuc|van phong bo|thanh tra bo"
    r"|thanh vien(?: (?:uy ban(?: quoc gia(?: ve chuyen doi so)?)?|ban chi dao(?: quoc gia)?|to cong tac|hoi dong"
    r"|chinh phu))?)"
)
_COLL_MOD = r"(?:\s*(?:co lien quan|lien quan|truc thuoc (?:trung uong|tw|t\.? ?u\.?)|o trung uong|nha nuoc"
_COLL_MOD += r"|cap (?:tinh|huyen|xa|trung uong|bo)"
_COLL_MOD += r"|tren dia ban|trong ca nuoc|o dia phuong|thuoc bo|thuoc (?:uy ban nhan dan|ubnd) tinh|truc thuoc bo"
_COLL_MOD += r"|neu tren|noi tren|con lai))*"
_COLL_SEP = r"\s*(?:,|;|\bva\b|\bcung\b)\s*(?:cac\s+)?"
_COLL_PREFIX = (r"(?:(?:bo truong|thu truong|chu tich|lanh dao|nguoi dung dau|truong)\s+)?"
                r"(?:cac|moi|toan bo|tat ca cac)\s+")
# "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, ...": every minister addressed by title, the formula of a collective.
_COLL_STRONG = (r"(?:bo truong\s*,\s*thu truong|bo\s*,\s*(?:nganh|co quan)|bo nganh|co quan ngang bo"
                r"|(?:uy ban nhan dan|ubnd) (?:cac|\d{2,3}) (?:tinh|dia phuong|huyen|quan|xa|thi xa|phuong|dac khu)"
                # "Công an cấp xã", "Công an các phường": the police of every commune, no one body.
                r"|cong an (?:cap (?:xa|huyen|tinh)|cac (?:xa|phuong|quan|huyen|tinh|dia phuong|don vi))"
                # "Đảng ủy các xã, phường": the Party committee of every commune.
                r"|(?:dang uy|cap uy) cac (?:xa|phuong|dac khu|huyen|quan|tinh|co quan|don vi|cap)"
                r"|(?:bo truong|thu truong|chu tich)\s+cac)")
_COLLECTIVE = re.compile(rf"(?:{_COLL_PREFIX}{_COLL_TERM}\b|{_COLL_STRONG}\b(?:\s+{_COLL_TERM}\b)?){_COLL_MOD}"
                         rf"(?:{_COLL_SEP}{_COLL_TERM}\b{_COLL_MOD})*")
# "các Bộ: Tài chính, Tư pháp", "Ủy ban nhân dân các tỉnh Nghệ An, Thanh Hóa": heads of a list of bare names.
_HAVING = re.compile(r" co(?= [a-z])")
_NOUN_TRINH = re.compile(r"\b(?:(?:cong|quy|chuong|lo|hanh) trinh|(?:hang|phong) khong)$")  # "công trình", "hàng không"
_QUALIFIED = re.compile(r"(?:doanh nghiep|to chuc|tap doan|tong cong ty|hiep hoi|co quan|don vi)$")
_LIST_HEAD = re.compile(r"(?:cac bo|(?:(?:uy ban nhan dan|ubnd)\s+)?cac (?:tinh|thanh pho|tp)"
                        r"(?:\s*,\s*(?:thanh pho|tp))?)\s*:?\s*")
_LIST_HEAD_PROVINCE = re.compile(r"(?:(?:uy ban nhan dan|ubnd)\s+)?cac\s+")
_OFFICIAL = re.compile(r"(?:bo truong|thu truong|pho chu tich|chu tich|thong doc|tong giam doc|giam doc|chu nhiem"
                       r"|tong thanh tra|tong kiem toan|chanh an|vien truong|nguoi dung dau|lanh dao"
                       r"|chanh(?= (?:van phong|thanh tra)\b)|cuc truong|vu truong|truong ban|truong phong)"
                       r"(?:\s*,\s*(?:chu nhiem|tong thu ky))?\s+")
_HEAD_OF_UNIT = re.compile(r"(?:giam doc|tong giam doc|chanh|cuc truong|vu truong|truong ban|truong phong"
                           r"|vien truong|chu nhiem)")
_SEPARATOR = re.compile(r"\s*(?:,|;|\bva\b|\bcung\b|&)\s*")
# Words that begin the name of an organisation, matched on the original text in lower case: folded, "Ban" (board) is
# also "Bản", and some heads start common phrases ("Ban hành", "Báo cáo", "Bộ tiêu chí"), which the look-aheads refuse.
_ORG_HEAD = re.compile(
    r"(?:ubnd|hđnd|tỉnh đoàn|thành đoàn|huyện đoàn|thuế tỉnh|thuế thành phố|chi cục thuế|tập đoàn|tổng công ty"
    r"|công ty|hiệp hội|hội đồng|hội liên hiệp"
    r"|hội(?! nghị| thảo| nhập| đủ| tụ)"
    r"|trường đại học|trường cao đẳng|trường(?! hợp)|đại học quốc gia|đại học|học viện|viện(?! dẫn| trợ| phí)"
    r"|sở(?! hữu| dĩ| cứ)|ban(?! hành| bố| đầu| ngày| đêm| đầu)|tổng liên đoàn|liên đoàn|liên minh|trung tâm"
    r"|tổng cục|chi cục|hạt kiểm lâm|bảo hiểm xã hội|bưu điện|viettel|mobifone"
    r"|cục(?! bộ| diện)|[uủ]y ban|uỷ ban|đài(?! thọ)|báo(?! cáo| động| chí)|ngân hàng"
    r"|quỹ(?! đất| thời gian)"
    r"|kho bạc|phòng thương mại|mặt trận|trung ương đoàn|trung ương hội|đoàn(?! kết)|bệnh viện|tổ công tác"
    r"|vụ(?! việc| án)"
    r"|thanh tra|t[oò]a án|toà án|viện kiểm sát|công an|bộ chỉ huy|bộ tư lệnh|quân khu|tỉnh ủy|thành ủy|tỉnh uỷ"
    r"|thành uỷ|đảng ủy|đảng uỷ"
    r"|văn phòng đoàn (?:đại biểu quốc hội|đbqh) và (?:hội đồng nhân dân|hđnd)"
    r"|nhà xuất bản|cảng vụ|văn phòng hđnd và ubnd|văn phòng hội đồng nhân dân và ủy ban nhân dân"
    r"|văn phòng(?! phẩm)|phòng(?!,? chống| ngừa| cháy| tránh| thủ| hộ| họp| làm việc| khám| bệnh| dịch)|kiểm toán"
    r"|trạm(?! biến| bơm| dừng| thu phí| sạc)"
    r"|bộ(?! trưởng| phận| máy| tiêu chí| chỉ số| quy tắc| ngành"
    r"| luật| hồ sơ| dữ liệu| công cụ))(?!\w)")


# Words that end an unknown organisation's name when written in lower case: the work or the role that follows it.
# Matched on the original text, accents and all: folded, "tử" (of "điện tử") would read as "từ".
_NAME_STOP = re.compile(
    r"(?:nghiên cứu|xây dựng|hoàn thiện|hoàn thành|hoàn chỉnh|triển khai|tổ chức|rà soát|đề xuất|trình|báo cáo"
    r"|thực hiện|tham mưu|hướng dẫn|ban hành|sửa đổi|chỉ đạo|đẩy mạnh|đẩy nhanh|phát triển|bảo đảm|đảm bảo"
    r"|kiểm tra|đánh giá|tổng hợp|cung cấp|kết nối|hỗ trợ|tăng cường|lập|đôn đốc|xử lý|giải quyết|cập nhật"
    r"|nâng cấp|số hóa|số hoá|làm rõ|chuẩn bị|khảo sát|ứng dụng|quản lý|theo dõi|thúc đẩy|bố trí|thống nhất"
    r"|tuyên truyền|đào tạo|phê duyệt|lựa chọn|thí điểm|vận hành|công bố|giám sát|mở rộng|đầu tư|kiện toàn"
    r"|thành lập|sơ kết|tổng kết|tích hợp|chia sẻ|xem xét|tiếp thu|gửi|làm việc|nâng cao|phối hợp|chủ trì"
    r"|khẩn trương|tiếp tục|cần|phải|có trách nhiệm|chịu trách nhiệm|là|được|đã|đang|sẽ|cải thiện|tiên phong"
    r"|bổ sung|điều chỉnh|thay thế|đổi mới|khắc phục|xác định|tham gia|trả lời|chi trả|quán triệt|ưu tiên"
    r"|tập trung|chủ động|tích cực|kịp thời|sớm|nhanh chóng|liên hệ|đồng thời|thu hút|nhân rộng|soạn thảo"
    r"|sắp xếp|tháo gỡ|vận động|huy động|quyên góp|làm|đưa|duy trì|cử|bàn giao|tiếp nhận|giao|đề nghị|yêu cầu"
    r"|phân bổ|cấp|thẩm định|góp ý|ghi nhận|biểu dương|hoan nghênh|lưu ý|lãnh đạo|đăng tải|niêm yết|công khai"
    r"|thường xuyên|định kỳ|hằng (?:ngày|tuần|tháng|quý|năm)"
    r"|kiểm soát|khởi công|thi công|nghiệm thu|hoàn tất|xác minh|xác nhận|thu hồi|chấn chỉnh|phổ biến|tập huấn"
    r"|bồi dưỡng|lấy mẫu|xét nghiệm|cấp phép|mua sắm|nộp|chuyển|dừng|không|phát động|ra quân|vận hành"
    r"|nghiêm túc|rút kinh nghiệm"
    r"|chỉnh lý|biên soạn|điều tra|thống kê|kiểm kê|lắp đặt|cải tạo|sửa chữa|nạo vét"
    r"|di dời|giải ngân|thanh toán|quyết toán|phân loại|vận chuyển|tiếp cận|bảo vệ|phòng ngừa|ngăn chặn|rút ngắn"
    r"|dự thảo|theo|của|về|tại|để|nhằm|cho|từ|đến|thì|trong|với|có|các|những|và các|chưa|đã|đang|sẽ|vẫn"
    r"|căn cứ|không bị|không được|không để|không phải)(?![\w])")
# A ministry's department named after two fields, in a list of coordinators: "Cục Thông tin, Thống kê".
_FIELD_NAMED_HEAD = re.compile(r"(?:cuc|tong cuc|vu|vien)\b")
_NAMED_COMMUNES = re.compile(r"(uy ban nhan dan|ubnd) cac (xa|phuong|dac khu) ")
_PROJECT_BOARD = re.compile(r"ban quản lý (?:các )?dự án\b")
# Lower-case words that real names do contain ("Viện Nghiên cứu quản lý kinh tế Trung ương"): a stop only when
# what follows them up to the next comma does not look like the rest of a name.
_NAME_WORDS = re.compile(r"(?:quản lý|phát triển|đầu tư|đào tạo|ứng dụng|hỗ trợ|kinh doanh|xây dựng)(?![\w])")
_FUNCTION_WORDS = re.compile(r"(?:của|về|cho|tại|trong|với|để|theo|các|những|từ|đến|nhằm|và)(?![\w])")
_DOCUMENT_WORD = re.compile(r"(?:đề án|nghị định|chỉ thị|kế hoạch|thông tư|luật|quyết định|nghị quyết|báo cáo"
                            r"|chiến lược|chương trình|quy hoạch|hệ thống|nền tảng|cơ sở dữ liệu|quy chế|quy trình"
                            r"|phương án|đề cương)(?![\w])")
_CLAUSE_END = re.compile(r"[,;:()\n]|\.\s")
_PAREN = re.compile(r"\s*\(([^()]{1,120})\)")
_PAREN_ROLE = re.compile(r"chu tri|phoi hop|thoi han|hoan thanh|\d{4}")
# Stop words that real names do hold: "… thị trường trong nước", "Hiệp hội các nhà bán lẻ Việt Nam".
_NAME_HOLDS = re.compile(r"(?:trong|ngoài) nước(?![\w])|các (?:nhà|doanh nghiệp|hợp tác xã|trường|hội)(?![\w])"
                         r"|giao thông(?![\w])")
# "Ban Quản lý Khu kinh tế Nghi Sơn và các khu công nghiệp": a board over the zones it names.
_AND_THE_ZONES = re.compile(r"và các (?:khu công nghiệp|khu kinh tế|cụm công nghiệp)(?![\w])")
_STEERING = re.compile(r"(?:ban chi dao|uy ban|hoi dong|to cong tac)\b")
_OF_EVERY_PROVINCE = re.compile(r"\s+cac (?:tinh, thanh pho|tinh|dia phuong)(?: truc thuoc trung uong)?\b")
_PAIRED = re.compile(r"(?:phong|kham)$")
_PAIRED_AFTER = re.compile(r"(?:chong|chua)\b")
_MINISTRY_WORD = re.compile(r"^[Bb]ộ\s+")
_BRANCH = re.compile(r" (?=chi nhanh\b)")
_BRANCH_WORD = re.compile(r"chi nhanh\b")
_AND_CAPITAL = re.compile(r"và [A-ZĐ]")
_PLACE_WORD = re.compile(r"(?:tinh|thanh pho|tp|huyen|quan|thi xa|xa|phuong|dac khu|khu vuc|vung)\b")
_ACRONYM = re.compile(r"[A-ZĐ][A-ZĐ0-9&\-]{1,9}\b")


class ScannedText:
    """A text with its known-agency mentions found; reads addressee lists at given folded positions."""

    def __init__(self, gazetteer: Gazetteer, folded: Folded, mentions: list[Mention]) -> None:
        self.gazetteer = gazetteer
        self.folded = folded
        self.mentions = mentions
        self.mention_at = {m.start: m for m in mentions}

    def original(self, a: int, b: int) -> str:
        # A name broken over two lines of a hard-wrapped text is still one name.
        return " ".join(self.folded.original(a, b).split())

    def _upper_at(self, pos: int) -> bool:
        return self.folded.text[self.folded.orig(pos):self.folded.orig(pos) + 1].isupper()

    def collective_at(self, pos: int) -> int | None:
        m = _COLLECTIVE.match(self.folded.s, pos)
        if not m:
            return None
        end = m.end()
        # "các doanh nghiệp viễn thông", "các tổ chức tín dụng": a kind of body, then the work.
        if _QUALIFIED.search(self.folded.s, m.start(), end):
            for _ in range(2):
                tok = _TOKEN.match(self.folded.s, end + 1) if self.folded.s[end:end + 1] == " " else None
                if tok is None or self._upper_at(tok.start()) or self._name_stops_at(tok.start()):
                    break
                end = tok.end()
        # "các đơn vị thuộc Bộ Y tế": the ministry's name after "thuộc Bộ" belongs to the collective.
        if self.folded.s.endswith("thuoc bo", 0, end) and (ministry := self.mention_at.get(end - 2)) is not None:
            end = ministry.end
        # "Ủy ban nhân dân các xã có dự án hoàn thành …", "các xã, phường có công trình cấp nước tiếp nhận …": which
        # of them, then the work (its first verb).
        if (having := _HAVING.match(self.folded.s, end)) is not None:
            q = having.end()
            for _ in range(6):
                tok = _TOKEN.match(self.folded.s, q + 1) if self.folded.s[q:q + 1] == " " else None
                if tok is None or self._upper_at(tok.start()):
                    break
                if self._name_stops_at(tok.start()) and not _NOUN_TRINH.search(self.folded.s, q - 8, tok.end()):
                    return q
                q = tok.end()
        return end

    def org_head_at(self, pos: int) -> int | None:
        """Folded end of an organisation word ("Tập đoàn", "Sở", ...) written with a capital at `pos`, or None."""
        if not self._upper_at(pos):
            return None
        at = self.folded.orig(pos)
        m = _ORG_HEAD.match(self.folded.text[at:at + 80].lower())
        if not m:
            return None
        return self.folded.index_of(at + m.end())

    def unknown_at(self, pos: int, *, loose: bool = False) -> int | None:
        """End of the name of an organisation not in the list that starts at `pos`, or None. It starts with an
        organisation word in capitals ("Tập đoàn", "Viện", "Sở", ...) or an acronym ("VNPT"); with `loose`, with any
        capitalised word (inside a list of coordinators, where a firm such as "Viettel" stands)."""
        s = self.folded.s
        if not self._upper_at(pos):
            return None
        head_end = self.org_head_at(pos)
        if head_end is None and not _ACRONYM.match(self.folded.text, self.folded.orig(pos)) and not loose:
            return None
        end = head_end if head_end is not None else _TOKEN.match(s, pos).end()
        # "Sở Văn hóa, Thể thao và Du lịch": a department named after its ministry takes the ministry's whole name.
        after = self.mention_at.get(end + 1) if s[end:end + 1] == " " and head_end is not None else None
        named_after_ministry = after is not None and after.weak and after.family == MINISTRY
        if named_after_ministry:
            end = after.end
        for tok in _TOKEN.finditer(s, end):
            if tok.start() < end:
                continue  # read already, with the words before it ("… và các khu công nghiệp", "khu vực")
            gap = s[end:tok.start()]
            if gap.strip() == "," and (more := self._after_comma(pos, end, tok, head_end is not None, loose)):
                end = more
                continue
            if not _GAP_OK.fullmatch(gap) or "\n" in gap or "\t" in gap or ". " in gap or len(gap) > 3:
                break
            if tok.group() == "ve" and _STEERING.match(s, pos) and self._upper_at(_next_token(s, tok.end())):
                end = tok.end()  # "Ban Chỉ đạo quốc gia về Phòng, chống thiên tai": what the committee is about
                continue
            if not self._upper_at(tok.start()):
                if (more := self._lower_case_goes_on(pos, end, tok.start(), named_after_ministry)) is not None:
                    end = more
                    continue
                if self._name_stops_at(tok.start()) or (named_after_ministry and not _AND_CAPITAL.match(
                        self.folded.text, self.folded.orig(tok.start()))):
                    break
            elif (m := self.mention_at.get(tok.start())) is not None and not m.weak and m.family == MINISTRY:
                if s[pos:end] not in ("van phong", "thanh tra") or not self._upper_at(_next_token(s, tok.end())):
                    break  # ("Văn phòng Bộ xây dựng lịch trực …": "xây dựng" is the work, no ministry's name)
                end = m.end  # "Văn phòng Bộ Công an", "Thanh tra Bộ Xây dựng": the ministry's own unit
                continue
            end = tok.end()
            if len(s[pos:end]) > 120:
                break
        return end if end > pos else None

    def _lower_case_goes_on(self, pos: int, end: int, at: int, named_after_ministry: bool) -> int | None:
        """Where a name goes on to through the lower-case words at `at` ("… và các khu công nghiệp", an activity
        after a dash, "khu vực" after a name taken from its ministry's), or None."""
        orig = self.folded.orig(at)
        if (zones := _AND_THE_ZONES.match(self.folded.text[orig:orig + 40].lower())) is not None:
            return self.folded.index_of(orig + zones.end())
        if (more := self._activity_goes_on(pos, end, at)) is not None:
            return more
        # After its ministry's whole name a department's name goes on only with where it is ("tỉnh X", "khu vực X").
        place = _PLACE_WORD.match(self.folded.s, at) if named_after_ministry else None
        return place.end() if place is not None else None

    def _activity_goes_on(self, pos: int, end: int, at: int) -> int | None:
        """"Cục Kinh tế - Quản lý đầu tư xây dựng": in the part of a name after its dash, an activity written with a
        capital takes its object in lower case; the folded end of the next such word at `at`, or None."""
        text = self.folded.text
        name = text[self.folded.orig(pos):self.folded.orig(end)]
        if _PROJECT_BOARD.match(name.lower()):
            # "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh": up to the first verb of the work.
            word = text[self.folded.orig(at):self.folded.orig(at) + 30].lower()
            before = text[self.folded.orig(end) - 8:self.folded.orig(at)].lower()
            noun = re.search(r"(?:công|quy|chương|lộ|hành)\s+$", before)
            if _NAME_STOP.match(word) and not _NAME_WORDS.match(word) and not noun \
                    and not word.startswith(("các ", "những ", "giao thông")):  # "công trình": a work, not "trình"
                return None
            return _TOKEN.match(self.folded.s, at).end()
        if " - " not in name:
            return None
        after_dash = name.rsplit(" - ", 1)[1]
        if not re.match(r"\w", after_dash) or not after_dash[:1].isupper() \
                or not re.search(r"(?:^|\s)" + _NAME_WORDS.pattern + r"$", after_dash.lower()):
            return None
        m = _NAME_WORDS.match(text[self.folded.orig(at):self.folded.orig(at) + 20].lower())
        return self.folded.index_of(self.folded.orig(at) + m.end()) if m else None

    def _names_a_place(self, pos: int) -> bool:
        """Whether the words from `pos` to the next comma name an agency of the list ("Viễn thông Lâm Đồng"): in a
        list of coordinators, the next addressee rather than more of the name before it ("Cục Thông tin, Thống kê")."""
        s = self.folded.s
        for n, tok in enumerate(_TOKEN.finditer(s, pos)):
            if n >= 8 or re.search(r"[,;:.()]", s[pos:tok.start()]):
                break
            if tok.start() in self.mention_at:
                return True
        return False

    def _name_goes_on(self, pos: int) -> bool:
        """Whether the capitalised words after a comma inside an organisation's name are more of its name, not the
        next addressee: neither an organisation word, an agency of the list nor a collective begins there."""
        return (self._upper_at(pos) and self.org_head_at(pos) is None and pos not in self.mention_at
                and self.collective_at(pos) is None and not _ACRONYM.match(self.folded.text, self.folded.orig(pos)))

    def _name_stops_at(self, pos: int) -> bool:
        text = self.folded.text
        at = self.folded.orig(pos)
        lower = text[at:at + 200].lower()
        if lower[:2] in ("và", "cùng") and not lower[2:3].isalpha():
            # "Tập đoàn A và Tập đoàn B": a second name; "Phòng Thương mại và Công nghiệp": one name.
            nxt = _TOKEN.search(self.folded.s, pos + 2)
            return nxt is None or not self._upper_at(nxt.start()) or nxt.start() in self.mention_at \
                or self.org_head_at(nxt.start()) is not None or _OFFICIAL.match(self.folded.s, nxt.start()) is not None
        if not _NAME_STOP.match(lower) or _NAME_HOLDS.match(lower) or self._named_before_acronym(text, at, lower) \
                or _NOUN_TRINH.search(self.folded.s, max(0, pos - 8), pos + 5):
            return False
        name_word = _NAME_WORDS.match(lower)
        if not name_word:
            return True
        # The words after it, up to the next comma or the next lower-case verb: the rest of a name has a capital
        # ("quản lý kinh tế Trung ương"); the work does not, or names a document ("xây dựng Đề án ...").
        clause = lower[:m.start()] if (m := _CLAUSE_END.search(lower)) else lower
        original_words = text[at:at + len(clause)].split()
        segment: list[str] = []
        for i, word in enumerate(original_words):
            low = word.lower()
            if i >= 2 and word[:1].islower() and (_NAME_STOP.match(" ".join(original_words[i:i + 2]).lower())
                                                  or _FUNCTION_WORDS.fullmatch(low)):
                break
            segment.append(word)
        joined = " ".join(segment).lower()
        reach = " ".join(original_words[:len(segment) + 2]).lower()
        return not (len(segment) <= 7 and any(w[:1].isupper() for w in segment[1:])
                    and not _DOCUMENT_WORD.search(reach) and not _FUNCTION_WORDS.search(joined))

    @staticmethod
    def _named_before_acronym(text: str, at: int, lower: str) -> bool:
        """"Cục Cảnh sát quản lý hành chính về trật tự xã hội (C06) chủ trì …": lower-case words with no verb among
        them, then the name's acronym in brackets, are still the name."""
        paren = lower.find("(")
        if not 0 < paren <= 70 or re.search(r"[,;:.]", lower[:paren]) or not _ACRONYM_PAREN.match(text, at + paren):
            return False
        words = lower[:paren].split()
        return not any(_NAME_STOP.match(pair := " ".join(words[i:i + 2])) and not _NAME_WORDS.match(pair)
                       and not _NAME_HOLDS.match(pair) and not _FUNCTION_WORDS.fullmatch(w)
                       for i, w in enumerate(words))

    def read_list(self, pos: int, *, allow_loose_unknown: bool = False) -> tuple[list[ListItem], int]:
        """The addressees listed from `pos` ("Bộ X, Bộ Y và Tập đoàn Z"), and the folded offset where the list
        ends (before any trailing separator)."""
        s = self.folded.s
        if (communes := self._named_communes(pos)) is not None:
            return communes
        items: list[ListItem] = []
        family_ok: str | None = None
        end = pos
        p = pos
        while True:
            while p < len(s) and s[p] == " ":
                p += 1
            item: ListItem | None = None
            official: str | None = None
            if not items:
                p, family_ok = self._past_list_head(p, family_ok)
            official_start, p = self._past_official(p)
            mention = self.mention_at.get(p)
            branch = _BRANCH.match(s, mention.end) if mention is not None else None
            if branch and (bend := self.unknown_at(branch.start() + 1, loose=True) or self._branch_end(branch.end())):
                # "Ngân hàng Nhà nước Chi nhánh Khu vực 10": a branch, an organisation of its own, not the bank.
                item = ListItem(UNKNOWN, p, bend, None, self.original(p, bend))
            elif mention is not None and (not mention.weak or mention.family == family_ok
                                          or (items and items[-1].agency is not None
                                              and agency_family(items[-1].agency) == mention.family)):
                item = ListItem(KNOWN, p, mention.end, mention.agency, self.original(p, mention.end))
                if mention.weak:
                    family_ok = mention.family
            elif cend := (official_start is not None and self.collective_at(official_start)) or self.collective_at(p):
                # "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố nêu trên": the heads of a collective, one collective
                start = official_start if official_start is not None else p
                item = ListItem(COLLECTIVE, start, cend, None, self.original(start, cend))
                official_start = None
            elif uend := self.unknown_at(p, loose=allow_loose_unknown):
                item = ListItem(UNKNOWN, p, uend, None, self.original(p, uend))
            if item is None:
                break
            if item.kind == COLLECTIVE and items and s.startswith("moi ", item.start):
                # "Bộ Y tế, Bộ Tư pháp, mỗi cơ quan ...": the work shared out among those named, no one else.
                end = item.end
                break
            if official_start is not None and item.kind == KNOWN:
                official = self.original(official_start, item.end)
                item.start = official_start
                item.official = official
            items.append(item)
            p = end = item.end
            p = self._skip_abbreviation(p, item)
            end = p
            sep = _SEPARATOR.match(s, p)
            if not sep:
                break
            p = sep.end()
        return self._of_every_province(items, end)

    def _after_comma(self, pos: int, end: int, tok: re.Match, headed: bool, loose: bool) -> int | None:
        """Where a name that starts at `pos` goes on to past the comma before `tok`, or None where it ends there."""
        s = self.folded.s
        if _PAIRED.search(s, max(0, end - 6), end) and _PAIRED_AFTER.match(s, tok.start()):
            return tok.end()  # "… Phòng, chống thiên tai", "… Khám, chữa bệnh": one phrase written with a comma
        if headed and self._name_goes_on(tok.start()) \
                and not (loose and (not _FIELD_NAMED_HEAD.match(s, pos) or self._names_a_place(tok.start()))):
            return tok.end()  # "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công"
        if _UNIT_HEAD.match(s, pos):
            return self._unit_fields_end(tok.start())  # "Cục Hộ tịch, quốc tịch, chứng thực ban hành …"
        return None

    def _unit_fields_end(self, at: int) -> int | None:
        """The end of a ministry unit's further fields in lower case after a comma ("…, quốc tịch, chứng thực"), when
        each is one to four words with no verb among them and a verb (the work) follows the last; else None."""
        s, pos, end = self.folded.s, at, None
        for _ in range(2):
            words = []
            for tok in _TOKEN.finditer(s, pos):
                if s[pos:tok.start()].strip() or self._upper_at(tok.start()) or self._name_stops_at(tok.start()):
                    break
                words.append(tok)
                pos = tok.end()
                if len(words) > 4:
                    return None
            if not words:
                return None
            end = words[-1].end()
            nxt = _TOKEN.search(s, end)
            if nxt is None:
                return None
            if s[end:nxt.start()].strip() == ",":
                pos = nxt.start()
                continue
            return end if not s[end:nxt.start()].strip() and self._name_stops_at(nxt.start()) else None
        return None

    def _branch_end(self, at: int) -> int | None:
        """"Ngân hàng Nhà nước chi nhánh Khu vực 11": a branch written in lower case, then where it is; the end of
        its name, or None."""
        s = self.folded.s
        m = _BRANCH_WORD.match(s, at)
        if m is None:
            return None
        end = None
        for tok in _TOKEN.finditer(s, m.end()):
            if end is not None and tok.start() < end:
                continue
            if s[(end or m.end()):tok.start()].strip():
                break
            if (place := _PLACE_WORD.match(s, tok.start())) is not None:
                end = place.end()  # "khu vực", "tỉnh", then the place's name
            elif self._upper_at(tok.start()) or tok.group().isdigit():
                end = tok.end()
            else:
                break
        return end

    def _named_communes(self, pos: int) -> tuple[list[ListItem], int] | None:
        """"Ủy ban nhân dân các xã Phước Dinh, Thuận Nam": the People's Committee of each commune named, one each
        (communes are not in the agency list: organisations by name)."""
        s, text = self.folded.s, self.folded.text
        head = _NAMED_COMMUNES.match(s, pos)
        if head is None or not self._upper_at(head.end()):
            return None
        body = text[self.folded.orig(head.start(1)):self.folded.orig(head.end(1))]
        kind = text[self.folded.orig(head.start(2)):self.folded.orig(head.end(2))]
        items: list[ListItem] = []
        p = end = head.end()
        while p < len(s) and self._upper_at(p):
            q = p
            for tok in _TOKEN.finditer(s, p):
                if s[q:tok.start()].strip() or not self._upper_at(tok.start()):
                    break
                q = tok.end()
            items.append(ListItem(UNKNOWN, p if items else pos, q, None, f"{body} {kind} {self.original(p, q)}"))
            end = q
            sep = _SEPARATOR.match(s, q)
            if not sep:
                break
            p = sep.end()
        return (items, end) if items else None

    def _of_every_province(self, items: list[ListItem], end: int) -> tuple[list[ListItem], int]:
        """"Sở Y tế, Sở Giáo dục và Đào tạo các tỉnh, thành phố": those departments of every province, together."""
        every = _OF_EVERY_PROVINCE.match(self.folded.s, end)
        if not (every and items and all(i.kind == UNKNOWN for i in items)):
            return items, end
        end = every.end()
        return [ListItem(COLLECTIVE, items[0].start, end, None, self.original(items[0].start, end))], end

    def _past_official(self, p: int) -> tuple[int | None, int]:
        """(where an official's title begins, where the body it heads begins): "Bộ trưởng Bộ Y tế", "Chủ tịch Ủy ban
        nhân dân các tỉnh …", "Giám đốc Sở Công Thương các tỉnh, thành phố"; (None, p) when no title heads a body."""
        s = self.folded.s
        off = _OFFICIAL.match(s, p)
        if off and (off.end() in self.mention_at or _COLLECTIVE.match(s, off.end())
                    or (self.org_head_at(off.end()) is not None
                        and (_OF_EVERY_PROVINCE.search(s, off.end(), off.end() + 60)
                             # "Giám đốc Sở Y tế", "Chánh Văn phòng Đoàn đại biểu Quốc hội và …": a unit's head
                             # answers for the unit, which leads.
                             or _HEAD_OF_UNIT.fullmatch(off.group().strip())))):
            return p, off.end()
        return None, p

    def _past_list_head(self, p: int, family_ok: str | None) -> tuple[int, str | None]:
        s = self.folded.s
        title = _OFFICIAL.match(s, p)
        if title and _LIST_HEAD.match(s, title.end()):
            p = title.end()  # "Bộ trưởng các Bộ: Quốc phòng, Công an": the ministers of the ministries named
        head = _LIST_HEAD.match(s, p)
        if head and (m := self.mention_at.get(head.end())) is not None and m.weak:
            return head.end(), MINISTRY if s[p:head.end()].startswith("cac bo") else PROVINCE
        head = _LIST_HEAD_PROVINCE.match(s, p)
        if head and (m := self.mention_at.get(head.end())) is not None and m.family == PROVINCE:
            return head.end(), PROVINCE
        return p, family_ok

    def _skip_abbreviation(self, p: int, item: ListItem) -> int:
        """Past "(VPCP)" or "(Bộ KHĐT)" right after a name: the same body, written short."""
        s = self.folded.s
        m = _PAREN.match(s, p)
        if not m:
            return p
        inner = m.start(1)
        mention = self.mention_at.get(inner)
        if mention is not None and mention.end == m.end(1) and mention.agency is item.agency:
            return m.end()
        if _ACRONYM.fullmatch(self.folded.text[self.folded.orig(inner):self.folded.orig_end(m.end(1))].strip()):
            return m.end()
        # "Bộ Công an (Cục Cảnh sát quản lý hành chính về trật tự xã hội) chủ trì": the unit inside the body;
        # "Tập đoàn Viễn thông Quân đội (Viettel)": the name it is known by.
        if not _PAREN_ROLE.search(m.group(1)):
            return m.end()
        return p
