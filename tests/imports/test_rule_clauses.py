"""The clauses rule: sentences, and where a paragraph assigns work and to whom."""

from app.imports.rules import clauses
from app.imports.state import Context
from tests.imports.rule_state import read, state_after


def assignments_of(paragraph: str):
    state = state_after(paragraph, clauses.agencies.scan)
    return state, clauses.assignments(state, 0, len(state.s), Context(), has_children=False)


def test_sentences_do_not_end_at_an_abbreviation_or_inside_a_number():
    state = state_after("Theo Nghị định số 12/2024/NĐ-CP. Xong 1.5 phần. Tiếp theo", clauses.agencies.scan)
    found = [state.s[a:b] for a, b in clauses.sentences(state, 0, len(state.s))]
    assert len(found) == 2 and found[0].endswith("1.5 phan.")


def test_a_trigger_word_names_the_lead_and_roles_lead_to_the_work():
    state, found = assignments_of("Giao Bộ Xây dựng chủ trì, phối hợp với Bộ Tài chính sửa đổi định mức.")
    (asg,) = found
    assert [i.agency.name for i in asg.items] == ["Bộ Xây dựng"]
    assert [i.agency.name for i in asg.coords] == ["Bộ Tài chính"]
    assert state.s[asg.work_start:asg.work_end] == "sua doi dinh muc."


def test_a_recalled_assignment_is_not_a_new_one():
    _, found = assignments_of("Thủ tướng đã giao Bộ Y tế nghiên cứu việc này.")
    assert found == []


def test_a_bracket_after_the_work_names_its_lead():
    state, found = assignments_of("Lập bản đồ số các khu công nghiệp (Bộ Công Thương chủ trì, thời hạn: quý IV/2025).")
    (asg,) = found
    assert asg.items[0].agency.name == "Bộ Công Thương"
    assert state.original(asg.work_start, asg.work_end).strip() == "Lập bản đồ số các khu công nghiệp"


def test_a_lead_with_a_colon_over_lettered_items_heads_them():
    state = read("Đề nghị Bộ Nội vụ: a) rà soát vị trí việc làm; b) đề xuất tinh giản biên chế.")
    assert [d.clause_ref for d in state.drafts] == ["a", "b"]
    assert [d.title for d in state.drafts] == ["Rà soát vị trí việc làm", "Đề xuất tinh giản biên chế"]


def test_an_assignee_in_brackets_without_chu_tri_before_a_deadline_leads():
    state = read("1. Hoàn thiện bộ chỉ số đánh giá mức độ chuyển đổi số cấp tỉnh (Bộ Khoa học và Công nghệ; "
                 "trước ngày 30/9/2025).\n"
                 "2. Lập danh mục dữ liệu mở ưu tiên (UBND tỉnh Nghệ An, UBND tỉnh Hà Tĩnh; thời hạn: quý IV/2025).\n")
    assert [(d.lead.name, d.deadline_on.isoformat()) for d in state.drafts] == [
        ("Bộ Khoa học và Công nghệ", "2025-09-30"), ("Tỉnh Nghệ An", "2025-12-31"), ("Tỉnh Hà Tĩnh", "2025-12-31")]
    assert state.drafts[0].title == "Hoàn thiện bộ chỉ số đánh giá mức độ chuyển đổi số cấp tỉnh"
    assert state.drafts[2].title == "Lập danh mục dữ liệu mở ưu tiên"


def test_an_assignee_in_brackets_then_its_coordinators_then_a_deadline_leads():
    state = read("3. Khảo sát hiện trạng các trạm bơm tiêu úng vùng trũng (Sở Nông nghiệp và Môi trường, phối hợp với "
                 "Sở Tài chính, Ủy ban nhân dân huyện Kim Sơn; quý II/2026).\n")
    (draft,) = state.drafts
    assert draft.unknown_lead == "Sở Nông nghiệp và Môi trường"
    assert draft.title == "Khảo sát hiện trạng các trạm bơm tiêu úng vùng trũng"
    assert draft.deadline_on.isoformat() == "2026-06-30"
    assert "Sở Tài chính" in draft.unknown_agencies


