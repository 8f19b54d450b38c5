"""The agencies rule: names found once, roles read, who leads a draft, and the official suggested."""

from app.imports.gazetteer import load_seed_agencies
from app.imports.parser import RULES
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


WORKING_SESSION = """VĂN PHÒNG CHÍNH PHỦ
Số: 12/TB-VPCP
Hà Nội, ngày 03 tháng 3 năm 2025

THÔNG BÁO
Kết luận của Phó Thủ tướng Chính phủ tại buổi làm việc với lãnh đạo tỉnh Sơn La

Ngày 25 tháng 02 năm 2025, Phó Thủ tướng Chính phủ đã làm việc với lãnh đạo tỉnh. Phó Thủ tướng kết luận như sau:
1. Ủy ban nhân dân tỉnh chủ trì rà soát quy hoạch vùng trồng cây ăn quả, hoàn thành trong quý III/2025.
2. Bộ Công Thương phối hợp với tỉnh xúc tiến xuất khẩu nông sản qua cửa khẩu, báo cáo trong tháng 9/2025.
3. Bộ Y tế chủ trì, phối hợp với UBND tỉnh nâng cấp bệnh viện đa khoa vùng trước ngày 31/12/2025.
4. Bộ Tài chính hướng dẫn tỉnh thủ tục vay vốn ưu đãi trong tháng 6/2025.
Văn phòng Chính phủ thông báo để các cơ quan biết, thực hiện./.
Nơi nhận:
- Lưu: VT.
"""


def test_in_a_working_session_with_one_province_an_unnamed_province_is_that_one():
    state = state_after(WORKING_SESSION, RULES[-1])
    summary = [(d.lead.name, [a.name for a in d.coordinating]) for d in state.drafts]
    assert summary == [("Tỉnh Sơn La", []), ("Bộ Công Thương", ["Tỉnh Sơn La"]), ("Bộ Y tế", ["Tỉnh Sơn La"]),
                       ("Bộ Tài chính", [])]  # guided, not a coordinator


def test_without_a_working_session_an_unnamed_province_stays_unnamed():
    text = WORKING_SESSION.replace("tại buổi làm việc với lãnh đạo tỉnh Sơn La", "về nông nghiệp vùng cao")
    state = state_after(text, RULES[-1])
    assert all(a.name != "Tỉnh Sơn La" for d in state.drafts for a in d.coordinating + [d.lead] if a)


def test_each_of_parallel_agencies_does_the_work_and_no_collective_is_added():
    # "..., mỗi cơ quan ..." distributes the work over the agencies named before it; it addresses no one else.
    state = read("4. Bộ Tư pháp, Bộ Nội vụ, mỗi cơ quan ban hành quy chế số hóa hồ sơ lưu trữ của ngành trong "
                 "quý II/2026.\n")
    assert [(d.lead.name if d.lead else None, d.collective_lead) for d in state.drafts] == [
        ("Bộ Tư pháp", False), ("Bộ Nội vụ", False)]
    assert all(d.title.startswith("Ban hành quy chế số hóa") for d in state.drafts)


def test_a_department_outside_the_list_ends_before_the_work_it_builds():
    # "xây dựng" may be inside a name, but not when a document follows it ("Quy chế", "Quy trình", "Phương án").
    first, second = read("1. Sở Tư pháp xây dựng Quy chế phối hợp kiểm tra văn bản, hoàn thành trong tháng 9/2025.\n"
                         "2. Sở Y tế xây dựng Quy trình tiếp nhận người bệnh chuyển tuyến trong quý IV/2025.\n").drafts
    assert (first.unknown_lead, second.unknown_lead) == ("Sở Tư pháp", "Sở Y tế")


