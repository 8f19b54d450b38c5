"""The sections rule: the body's bounds, its outline and clause references, and sections that only review."""

from app.imports.folding import Folded
from app.imports.parser import RULES
from app.imports.rules import sections
from app.imports.state import Context
from tests.imports.rule_state import HEAD, TAIL, read, state_after


def test_the_body_ends_at_the_closing_and_the_appendix_is_found():
    text = HEAD + "1. Sở Nội vụ rà soát biên chế.\n" + TAIL + "\nPHỤ LỤC\nDanh mục\n"
    state = state_after(text, sections.bound)
    body = [state.original(p.start, p.end) for p in state.paras[state.body:state.body_end]]
    assert body == ["1. Sở Nội vụ rà soát biên chế."]
    assert state.original(state.paras[state.appendix].start, state.paras[state.appendix].end) == "PHỤ LỤC"


def test_the_outline_nests_labels_and_cites_them():
    state = read("""II. NHIỆM VỤ
1. Giao Bộ Tài chính:
a) Rà soát định mức chi cho hạ tầng số trong quý III/2025;
b) Hướng dẫn địa phương lập dự toán.
""")
    assert [d.clause_ref for d in state.drafts] == ["II.1.a", "II.1.b"]
    assert all(d.lead.name == "Bộ Tài chính" for d in state.drafts)


def test_a_section_that_reviews_results_makes_no_draft():
    state = read("""I. KẾT QUẢ ĐẠT ĐƯỢC
Bộ Y tế hoàn thành cấp mã định danh cho các cơ sở khám bệnh.
II. NHIỆM VỤ THỜI GIAN TỚI
Bộ Y tế xây dựng kho dữ liệu sức khỏe trước ngày 31/12/2025.
""")
    assert [d.clause_ref for d in state.drafts] == ["II"]
    assert state.drafts[0].title.startswith("Xây dựng kho dữ liệu sức khỏe")


def test_dash_items_are_numbered_in_their_order():
    state = state_after(HEAD + "- Một\n- Hai\n" + TAIL, sections.bound)
    root = sections.outline(state, state.paras[state.body:state.body_end])
    sections.walk(state, root, Context())
    assert [c.ref for c in root.children] == ["-1", "-2"]


def test_a_review_word_inside_a_work_heading_does_not_make_it_a_review():
    # "kết quả" as the object of the work ("the results of processing dossiers"), not "Kết quả đạt được".
    state = read("""II. NHIỆM VỤ
1. Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính
a) Sở Nội vụ chủ trì số hóa hồ sơ còn hiệu lực, hoàn thành trong quý III/2025.
2. Kết quả đạt được
a) Sở Y tế đã hoàn thành tiêm chủng mở rộng.
""")
    assert [d.unknown_lead for d in state.drafts] == ["Sở Nội vụ"]


def test_who_answers_for_the_results_is_said_to_everyone_and_is_no_task():
    state = read("""1. Sở Tài chính chủ trì lập dự toán kinh phí chuyển đổi số năm 2025, trình trước ngày 30/11/2025.
2. Giám đốc các sở, Chủ tịch Ủy ban nhân dân các huyện chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân tỉnh \
về kết quả thực hiện Kế hoạch này.
3. Các sở, ngành tổ chức thi hành Kế hoạch này.
""")
    assert [d.title for d in state.drafts] == ["Lập dự toán kinh phí chuyển đổi số năm 2025, trình"]
    answer = next(g for g in state.segments if g.text.startswith("2."))
    assert (answer.fate, answer.reason) == ("not_task", "responsibility")


def test_the_plan_a_decision_issues_after_its_signature_is_read_as_a_body():
    from app.imports import parse_notice
    from tests.imports.rule_state import AGENCIES
    text = """BỘ XÂY DỰNG
Số: 88/QĐ-BXD
Hà Nội, ngày 02 tháng 3 năm 2025
QUYẾT ĐỊNH
Ban hành Kế hoạch phát triển nhà ở công nhân năm 2025
BỘ TRƯỞNG BỘ XÂY DỰNG
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phát triển nhà ở công nhân năm 2025.
Điều 2. Chánh Văn phòng Bộ và Thủ trưởng các đơn vị chịu trách nhiệm thi hành Quyết định này./.
Nơi nhận:
- Như Điều 2;
- Lưu: VT.
KT. BỘ TRƯỞNG
THỨ TRƯỞNG
KẾ HOẠCH
Phát triển nhà ở công nhân năm 2025
(Ban hành kèm theo Quyết định số 88/QĐ-BXD ngày 02 tháng 3 năm 2025 của Bộ trưởng Bộ Xây dựng)
I. NHIỆM VỤ
1. Cục Quản lý nhà chủ trì rà soát quỹ đất dành cho nhà ở công nhân, hoàn thành trong quý II/2025.
2. Vụ Kế hoạch - Tài chính bố trí kinh phí khảo sát, trước ngày 30/4/2025.
Nơi nhận:
- Lưu: VT.
"""
    parsed = parse_notice(text, AGENCIES)
    assert [d.unknown_lead for d in parsed.drafts] == ["Cục Quản lý nhà", "Vụ Kế hoạch - Tài chính"]
    assert {g.fate for g in parsed.segments if g.text.startswith(("1. Cục", "2. Vụ"))} == {"task"}


