"""Agency names found accent-insensitively and longest-first; unknown organisations reported, never mapped."""

import json
import unicodedata
from pathlib import Path

import pytest

from app.imports.gazetteer import KnownAgency, get_gazetteer, load_seed_agencies
from app.text import fold

SEED = Path(__file__).resolve().parents[2] / "seed"
AGENCIES = load_seed_agencies()
GAZETTEER = get_gazetteer(AGENCIES)
BY_CODE = {a.code: a for a in AGENCIES}


def names(text: str) -> list[tuple[str, str | None]]:
    return [(f.text, f.agency.name if f.agency else None) for f in GAZETTEER.find(text)]


def test_the_longest_name_wins():
    assert names("Ngân hàng Nhà nước Việt Nam chủ trì") == [("Ngân hàng Nhà nước Việt Nam",
                                                             "Ngân hàng Nhà nước Việt Nam")]
    assert names("Bộ Kế hoạch và Đầu tư, Bộ Lao động - Thương binh và Xã hội") == [
        ("Bộ Kế hoạch và Đầu tư", "Bộ Kế hoạch và Đầu tư"),
        ("Bộ Lao động - Thương binh và Xã hội", "Bộ Lao động - Thương binh và Xã hội")]
    assert names("Văn phòng Chính phủ theo dõi") == [("Văn phòng Chính phủ", "Văn phòng Chính phủ")]


@pytest.mark.parametrize("text", ["UBND tỉnh Nghệ An", "Ủy ban nhân dân tỉnh Nghệ An", "tỉnh Nghệ An",
                                  "Uỷ ban nhân dân tỉnh Nghệ An", "UỶ BAN NHÂN DÂN TỈNH NGHỆ AN",
                                  "Uy ban nhan dan tinh Nghe An"])
def test_a_province_by_any_of_its_names(text):
    assert names(text) == [(text, "Tỉnh Nghệ An")]


@pytest.mark.parametrize(("text", "code"), [
    ("Bộ TT&TT", "000.00.00.G14"), ("Bộ TTTT", "000.00.00.G14"), ("Bộ KH&ĐT", "000.00.00.G05"),
    ("Bộ KHĐT", "000.00.00.G05"), ("NHNN", "000.00.00.G19"), ("VPCP", "000.00.00.G22"),
    ("TP. Hồ Chí Minh", "000.00.00.H29"), ("TP.HCM", "000.00.00.H29"), ("Thành phố HCM", "000.00.00.H29"),
    ("UBND TP.HCM", "000.00.00.H29"), ("Thành phố Hồ Chí Minh", "000.00.00.H29"), ("TP. Hà Nội", "000.00.00.H91"),
    ("Bộ LĐ-TB&XH", "000.00.00.G07"), ("Bộ GD&ĐT", "000.00.00.G03"), ("BHXH Việt Nam", "000.00.00.G91"),
    ("Bộ Nông nghiệp và Môi trường", "000.00.00.G94"), ("Bộ Dân tộc và Tôn giáo", "000.00.00.G95"),
    ("Bộ Văn hóa, Thể thao và Du lịch", "000.00.00.G16"), ("Bộ Văn hoá - Thể thao và Du lịch", "000.00.00.G16"),
    ("Kiểm toán Nhà nước", "000.00.00.K91"), ("Đài Tiếng nói Việt Nam", "000.00.00.G96"),
    ("UBND tỉnh Bà Rịa-Vũng Tàu", "000.00.00.H02"), ("tỉnh Thừa Thiên Huế", "000.00.00.H57"),
    ("Thành phố Huế", "000.00.00.H93"), ("UBND thành phố Huế", "000.00.00.H93"),
])
def test_abbreviations_and_variants(text, code):
    found = GAZETTEER.find(text)
    assert [(f.text, f.agency.code) for f in found] == [(text, code)]


def test_the_home_ministry_is_not_foreign_affairs():
    assert names("Bộ Nội vụ, Bộ Ngoại giao") == [("Bộ Nội vụ", "Bộ Nội vụ"), ("Bộ Ngoại giao", "Bộ Ngoại giao")]