def test_a_brackets_parts_lead_in_any_order():
    from tests.imports.rule_state import read as read_notice
    state = read_notice("""1. Xây dựng Đề án phát triển chợ đầu mối (thời hạn: tháng 9/2025; Sở Công Thương chủ trì).
2. Rà soát quy hoạch bến xe khách (hoàn thành trong quý III/2025 - Sở Xây dựng chủ trì, phối hợp với Sở Tài chính).
3. Số hóa hồ sơ người có công (Sở Nội vụ chủ trì; các sở, ngành phối hợp; thời hạn: quý IV/2025).
4. Hoàn thiện cổng du lịch (Sở Văn hóa, Thể thao và Du lịch, Công an tỉnh theo chức năng; trước 30/11/2025).
""")
    leads = [d.unknown_lead for d in state.drafts]
    assert leads == ["Sở Công Thương", "Sở Xây dựng", "Sở Nội vụ", "Sở Văn hóa, Thể thao và Du lịch", "Công an tỉnh"]
    assert [d.deadline_on.isoformat() for d in state.drafts[:3]] == ["2025-09-30", "2025-09-30", "2025-12-31"]
    assert not any(d.collective_lead for d in state.drafts)  # "các sở, ngành phối hợp" helps, it does not lead


def test_a_bracket_in_a_review_assigns_nothing():
    from tests.imports.rule_state import read as read_notice
    state = read_notice("""I. ĐÁNH GIÁ KẾT QUẢ
Chủ tịch biểu dương Sở Y tế đã làm tốt phòng dịch (Sở Y tế chủ trì tiêm chủng đạt kết quả cao).
II. NHIỆM VỤ
1. Sở Y tế chủ trì rà soát trạm y tế xã, hoàn thành trong quý II/2025.
""")
    assert [d.title for d in state.drafts] == ["Rà soát trạm y tế xã"]


def test_an_official_who_directs_the_agencies_is_no_lead_the_agencies_are():
    from tests.imports.rule_state import read as read_notice
    state = read_notice("""1. Giao đồng chí Phó Chủ tịch phụ trách nông nghiệp chỉ đạo Sở Nông nghiệp và Môi trường:
- Chủ trì, phối hợp với Sở Tài chính xây dựng phương án chống hạn mặn, trình trong tháng 10/2025.
- Bảo đảm đủ nước tưới cho vụ Đông Xuân; thực hiện thường xuyên.
""")
    assert [d.unknown_lead for d in state.drafts] == ["Sở Nông nghiệp và Môi trường"] * 2


def test_an_item_that_gives_its_time_first_then_its_work():
    from tests.imports.rule_state import read as read_notice
    state = read_notice("""1. Giao Cục Thủy lợi:
- Bộ trưởng ghi nhận Cục Thủy lợi đã hoàn thành rà soát danh mục hồ chứa.
- Thời hạn: trước ngày 31/10/2025. Hoàn thành kiểm tra an toàn 37 hồ chứa hư hỏng.
- Thời hạn: thường xuyên. Theo dõi chặt chẽ diễn biến mưa lũ.
""")
    first, second = state.drafts  # the remark on work already done is no task
    assert (first.unknown_lead, first.title, first.deadline_on.isoformat()) == (
        "Cục Thủy lợi", "Hoàn thành kiểm tra an toàn 37 hồ chứa hư hỏng", "2025-10-31")
    assert second.title == "Theo dõi chặt chẽ diễn biến mưa lũ" and "standing_task" in second.flags


def test_at_the_same_time_joins_a_second_assignment_only_when_an_addressee_follows():
    from tests.imports.rule_state import read as read_notice
    state = read_notice("1. Sở Tài chính kiểm tra niêm yết giá vé xe khách dịp Tết, đồng thời Ủy ban nhân dân các "
                        "huyện chỉ đạo xử lý nghiêm các trường hợp tăng giá vé.\n"
                        "2. Sở Xây dựng rà soát quy hoạch bến xe, đồng thời hướng dẫn các huyện lập phương án.\n")
    assert [(d.unknown_lead, d.collective_lead, d.title) for d in state.drafts] == [
        ("Sở Tài chính", False, "Kiểm tra niêm yết giá vé xe khách dịp Tết"),
        (None, True, "Chỉ đạo xử lý nghiêm các trường hợp tăng giá vé"),
        ("Sở Xây dựng", False, "Rà soát quy hoạch bến xe, đồng thời hướng dẫn các huyện lập phương án")]


def test_the_body_named_as_focal_point_does_the_work():
    from tests.imports.rule_state import read as read_notice
    (draft,) = read_notice("1. Vụ Kế hoạch - Tài chính là đầu mối theo dõi, tổng hợp tình hình thực hiện, báo cáo "
                           "trước ngày 15/12/2025.").drafts
    assert draft.unknown_lead == "Vụ Kế hoạch - Tài chính" and draft.title.startswith("Theo dõi, tổng hợp")


