"""The agencies rule: names found once, roles read, who leads a draft, and the official suggested."""

from app.imports.gazetteer import load_seed_agencies
from app.imports.rules import agencies
from tests.imports.rule_state import read, state_after

BY_NAME = {a.name: a for a in load_seed_agencies()}


def test_the_scan_finds_every_named_agency_once():
    state = state_after("Bộ Y tế và Bộ Tư pháp cùng Thành phố Đà Nẵng.", agencies.scan)
    assert [m.agency.name for m in state.scan.mentions] == ["Bộ Y tế", "Bộ Tư pháp", "Thành phố Đà Nẵng"]
    assert state.inside_mention(state.mention_starts[0] + 2)


def test_two_leads_make_two_drafts_and_related_bodies_only_help():
    state = read("Bộ Tư pháp, Bộ Ngoại giao và các cơ quan liên quan rà soát điều ước quốc tế trong năm 2025.")
    assert [d.lead.name for d in state.drafts] == ["Bộ Tư pháp", "Bộ Ngoại giao"]
    assert all("parallel_lead" in d.flags for d in state.drafts)


def test_coordinators_named_before_their_role_are_read():
    state = read("Bộ Y tế chủ trì, Bộ Tài chính phối hợp xây dựng cơ chế giá dịch vụ khám bệnh.")
    (draft,) = state.drafts
    assert [a.name for a in draft.coordinating] == ["Bộ Tài chính"]


def test_the_suggested_official_follows_the_kind_of_agency():
    assert agencies.suggest_official(BY_NAME["Bộ Y tế"]) == "Bộ trưởng Bộ Y tế"
    assert agencies.suggest_official(BY_NAME["Tỉnh Quảng Ninh"]) == "Chủ tịch Ủy ban nhân dân tỉnh Quảng Ninh"
    assert agencies.suggest_official(BY_NAME["Ngân hàng Nhà nước Việt Nam"]) == "Thống đốc Ngân hàng Nhà nước Việt Nam"


def test_two_national_bodies_outside_the_list_side_by_side_each_lead_a_draft():
    # "Trung ương Hội ..." begins a body's name as "Tập đoàn ..." does: the second name is no part of the work.
    state = read("1. Đề nghị Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam, Trung ương Hội Nông dân Việt Nam vận động "
                 "hội\nviên góp giống cây trồng cho các xã bị lũ quét trong tháng 11/2025.\n")
    assert [d.unknown_lead for d in state.drafts] == ["Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
                                                      "Trung ương Hội Nông dân Việt Nam"]
    assert all(d.title.startswith("Vận động hội viên") for d in state.drafts)


def test_a_party_committee_beside_the_peoples_committee_is_no_lead_of_its_own():
    state = read("1. Đề nghị Tỉnh ủy, Ủy ban nhân dân tỉnh Nghệ An chỉ đạo rà soát quy hoạch vùng ven biển trong "
                 "quý III/2025.\n")
    assert [(d.lead.name if d.lead else None, d.unknown_lead) for d in state.drafts] == [("Tỉnh Nghệ An", None)]
    assert "parallel_lead" not in state.drafts[0].flags


def test_heads_of_every_ministry_and_province_addressed_by_their_titles_are_one_collective():
    # The formula that addresses all ministers and all provincial chairs by their titles is no body named "Bộ trưởng".
    state = read("2. Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ, Chủ tịch Ủy ban nhân dân các "
                 "tỉnh, thành phố trực thuộc Trung ương:\n"
                 "a) Rà soát danh mục dịch vụ công trực tuyến của ngành, địa phương mình trong tháng 8/2025.\n"
                 "b) Bố trí cán bộ chuyên trách an toàn thông tin trong quý IV/2025.\n")
    assert [(d.collective_lead, d.lead, d.unknown_lead) for d in state.drafts] == [(True, None, None)] * 2