def test_a_dashed_name_whose_activity_takes_its_object_in_lower_case():
    state = read("1. Giao Cục Kinh tế - Quản lý đầu tư xây dựng hoàn thiện dự thảo Thông tư về đơn giá nhân công, "
                 "trình Bộ trưởng trước ngày 20/12/2025.\n"
                 "2. Giao Vụ Kế hoạch - Tài chính xây dựng kế hoạch vốn năm 2025 trong tháng 11/2025.\n")
    assert [d.unknown_lead for d in state.drafts] == ["Cục Kinh tế - Quản lý đầu tư xây dựng",
                                                      "Vụ Kế hoạch - Tài chính"]
    assert state.drafts[1].title.startswith("Xây dựng kế hoạch vốn")


def test_the_police_or_committees_of_every_commune_are_no_coordinator_by_name():
    state = read("STT\tĐơn vị chủ trì\tNội dung công việc\tThời gian\tĐơn vị phối hợp\n"
                 "1\tSở Xây dựng\tKiểm tra công trình gây bụi\tQuý IV/2025\tCông an tỉnh; UBND các phường\n"
                 "2\tSở Y tế\tKiểm tra bếp ăn tập thể\tQuý IV/2025\tCông an cấp xã\n")
    assert [d.unknown_agencies for d in state.drafts] == [["Sở Xây dựng", "Công an tỉnh"], ["Sở Y tế"]]


def test_divisions_and_branches_of_a_department_head_their_items():
    state = read("2.1. Phòng Quản lý đô thị\n"
                 "a) Hoàn thiện quy chế quản lý kiến trúc, trình Giám đốc Sở trước ngày 10/11/2025.\n"
                 "2.2. Chi cục Thủy lợi\n"
                 "Kiểm tra an toàn 12 hồ chứa sau mưa lũ, báo cáo trước 17 giờ 00 ngày 30/10/2025.\n")
    assert [d.unknown_lead for d in state.drafts] == ["Phòng Quản lý đô thị", "Chi cục Thủy lợi"]
    assert state.drafts[1].deadline_on.isoformat() == "2025-10-30"


def test_a_project_board_named_after_what_it_builds():
    (draft,) = read("c) Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh hoàn thiện hồ sơ thiết kế "
                    "đoạn tuyến số 2, gửi Sở Xây dựng trước ngày 30/11/2025.").drafts
    assert draft.unknown_lead == "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh"
    assert draft.title.startswith("Hoàn thiện hồ sơ thiết kế")


def test_a_department_named_after_two_fields_among_coordinators_but_not_a_telecom_with_its_place():
    state = read("1. Sở Tư pháp phối hợp với Cục Thông tin, Thống kê cập nhật dữ liệu hộ tịch trong quý IV/2025.\n"
                 "2. Sở Y tế phối hợp với Công an tỉnh, Viễn thông Lâm Đồng triển khai sổ sức khỏe điện tử trong quý "
                 "IV/2025.\n")
    assert state.drafts[0].unknown_agencies[1:] == ["Cục Thông tin, Thống kê"]
    assert state.drafts[1].unknown_agencies[1:] == ["Công an tỉnh", "Viễn thông Lâm Đồng"]


def test_coordinators_written_in_the_work_cell_of_a_table():
    (draft,) = read("STT\tNội dung\tCơ quan thực hiện\tThời gian hoàn thành\n"
                    "1\tChủ trì, phối hợp với Bộ Y tế xây dựng hệ thống giám sát dịch bệnh\tBộ Công an\tQuý IV/2025\n"
                    ).drafts
    assert draft.title.startswith("Xây dựng hệ thống giám sát dịch bệnh")
    assert [a.name for a in draft.coordinating] == ["Bộ Y tế"]


def test_the_committees_of_communes_named_one_by_one_lead_one_draft_each():
    state = read("3.5. Ủy ban nhân dân các xã Hòa Bình, Tân Lập:\n"
                 "- Hoàn thành kiểm đếm và niêm yết phương án bồi thường trước ngày 10/11/2025.\n")
    assert [d.unknown_lead for d in state.drafts] == ["Ủy ban nhân dân xã Hòa Bình", "Ủy ban nhân dân xã Tân Lập"]