def test_parallel_provinces_are_all_found():
    assert [n for _, n in names("Ủy ban nhân dân tỉnh Nghệ An, tỉnh Thanh Hóa triển khai")] == [
        "Tỉnh Nghệ An", "Tỉnh Thanh Hóa"]
    assert [n for _, n in names("Ủy ban nhân dân các tỉnh Nghệ An, Thanh Hóa, Hà Tĩnh triển khai")] == [
        "Tỉnh Nghệ An", "Tỉnh Thanh Hóa", "Tỉnh Hà Tĩnh"]
    assert [n for _, n in names("Giao các Bộ: Kế hoạch và Đầu tư, Tài chính bố trí vốn")] == [
        "Bộ Kế hoạch và Đầu tư", "Bộ Tài chính"]


@pytest.mark.parametrize("org", [
    "Tập đoàn Điện lực Việt Nam", "Viện Nghiên cứu quản lý kinh tế Trung ương", "Hiệp hội Thương mại điện tử Việt Nam",
    "Tổng công ty Bưu điện Việt Nam", "Trường Đại học Cần Thơ", "Sở Thông tin và Truyền thông tỉnh Nghệ An",
    "Đại học Quốc gia Thành phố Hồ Chí Minh", "Phòng Thương mại và Công nghiệp Việt Nam", "Ban Cơ yếu Chính phủ",
    "Tập đoàn Công nghiệp - Viễn thông Quân đội"])
def test_unknown_organisations_are_reported_whole_and_unmapped(org):
    assert names(f"phối hợp với {org}, Bộ Tài chính nghiên cứu") == [(org, None), ("Bộ Tài chính", "Bộ Tài chính")]
    assert names(f"phối hợp với Bộ Tư pháp và {org} xây dựng Đề án") == [("Bộ Tư pháp", "Bộ Tư pháp"), (org, None)]


def test_bare_names_count_only_inside_a_list():
    assert names("xây dựng cơ chế tài chính đặc thù") == []
    assert names("điều chỉnh quy hoạch Khu kinh tế Đông Nam Nghệ An") == []
    assert names("mô hình tăng trưởng của Tài chính số") == []


def test_abbreviations_in_capitals_only():
    assert names("nhnn và vpcp") == []


def test_offsets_point_into_decomposed_text():
    text = unicodedata.normalize("NFD", "Giao Bộ Tài chính chủ trì")
    (found,) = GAZETTEER.find(text)
    assert text[found.start:found.end] == unicodedata.normalize("NFD", "Bộ Tài chính")
    assert found.agency.code == "000.00.00.G12"


def test_lookup_of_a_whole_name():
    assert GAZETTEER.lookup("VĂN PHÒNG CHÍNH PHỦ").code == "000.00.00.G22"
    assert GAZETTEER.lookup("Bộ TT&TT").code == "000.00.00.G14"
    assert GAZETTEER.lookup("Tập đoàn Điện lực Việt Nam") is None


def test_the_gazetteer_is_built_once_per_agency_list():
    assert get_gazetteer(load_seed_agencies()) is GAZETTEER
    other = [KnownAgency(id=1, code="X01", name="Sở Tài chính", short_name="STC", aliases=["STC"])]
    assert get_gazetteer(other) is not GAZETTEER
    assert [(f.agency.code, f.text) for f in get_gazetteer(other).find("Sở Tài chính và STC")] == [
        ("X01", "Sở Tài chính"), ("X01", "STC")]


# ---- the seed data the gazetteer is loaded from ----