def test_a_collective_narrowed_by_what_befell_it_is_the_subject():
    from tests.imports.rule_state import read as read_notice
    (draft,) = read_notice("1. Ủy ban nhân dân các huyện bị ảnh hưởng của lũ rà soát, thống kê các hộ mất nhà ở, "
                           "hoàn thành trong tháng 10/2025.").drafts
    # The qualifier stays at the head of the work for now ("Bị ảnh hưởng của lũ rà soát, …"): who, not what.
    assert draft.collective_lead and "rà soát, thống kê các hộ mất nhà ở" in draft.title


def test_semicolon_parts_each_with_a_date_of_their_own_are_one_draft_each():
    state = read("Trung tâm Phục vụ hành chính công tỉnh: số hóa toàn bộ hồ sơ tồn đọng trước ngày 20/9/2025; xây "
                 "dựng quy trình tiếp nhận trực tuyến, phối hợp với Sở Tư pháp trình Chủ tịch trước 10/9.")
    first, second = state.drafts
    assert first.deadline_on.isoformat() == "2025-09-20" and first.unknown_agencies == [
        "Trung tâm Phục vụ hành chính công tỉnh"]
    assert second.title.startswith("Xây dựng quy trình tiếp nhận trực tuyến")
    assert second.deadline_on.isoformat() == "2025-09-10" and "Sở Tư pháp" in second.unknown_agencies


def test_a_part_with_no_date_of_its_own_or_a_bare_time_stays_with_the_work_before_it():
    state = read("1. Sở Xây dựng: hoàn thành thủ tục cấp phép chậm nhất ngày 15/9/2025; tổ chức giao ban với nhà "
                 "thầu hằng tuần.\n"
                 "2. Sở Tài chính trình phương án vay vốn trước ngày 15/4/2025; thời hạn: tháng 5/2025.\n")
    assert len(state.drafts) == 2


def test_items_counted_in_words_are_items_and_an_observer_heads_no_list():
    state = read("Qua theo dõi, Sở Nội vụ nhận thấy còn một số hạn chế như sau:\n"
                 "Thứ nhất, một số xã chưa cập nhật dữ liệu cán bộ.\n"
                 "Thứ hai, chế độ báo cáo chưa nghiêm.\n"
                 "Đề nghị Ủy ban nhân dân các xã, phường thực hiện ngay các nội dung sau:\n"
                 "Một là, hoàn thành cập nhật dữ liệu cán bộ trong tháng này.\n"
                 "Hai là, riêng Ủy ban nhân dân xã Mẫu Sơn chưa báo cáo, đề nghị có văn bản giải trình trước ngày 25 "
                 "tháng này.\n")
    assert len(state.drafts) == 2 and state.drafts[0].title.startswith("Hoàn thành cập nhật dữ liệu cán bộ")
    assert "có văn bản giải trình" in state.drafts[1].title
    assert state.drafts[0].collective_lead and state.drafts[1].unknown_lead == "Ủy ban nhân dân xã Mẫu Sơn"
    # The notice is of 03/02/2025: "trong tháng này" is February, "ngày 25 tháng này" its 25th.
    assert [d.deadline_on.isoformat() for d in state.drafts] == ["2025-02-28", "2025-02-25"]


def test_what_an_earlier_letter_asked_and_where_a_task_was_given_before_are_not_new_assignments():
    state = read("1. Sở Tài chính đã có Văn bản số 120/STC ngày 12/01/2025 đề nghị các xã hoàn thành quyết toán "
                 "trước ngày 30/1/2025.\n"
                 "2. Nhiệm vụ giao Sở TT&TT tại TB số 48/TB-UBND ngày 12/9/2024 về bộ chỉ số số hóa: đề nghị Sở Khoa "
                 "học và Công nghệ ban hành Quyết định phê duyệt bộ chỉ số trong tháng 5/2025.\n")
    (draft,) = state.drafts
    assert draft.unknown_lead == "Sở Khoa học và Công nghệ" and draft.deadline_on.isoformat() == "2025-05-31"