def test_an_addressee_line_between_two_lists_heads_the_items_after_it():
    state = read("""3/ Giao:
Ủy ban nhân dân tỉnh Lào Cai
- Hoàn thành tái định cư cho các hộ dân vùng sạt lở trong quý III/2025;
- Báo cáo kết quả hằng tháng.
Ủy ban nhân dân tỉnh Yên Bái
- Sửa chữa các tuyến đường tỉnh bị sạt lở, hoàn thành trong tháng 10/2025.
""")
    assert [(d.lead.name, d.title[:12]) for d in state.drafts] == [
        ("Tỉnh Lào Cai", "Hoàn thành t"), ("Tỉnh Lào Cai", "Báo cáo kết "), ("Tỉnh Yên Bái", "Sửa chữa các")]
    assert state.drafts[0].clause_ref.startswith("3")  # "3/" is a label, as "3." is


def test_a_purpose_with_commas_before_the_subject_does_not_hide_it():
    (draft,) = read("2. Để chủ động tiêu, thoát nước cho vùng trũng, Sở Xây dựng chỉ đạo nạo vét kênh mương trước "
                    "ngày 15/5/2025.").drafts
    assert draft.unknown_lead == "Sở Xây dựng" and "chỉ đạo nạo vét kênh mương" in draft.title


def test_praise_of_work_done_well_is_no_task():
    state = read("1. Năm qua, Sở Y tế và Sở Nội vụ đã hoàn thành xuất sắc nhiệm vụ, được Chủ tịch Ủy ban nhân dân "
                 "tỉnh biểu dương.\n2. Sở Y tế chủ trì rà soát trạm y tế xã, hoàn thành trong quý II/2025.")
    assert [d.title for d in state.drafts] == ["Rà soát trạm y tế xã"]


def test_carrying_out_the_directive_itself_is_no_task():
    state = read("1. Sở Y tế chủ trì rà soát trạm y tế xã, hoàn thành trong quý II/2025.\n"
                 "2. Các sở, ban, ngành nghiêm túc triển khai thực hiện Chỉ thị này.")
    assert [d.title for d in state.drafts] == ["Rà soát trạm y tế xã"]


def test_a_heading_of_items_under_a_collective_is_no_task_of_its_own():
    state = read("""Chủ tịch yêu cầu Giám đốc các sở, Chủ tịch Ủy ban nhân dân các huyện thực hiện các nhiệm vụ sau:
1. Lĩnh vực tài chính, ngân sách
- Sở Tài chính lập dự toán năm 2025 trước ngày 30/11/2025.
2. Giám đốc các sở, Chủ tịch các huyện chịu trách nhiệm trước Chủ tịch tỉnh về kết quả thực hiện.
""")
    assert [d.title for d in state.drafts] == ["Lập dự toán năm 2025"]


def test_a_goal_heading_heads_no_tasks():
    state = read("1. Mục tiêu\n"
                 "Các cơ quan phải coi đây là việc trọng tâm, phấn đấu hoàn thành giải phóng mặt bằng trong quý "
                 "III/2025.\n"
                 "2. Nhiệm vụ cụ thể\n"
                 "2.1. Sở Xây dựng hoàn thành thiết kế khu tái định cư trước ngày 30/6/2025.\n")
    assert [d.unknown_lead for d in state.drafts] == ["Sở Xây dựng"]
    for heading in ("Mục đích, yêu cầu", "MỤC TIÊU CỤ THỂ", "Quan điểm và mục tiêu:"):
        assert sections._review_heading(Folded(heading).s) is True
    assert sections._review_heading(Folded("Mục tiêu, nhiệm vụ").s) is not True


def test_the_items_under_gom_name_what_the_work_is_done_on():
    state = read("1. Sở Xây dựng\n"
                 "- Chủ trì tháo gỡ vướng mắc mặt bằng tại 03 dự án trọng điểm, hoàn thành trước ngày 15/12/2025, "
                 "gồm:\n"
                 "+ Dự án nút giao Ngã Ba Mẫu;\n"
                 "+ Dự án mở rộng đường tỉnh 101;\n"
                 "- Báo cáo tiến độ về Ủy ban nhân dân tỉnh trước ngày 20/12/2025.\n")
    clear, report = state.drafts
    assert clear.title == "Tháo gỡ vướng mắc mặt bằng tại 03 dự án trọng điểm"
    assert "Dự án mở rộng đường tỉnh 101" in clear.source.text
    assert report.title.startswith("Báo cáo tiến độ")
    assert all(g.fate != "unread" for g in state.segments)


LETTER_TO_PROVINCES = """BỘ Y TẾ
Số: 4200/BYT-KHTC
V/v đôn đốc tiêm chủng
Hà Nội, ngày 10 tháng 3 năm 2025
Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.
Thực hiện chỉ đạo của Thủ tướng Chính phủ, thời gian qua các địa phương đã tích cực triển khai tiêm chủng.
Để bảo đảm hoàn thành mục tiêu năm 2025, Bộ Y tế đề nghị Ủy ban nhân dân các tỉnh, thành phố chỉ đạo thực hiện một \
số nội dung sau:
1. Chỉ đạo Sở Y tế hoàn thành tiêm bổ sung vắc xin sởi trước ngày 30/6/2025.
2. Chủ động bố trí kinh phí tiêm chủng trong dự toán năm 2025.
3. Các đơn vị chịu trách nhiệm trước Bộ trưởng nếu để dịch lan rộng.
Bộ Y tế trân trọng đề nghị Quý Ủy ban quan tâm chỉ đạo thực hiện./.
Nơi nhận:
- Như trên.
"""


def test_the_sentence_that_opens_a_letters_body_names_whom_its_items_are_for():
    state = state_after(LETTER_TO_PROVINCES, RULES[-1])
    assert [(d.collective_lead, d.title.split()[:4]) for d in state.drafts] == [
        (True, ["Chỉ", "đạo", "Sở", "Y"]), (True, ["Bố", "trí", "kinh", "phí"])]