def test_the_seed_has_all_63_provinces_in_alphabetical_code_order():
    rows = json.loads((SEED / "agencies.json").read_text(encoding="utf-8"))
    provinces = [r for r in rows if r["kind"] == "province" and r["code"] != "000.00.00.H93"]  # H93: Huế, 2025
    assert len(provinces) == 63
    placeholder = {"000.00.00.H91": "Thành phố Hà Nội", "000.00.00.H92": "Thành phố Hải Phòng"}
    for code, name in placeholder.items():
        assert {r["code"]: r["name"] for r in provinces}[code] == name
    ordered = sorted((r for r in provinces if r["code"] not in placeholder),
                     key=lambda r: fold(r["name"].split(" ", 2)[-1] if r["name"].startswith("Thành phố")
                                        else r["name"].split(" ", 1)[-1]))
    codes = [int(r["code"][-2:]) for r in ordered]
    assert codes == sorted(codes) and codes[0] == 1 and codes[-1] == 63
    assert {24, 27}.isdisjoint(codes)  # Hà Nội and Hải Phòng keep their placeholder codes
    known = {"000.00.00.H29": "Thành phố Hồ Chí Minh", "000.00.00.H15": "Thành phố Đà Nẵng",
             "000.00.00.H41": "Tỉnh Nghệ An", "000.00.00.H56": "Tỉnh Thanh Hóa", "000.00.00.H14": "Tỉnh Cao Bằng"}
    assert {code: BY_CODE[code].name for code in known} == known


def test_seed_names_codes_and_short_names_are_unique_and_aliases_name_real_codes():
    rows = json.loads((SEED / "agencies.json").read_text(encoding="utf-8"))
    for key in ("code", "name", "short_name"):
        values = [r[key] for r in rows]
        assert len(values) == len(set(values)), key
    aliases = json.loads((SEED / "agency_aliases.json").read_text(encoding="utf-8"))
    assert set(aliases) <= {r["code"] for r in rows}
    assert GAZETTEER.ambiguous == []


def test_a_provincial_department_named_after_its_ministry_keeps_the_whole_name():
    # "Sở" + a ministry's name with a comma in it: the comma belongs to the name, as it does in the ministry's.
    scan = get_gazetteer(load_seed_agencies()).scan("Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Sở Y tế")
    items, _ = scan.read_list(0)
    assert [(i.kind, i.text) for i in items] == [("unknown", "Sở Văn hóa, Thể thao và Du lịch")]


def test_a_name_outside_the_list_ends_at_a_tab_the_edge_of_a_table_cell():
    scan = get_gazetteer(load_seed_agencies()).scan("Cục Quản lý Thủy sản\t\tThông tư\tQuý I/2026")
    items, _ = scan.read_list(0, allow_loose_unknown=True)
    assert [i.text for i in items] == ["Cục Quản lý Thủy sản"]


@pytest.mark.parametrize(("written", "name"), [
    ("Bộ TC", "Bộ Tài chính"), ("Bộ XD", "Bộ Xây dựng"), ("Bộ NN&MT", "Bộ Nông nghiệp và Môi trường"),
    ("Bộ VHTTDL", "Bộ Văn hóa, Thể thao và Du lịch"), ("Bộ GD&ĐT", "Bộ Giáo dục và Đào tạo")])
def test_a_ministry_shortened_one_capital_a_syllable(written, name):
    assert names(f"{written} chủ trì rà soát") == [(written, name)]


def test_a_shortening_counts_only_in_capitals():
    assert names("bộ tc chủ trì rà soát") == []


def test_a_ministrys_department_ends_with_the_ministrys_name_unless_a_place_follows():
    scan = get_gazetteer(load_seed_agencies()).scan("phối hợp với Sở Nội vụ sắp xếp đội ngũ, Sở Nội vụ tỉnh Điện Biên")
    items, _ = scan.read_list(13, allow_loose_unknown=True)
    assert [i.text for i in items] == ["Sở Nội vụ"]
    items, _ = scan.read_list(scan.folded.s.index("so noi vu tinh"), allow_loose_unknown=True)
    assert [i.text for i in items] == ["Sở Nội vụ tỉnh Điện Biên"]