def test_sentences_each_with_a_date_of_their_own_after_the_units_role():
    state = read("1. Trung tâm Chuyển đổi số tỉnh: Là đơn vị đầu mối giúp Chủ tịch theo dõi việc triển khai. Chủ trì "
                 "xây dựng Quy chế vận hành nền tảng dùng chung, trình Chủ tịch trong quý III/2025. Chủ trì, phối hợp "
                 "với Công an tỉnh triển khai Trung tâm giám sát an toàn thông tin tập trung (SOC), hoàn thành trong "
                 "quý IV/2025.\n")
    first, second = state.drafts
    assert first.title.startswith("Xây dựng Quy chế vận hành") and first.deliverable_type == "Quyết định"
    assert second.title.startswith("Triển khai Trung tâm giám sát") and second.deliverable_type == "Hệ thống/Nền tảng"
    assert second.unknown_agencies[1:] == ["Công an tỉnh"]


def test_what_a_subject_amounts_to_or_undergoes_is_not_asked_of_it():
    state = read("1. Trong tháng, toàn tỉnh có 35 ổ dịch; riêng xã Hòa Bình và xã Tân Lập chiếm gần 70% số ổ dịch.\n"
                 "2. Thanh tra tỉnh xây dựng kế hoạch thanh tra năm sau, bảo đảm không chồng chéo; mỗi doanh nghiệp "
                 "không bị thanh tra quá 01 lần trong năm, trình Chủ tịch trước ngày 15/12/2025.\n")
    assert [d.unknown_lead for d in state.drafts] == ["Thanh tra tỉnh"]


def test_a_plans_part_heading_is_no_item_of_the_unit_above_it():
    state = read("X. Ủy ban nhân dân các xã, phường\n"
                 "1. Niêm yết công khai thủ tục hành chính tại bộ phận một cửa.\n"
                 "- Thời gian thực hiện: Thường xuyên.\n"
                 "Phần thứ ba\n")
    assert len(state.drafts) == 1


def test_what_the_first_named_agency_asks_of_others_is_its_own_work():
    state = read("1. Sở Công Thương chủ trì kiểm tra chợ đầu mối trước ngày 10/01/2025; yêu cầu các doanh nghiệp "
                 "kinh doanh gạo công khai giá bán.\n"
                 "2. Giao Sở Y tế kiểm tra an toàn thực phẩm; yêu cầu Sở Tài chính bố trí kinh phí trước ngày "
                 "15/01/2025.\n")
    assert [(d.unknown_lead, d.collective_lead) for d in state.drafts] == [
        ("Sở Công Thương", False), ("Sở Y tế", False), ("Sở Tài chính", False)]
    assert "yêu cầu các doanh nghiệp" in state.drafts[0].source.text


def test_an_exchange_with_a_ministry_and_a_reviews_topic_name_no_addressee():
    state = read("I. KẾT QUẢ\n"
                 "Năm qua, đối với các doanh nghiệp do Sở Tài chính quản lý, doanh thu tăng 8%.\n"
                 "II. NHIỆM VỤ\n"
                 "1. Về kiến nghị của xã: Sở Nội vụ ghi nhận, sẽ trao đổi với Bộ Nội vụ trong quá trình tổng kết.\n"
                 "2. Giao Sở Giáo dục và Đào tạo rà soát đội ngũ giáo viên, báo cáo trước ngày 30/4/2025.\n")
    assert [d.unknown_lead for d in state.drafts] == ["Sở Giáo dục và Đào tạo"]
    assert not any(d.lead and d.lead.name == "Bộ Nội vụ" for d in state.drafts)


def test_party_committees_lead_as_organisations_and_as_a_collective():
    state = read("1. Đảng ủy Sở Y tế lãnh đạo, chỉ đạo Sở Y tế ban hành kế hoạch chuyển đổi số trước ngày 15/5/2025.\n"
                 "2. Đảng ủy các xã, phường lãnh đạo phổ cập kỹ năng số cho đảng viên.\n")
    first, every_commune = state.drafts
    assert first.unknown_lead == "Đảng ủy Sở Y tế" and first.deliverable_type == "Kế hoạch"
    assert every_commune.collective_lead and every_commune.deadline_on is None


def test_which_of_a_collective_is_meant_belongs_to_it_not_to_the_work():
    (draft,) = read("1. Sở Xây dựng phối hợp với Ủy ban nhân dân các xã có dự án trọng điểm hoàn thành bàn giao mặt "
                    "bằng trong tháng 10/2025.\n").drafts
    assert draft.title.startswith("Hoàn thành bàn giao mặt bằng")