def test_social_insurance_post_and_telecom_branches_are_organisations_and_special_zones_a_collective():
    state = read("1. Đề nghị Bảo hiểm xã hội thành phố phối hợp với Bưu điện thành phố chi trả lương hưu tháng 01 "
                 "trước ngày 20/12/2025.\n"
                 "2. Đề nghị Viettel Mẫu Sơn bảo đảm phủ sóng di động tại các thôn trong quý IV/2025.\n"
                 "3. Ủy ban nhân dân các xã, phường, đặc khu rà soát hộ nghèo, hoàn thành trong tháng 11/2025.\n")
    first, second, third = state.drafts
    assert first.unknown_lead == "Bảo hiểm xã hội thành phố" and "Bưu điện thành phố" in first.unknown_agencies
    assert second.unknown_lead == "Viettel Mẫu Sơn"
    assert third.collective_lead and third.collective_text == "Ủy ban nhân dân các xã, phường, đặc khu"


def test_a_board_over_the_zones_it_names_keeps_its_whole_name():
    state = read("I. Ban Quản lý Khu kinh tế Vân Phong và các khu công nghiệp\n"
                 "1. Rà soát các dự án chậm tiến độ, báo cáo Chủ tịch trước ngày 30/9/2025.\n")
    (draft,) = state.drafts
    assert draft.unknown_lead == "Ban Quản lý Khu kinh tế Vân Phong và các khu công nghiệp"


COUNCIL_STANDING = """HỘI ĐỒNG NHÂN DÂN TỈNH SƠN LA
THƯỜNG TRỰC
Số: 40/TB-HĐND
Sơn La, ngày 03 tháng 3 năm 2025

THÔNG BÁO
Kết luận của Thường trực Hội đồng nhân dân tỉnh tại phiên giải trình về giáo dục vùng cao

Thường trực Hội đồng nhân dân tỉnh kết luận như sau:
1. Ủy ban nhân dân tỉnh chỉ đạo rà soát trường lớp vùng cao, báo cáo trong quý III/2025.
2. Giám đốc Sở Giáo dục và Đào tạo bố trí giáo viên cho các điểm trường lẻ trước ngày 31/8/2025.
3. Chánh Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh đăng tải Thông báo này trên Trang thông tin \
điện tử trong tháng 3/2025.
Thường trực Hội đồng nhân dân tỉnh thông báo để các cơ quan biết, thực hiện./.
Nơi nhận:
- Lưu: VT.
"""