def test_a_branch_of_a_known_agency_is_an_organisation_of_its_own():
    scan = get_gazetteer(load_seed_agencies()).scan("Ngân hàng Nhà nước Chi nhánh Khu vực 7 chỉ đạo các ngân hàng")
    items, _ = scan.read_list(0)
    assert [(i.kind, i.text) for i in items] == [("unknown", "Ngân hàng Nhà nước Chi nhánh Khu vực 7")]


def test_a_provincial_tax_office_and_youth_union_begin_organisations():
    for written in ("Thuế tỉnh Gia Lai", "Tỉnh đoàn Gia Lai"):
        scan = get_gazetteer(load_seed_agencies()).scan(f"{written} triển khai hóa đơn điện tử")
        items, _ = scan.read_list(0)
        assert [(i.kind, i.text) for i in items] == [("unknown", written)]


def test_a_ministrys_own_units_addressed_together_are_a_collective():
    scan = get_gazetteer(load_seed_agencies()).scan("Các Vụ, Cục, Văn phòng Bộ, Thanh tra Bộ xây dựng kế hoạch")
    items, _ = scan.read_list(0)
    assert [i.kind for i in items] == ["collective"]


def test_the_departments_of_every_province_are_one_collective():
    scan = get_gazetteer(load_seed_agencies()).scan("Sở Y tế, Sở Giáo dục và Đào tạo các tỉnh, thành phố tổ chức khám")
    items, _ = scan.read_list(0)
    assert [(i.kind, i.text) for i in items] == [
        ("collective", "Sở Y tế, Sở Giáo dục và Đào tạo các tỉnh, thành phố")]


@pytest.mark.parametrize("written", ["Văn phòng HĐND và UBND phường", "Trạm Y tế xã", "Cục Quản lý đê điều và "
                                     "Phòng, chống thiên tai"])
def test_a_local_office_is_one_organisation(written):
    scan = get_gazetteer(load_seed_agencies()).scan(f"{written} xây dựng kế hoạch trực Tết")
    items, _ = scan.read_list(0)
    assert [(i.kind, i.text) for i in items] == [("unknown", written)]


def test_a_minister_who_notes_something_is_no_organisation():
    scan = get_gazetteer(load_seed_agencies()).scan("Bộ trưởng ghi nhận đề xuất của tỉnh")
    assert scan.read_list(0)[0] == []


@pytest.mark.parametrize("written", ["Hiệp hội các nhà bán lẻ Việt Nam", "Cục Quản lý và Phát triển thị trường trong "
                                     "nước"])
def test_words_real_names_hold(written):
    scan = get_gazetteer(load_seed_agencies()).scan(f"{written} vận động hội viên bình ổn giá")
    items, _ = scan.read_list(0)
    assert [(i.kind, i.text) for i in items] == [("unknown", written)]


def test_the_heads_of_a_collective_named_above_are_one_collective():
    scan = get_gazetteer(load_seed_agencies()).scan("Chủ tịch Ủy ban nhân dân các tỉnh, thành phố nêu trên:")
    items, _ = scan.read_list(0)
    assert [i.kind for i in items] == ["collective"]


def test_the_ministers_of_the_ministries_named_after_a_list_head():
    scan = get_gazetteer(load_seed_agencies()).scan("Bộ trưởng các Bộ: Y tế, Xây dựng chỉ đạo các đơn vị")
    items, _ = scan.read_list(0)
    assert [i.agency.name for i in items] == ["Bộ Y tế", "Bộ Xây dựng"]


def test_the_director_of_every_provinces_department_is_one_collective():
    scan = get_gazetteer(load_seed_agencies()).scan("Giám đốc Sở Y tế các tỉnh, thành phố trực thuộc Trung ương:")
    items, _ = scan.read_list(0)
    assert [i.kind for i in items] == ["collective"]


def test_a_steering_committees_name_holds_what_it_is_about():
    scan = get_gazetteer(load_seed_agencies()).scan("Ban Chỉ đạo quốc gia về Phòng, chống thiên tai chủ trì tổng kết")
    items, _ = scan.read_list(0)
    assert [i.text for i in items] == ["Ban Chỉ đạo quốc gia về Phòng, chống thiên tai"]