def test_minutes_assign_only_what_the_parties_agreed_and_a_work_may_name_its_lead_last():
    state = read("I. THÀNH PHẦN THAM DỰ\n"
                 "1. Sở Giao thông vận tải: đại diện Phòng Quản lý chất lượng công trình.\n"
                 "II. NỘI DUNG CUỘC HỌP\n"
                 "Ý kiến của các cơ quan:\n"
                 "- Đại diện Sở Tài chính đề nghị các xã chủ động bố trí vốn đối ứng.\n"
                 "III. CÁC NỘI DUNG ĐÃ THỐNG NHẤT\n"
                 "1. Việc định giá vật liệu san lấp do Sở Xây dựng chủ trì thực hiện, trình Ủy ban nhân dân tỉnh "
                 "phê duyệt trước ngày 15/6/2025.\n"
                 "2. Việc quan trắc môi trường tại các mỏ được giao cho Sở Nông nghiệp và Môi trường, báo cáo trước "
                 "ngày 30/6/2025.\n"
                 "3. Các nhà thầu thi công đăng ký khối lượng vật liệu còn thiếu trước ngày 10/6/2025.\n")
    price, monitoring, contractors = state.drafts
    assert price.unknown_lead == "Sở Xây dựng" and price.title.startswith("Việc định giá vật liệu san lấp")
    assert monitoring.unknown_lead == "Sở Nông nghiệp và Môi trường"
    assert monitoring.title.startswith("Việc quan trắc môi trường tại các mỏ")
    assert contractors.collective_lead and contractors.title.startswith("Đăng ký khối lượng")


def test_an_inspections_conclusion_assigns_only_its_recommendations():
    state = read("I. KHÁI QUÁT CHUNG\n"
                 "Năm 2024, kinh phí giao cho tỉnh Hà Tây (cũ) là 120 tỷ đồng; Sở Y tế tỉnh Hà Tây (cũ) thu hồi 2 tỷ "
                 "đồng.\n"
                 "II. KIẾN NGHỊ\n"
                 "1. Sở Nội vụ xem xét xử lý trách nhiệm đối với người đứng đầu các chủ đầu tư chậm giải ngân, báo "
                 "cáo trước ngày 30/9/2025.\n"
                 "2. Giám đốc Sở Tài chính và Bộ trưởng Bộ Tài chính theo chức năng báo cáo kết quả thực hiện trong "
                 "tháng 12/2025.\n"
                 "Thanh tra tỉnh công khai Kết luận thanh tra này theo quy định của pháp luật./.\n")
    got = [(d.lead.name if d.lead else d.unknown_lead, d.collective_lead) for d in state.drafts]
    assert got == [("Sở Nội vụ", False), ("Sở Tài chính", False), ("Bộ Tài chính", False)]


def test_every_province_by_number_and_the_rest_after_the_exceptions():
    state = read("1. Ủy ban nhân dân 34 tỉnh, thành phố trực thuộc trung ương:\n"
                 "a) Trừ tỉnh Sơn La, tỉnh Lào Cai đã hoàn thành, các tỉnh còn lại hoàn thành số hóa hồ sơ địa chính "
                 "trước ngày 30/6/2025.\n"
                 "b) Chỉ đạo các xã cập nhật biến động đất đai thường xuyên.\n")
    first, second = state.drafts
    assert first.collective_lead and first.title.startswith("Hoàn thành số hóa hồ sơ địa chính")
    assert second.collective_lead and second.title.startswith("Chỉ đạo các xã")


def test_the_heads_of_every_village_are_a_collective():
    (draft,) = read("1. Trưởng các thôn chịu trách nhiệm vận động nhân dân nộp thuế sử dụng đất; hoàn thành trước ngày "
                    "30/11/2025.\n").drafts
    assert draft.collective_lead and draft.title.startswith("Vận động nhân dân nộp thuế")


def test_a_collective_named_member_by_member_in_a_bracket_and_the_units_of_a_named_ministry():
    state = read("1. Đối với các địa phương chưa gửi báo cáo rà soát biên chế (gồm: Thành phố Hải Phòng và các "
                 "tỉnh: Sơn La, Lào Cai): đề nghị khẩn trương hoàn thiện, gửi báo cáo về Bộ Nội vụ trong tháng "
                 "12/2025.\n"
                 "2. Giao các đơn vị thuộc Bộ Y tế\n"
                 "a) Cục Phòng bệnh tăng cường giám sát dịch sốt xuất huyết.\n")
    assert [(d.lead.name if d.lead else d.unknown_lead) for d in state.drafts] == [
        "Thành phố Hải Phòng", "Tỉnh Sơn La", "Tỉnh Lào Cai", "Cục Phòng bệnh"]
    assert state.drafts[0].title.startswith("Khẩn trương hoàn thiện")