def test_a_councils_standing_body_and_a_party_committee_assign_their_provinces_committee():
    state = state_after(COUNCIL_STANDING, RULES[-1])
    # The issuer block puts the council on its first line and the part that signs under it.
    assert [(d.lead.name if d.lead else d.unknown_lead) for d in state.drafts] == [
        "Tỉnh Sơn La", "Sở Giáo dục và Đào tạo", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh"]
    # A unit's head answers for the unit; "đăng tải" is work to do, not work under way ("đang").
    assert state.drafts[2].title.startswith("Đăng tải Thông báo này")
    party = COUNCIL_STANDING.replace("HỘI ĐỒNG NHÂN DÂN TỈNH SƠN LA\nTHƯỜNG TRỰC", "TỈNH ỦY SƠN LA\nBAN CHỈ ĐẠO")
    assert state_after(party, RULES[-1]).drafts[0].lead.name == "Tỉnh Sơn La"


def test_ministry_codes_names_before_their_acronym_and_a_heading_that_is_one_name():
    state = read("1. Cục Quản lý, giám sát bảo hiểm:\n"
                 "- Xây dựng kế hoạch kiểm tra doanh nghiệp bảo hiểm năm 2025, trình trước ngày 15/12/2025.\n"
                 "2. Cục Cảnh sát giao thông đường bộ (C08) chủ trì, phối hợp với BYT, BQP rà soát quy trình cấp giấy "
                 "khám sức khỏe lái xe theo Văn bản số 512/BCA-C08, hoàn thành trong tháng 11/2025.\n")
    supervision, police = state.drafts
    assert supervision.unknown_lead == "Cục Quản lý, giám sát bảo hiểm"
    assert police.unknown_lead == "Cục Cảnh sát giao thông đường bộ"
    # "BYT", "BQP": the ministries' three letters; "512/BCA-C08" is a number, not Bộ Công an helping.
    assert [a.name for a in police.coordinating] == ["Bộ Y tế", "Bộ Quốc phòng"]


def test_a_regions_bo_is_no_ministry_and_a_name_may_hold_cong_trinh():
    state = read("1. Sở Nông nghiệp và Môi trường chủ trì, phối hợp với Đài Khí tượng thủy văn khu vực Nam Bộ xây "
                 "dựng phương án chống hạn, hoàn thành trước ngày 10/12/2025.\n"
                 "2. Đề nghị Công ty TNHH MTV Khai thác công trình thủy lợi Mẫu nạo vét kênh trước ngày 20/12/2025.\n"
                 "3. Đài Phát thanh và Truyền hình tỉnh thường xuyên thông tin về hạn mặn.\n")
    plan, canals, news = state.drafts
    assert plan.title.startswith("Xây dựng phương án") and plan.unknown_agencies[1:] == [
        "Đài Khí tượng thủy văn khu vực Nam Bộ"]
    assert canals.unknown_lead == "Công ty TNHH MTV Khai thác công trình thủy lợi Mẫu"
    assert news.unknown_lead == "Đài Phát thanh và Truyền hình tỉnh"


LETTER = """BỘ Y TẾ
Số: 4100/BYT-KCB
V/v triển khai bệnh án điện tử
Hà Nội, ngày 10 tháng 3 năm 2025

Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.

II. QUAN ĐIỂM, MỤC TIÊU
Người đứng đầu các cơ sở y tế trực tiếp chỉ đạo, chịu trách nhiệm về kết quả triển khai bệnh án điện tử.
III. NHIỆM VỤ
Để hoàn thành mục tiêu năm 2025, Bộ Y tế đề nghị Ủy ban nhân dân các tỉnh chỉ đạo Sở Y tế triển khai bệnh án điện \
tử tại các bệnh viện tuyến tỉnh trước ngày 30/9/2025.
Bộ Y tế rất mong nhận được sự quan tâm, phối hợp của Quý cơ quan./.
Nơi nhận:
- Như trên.
"""


def test_the_issuer_speaking_in_its_own_letter_is_no_lead():
    state = state_after(LETTER, RULES[-1])
    (draft,) = state.drafts
    assert draft.collective_lead and draft.deadline_on.isoformat() == "2025-09-30"
    assert "closing" in [g.reason for g in state.segments]


def test_a_unit_by_its_area_a_partner_after_cung_and_the_items_under_the_ban_of_a_group():
    state = read("1. Trung tâm Y tế khu vực Bến Mẫu hoàn thành sửa chữa khu điều trị nội trú trước ngày 10/12/2025.\n"
                 "2. Phòng Y tế chủ trì, cùng Phòng Văn hóa - Xã hội tổ chức khám sàng lọc cho người cao tuổi.\n"
                 "3. Đối với các Ban của Tổng công ty\n"
                 "3.1. Ban Kỹ thuật tổng hợp tình hình, báo cáo Tổng Giám đốc trước ngày 10/01/2026.\n"
                 "Chế độ báo cáo thực hiện theo quy định hiện hành; Sở không ban hành thêm biểu mẫu báo cáo.\n")
    centre, partners, technical = state.drafts
    assert centre.unknown_lead == "Trung tâm Y tế khu vực Bến Mẫu"
    assert partners.unknown_agencies[1:] == ["Phòng Văn hóa - Xã hội"] and partners.title.startswith("Tổ chức khám")
    assert technical.unknown_lead == "Ban Kỹ thuật"


def test_a_department_heading_named_after_two_fields_and_its_task_line():
    state = read("IV. Vụ Kế hoạch, Tài chính\n"
                 "Nhiệm vụ: Phân bổ dự toán ngân sách năm 2025 cho các đơn vị trực thuộc. Thời hạn: trước ngày "
                 "31/12/2025.\n"
                 "1. Chỉ tiêu: 100% đơn vị giải ngân trên 95% kế hoạch vốn; tập luyện thể thao thường xuyên đạt 40%.\n")
    (draft,) = state.drafts
    assert draft.unknown_lead == "Vụ Kế hoạch, Tài chính"
    assert draft.title.startswith("Phân bổ dự toán") and draft.deadline_on.isoformat() == "2025-12-31"


def test_in_a_session_with_a_city_an_unnamed_city_is_that_one():
    text = WORKING_SESSION.replace("lãnh đạo tỉnh Sơn La", "lãnh đạo thành phố Hải Phòng").replace(
        "1. Ủy ban nhân dân tỉnh chủ trì", "1. Ủy ban nhân dân thành phố chủ trì").replace(
        "phối hợp với tỉnh xúc tiến", "phối hợp với thành phố xúc tiến")
    state = state_after(text, RULES[-1])
    assert state.drafts[0].lead.name == "Thành phố Hải Phòng"
    assert [a.name for a in state.drafts[1].coordinating] == ["Thành phố Hải Phòng"]


def test_a_branch_written_in_lower_case_and_a_youth_union_that_launches():
    state = read("1. Đề nghị Ngân hàng Nhà nước chi nhánh Khu vực 5 chỉ đạo các tổ chức tín dụng ưu tiên cho vay "
                 "thu mua lúa gạo.\n"
                 "2. Tỉnh đoàn Mẫu phát động chiến dịch tình nguyện mùa hè, tổng kết trước ngày 30/9/2025.\n")
    branch, youth = state.drafts
    assert branch.lead is None and branch.unknown_lead == "Ngân hàng Nhà nước chi nhánh Khu vực 5"
    assert youth.unknown_lead == "Tỉnh đoàn Mẫu" and youth.title.startswith("Phát động chiến dịch")


def test_the_issuer_receiving_committing_or_ready_in_its_own_letter_is_no_lead():
    text = LETTER.replace("Bộ Y tế rất mong nhận được sự quan tâm, phối hợp của Quý cơ quan./.",
                          "Bộ Y tế sẽ tổng hợp, báo cáo Thủ tướng Chính phủ; Bộ Y tế sẵn sàng phối hợp khi được đề "
                          "nghị./.")
    (draft,) = state_after(text, RULES[-1]).drafts
    assert draft.collective_lead


def test_a_ministry_unit_named_after_several_fields_in_prose():
    state = read("1. Cục Hộ tịch, quốc tịch, chứng thực ban hành văn bản hướng dẫn ghi nơi cư trú, hoàn thành trong "
                 "tháng 11/2025.\n"
                 "2. Vụ Phổ biến, giáo dục pháp luật khẩn trương hoàn thiện tài liệu tuyên truyền.\n"
                 "3. Cục Thuế, Vụ Pháp chế rà soát văn bản về hóa đơn.\n")
    leads = [d.unknown_lead for d in state.drafts]
    assert leads[:2] == ["Cục Hộ tịch, quốc tịch, chứng thực", "Vụ Phổ biến, giáo dục pháp luật"]
    assert leads[2:] == ["Cục Thuế", "Vụ Pháp chế"]  # two units, each with a capital, stay two


def test_a_ministrys_office_named_with_the_ministry_is_one_unit():
    state = read("1. Văn phòng Bộ Công an tổng hợp kết quả, báo cáo Bộ trưởng trước ngày 05/12/2025.\n"
                 "2. Văn phòng Bộ xây dựng lịch trực Tết của Lãnh đạo Bộ trước ngày 20/12/2025.\n")
    office, roster = state.drafts
    assert office.lead is None and office.unknown_lead == "Văn phòng Bộ Công an"
    assert roster.lead is None  # "Bộ xây dựng lịch trực": no ministry
