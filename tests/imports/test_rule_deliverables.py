"""The deliverables rule: what the work produces, and the product a notice writes out."""

from app.imports import deliverables
from app.imports.rules.deliverables import product_names_type
from tests.imports.rule_state import read


def test_the_document_the_work_builds_is_its_product():
    (draft,) = read("Sở Tư pháp xây dựng Nghị quyết về phí thẩm định trong quý III/2025.").drafts
    assert draft.deliverable_type == deliverables.NGHI_QUYET


def test_a_product_written_out_is_the_description():
    (draft,) = read("Sở Nội vụ rà soát thủ tục hành chính nội bộ, sản phẩm: danh mục thủ tục được cắt giảm.").drafts
    assert draft.deliverable_description == "danh mục thủ tục được cắt giảm"


def test_a_product_cell_names_a_kind_by_its_words():
    assert product_names_type("nen tang du lieu dung chung") == deliverables.HE_THONG
    assert product_names_type("bao cao tong hop") == deliverables.BAO_CAO
    assert product_names_type("cuoc hop") is None


# Issue 20: the description is the thing produced, whole; types the work implies (sentences of our own).

def test_a_description_keeps_its_commas_and_stops_at_the_next_clause():
    first, second, third = read(
        "1. Sở Tài chính xây dựng dự thảo Nghị quyết quy định mức thu, miễn, giảm học phí, lệ phí tuyển sinh, trình "
        "HĐND tỉnh trong quý IV/2025.\n"
        "2. Sở Nội vụ xây dựng Đề án về công tác văn thư, lưu trữ hồ sơ điện tử của tỉnh, hoàn thành trong tháng "
        "9/2025.\n"
        "3. Sở Công Thương xây dựng kế hoạch chuyên đề kiểm tra thị trường xăng dầu, ban hành trước ngày 30/6/2025.\n"
    ).drafts
    assert first.deliverable_description == ("Dự thảo Nghị quyết quy định mức thu, miễn, giảm học phí, lệ phí tuyển "
                                             "sinh")
    assert second.deliverable_description == "Đề án về công tác văn thư, lưu trữ hồ sơ điện tử của tỉnh"
    # "chuyên đề" is no "để" (in order to): the plan's name goes on.
    assert third.deliverable_description == "Kế hoạch chuyên đề kiểm tra thị trường xăng dầu"


def test_the_system_built_is_the_product_not_the_one_it_connects_to():
    built, passive = read(
        "1. Sở Y tế xây dựng hệ thống đặt lịch khám bệnh cho người dân, kết nối với Cổng Dịch vụ công quốc gia, "
        "hoàn thành trong quý III/2025.\n"
        "2. Sở Tư pháp không yêu cầu công dân xuất trình lại hồ sơ đã được số hóa, lưu trên ứng dụng VNeID, thực "
        "hiện trong tháng 8/2025.\n"
    ).drafts
    assert built.deliverable_type == deliverables.HE_THONG
    assert built.deliverable_description == "Hệ thống đặt lịch khám bệnh cho người dân"
    # A system named in a clause of what was already done ("đã được số hóa, lưu trên …") is not what it produces.
    assert passive.deliverable_type == deliverables.KHAC


def test_what_the_head_of_government_approves_or_a_body_decides_is_a_decision():
    master_plan, architecture, decide, recognise, plan = read(
        "1. Sở Kế hoạch hoàn thiện Quy hoạch vùng ven biển của tỉnh, trình Thủ tướng Chính phủ phê duyệt trong "
        "quý II/2025.\n"
        "2. Sở Thông tin cập nhật Khung kiến trúc số của tỉnh, trình Thủ tướng ban hành trong quý III/2025.\n"
        "3. Về đề nghị nâng hạng Bệnh viện đa khoa tỉnh: Sở Y tế xem xét, quyết định theo thẩm quyền trong tháng "
        "10/2025.\n"
        "4. Xét công nhận làng nghề gốm là làng nghề truyền thống (Sở Công Thương; quý IV/2025).\n"
        "5. Sở Xây dựng xây dựng Kế hoạch phát triển nhà ở xã hội, trình Thủ tướng Chính phủ phê duyệt trong "
        "quý IV/2025.\n"
    ).drafts
    for draft in (architecture, decide, recognise):
        assert draft.deliverable_type == deliverables.QUYET_DINH, draft.title
    # A product the work names is the product itself: a master plan (Khác), a plan.
    assert master_plan.deliverable_type == deliverables.KHAC
    assert plan.deliverable_type == deliverables.KE_HOACH


def test_a_product_cell_naming_only_a_kind_keeps_the_thing_the_row_produces():
    first, second = read("Danh mục nhiệm vụ:\n"
                         "STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Thời hạn | Sản phẩm\n"
                         "1 | Ban hành Thông tư hướng dẫn về công tác văn thư, lưu trữ tài liệu điện tử | Bộ Nội vụ "
                         "| Quý II/2025 | Thông tư\n"
                         "2 | Sửa đổi quy định về phí, lệ phí cấp phiếu lý lịch tư pháp | Bộ Tư pháp | Quý IV/2025 "
                         "| Nghị định\n").drafts
    assert first.deliverable_description == "Thông tư hướng dẫn về công tác văn thư, lưu trữ tài liệu điện tử"
    assert second.deliverable_type == deliverables.NGHI_DINH
    assert second.deliverable_description == "Nghị định: sửa đổi quy định về phí, lệ phí cấp phiếu lý lịch tư pháp"


def test_what_the_work_decides_or_a_council_resolves_and_what_is_no_decree():
    state = read("""1. Sở Xây dựng phê duyệt quy trình vận hành các trạm bơm tiêu, hoàn thành trong quý III/2025.
2. Sở Nội vụ kiện toàn Ban Chỉ đạo cải cách hành chính của tỉnh trong tháng 6/2025.
3. Sở Tài chính trình Hội đồng nhân dân tỉnh điều chỉnh kế hoạch đầu tư công năm 2025 tại kỳ họp gần nhất.
4. Sở Công Thương phối hợp đàm phán Nghị định thư về kiểm dịch nông sản xuất khẩu.
5. Các xã ban hành chương trình hành động thực hiện Chỉ thị này trước ngày 30/4/2025.
6. Sở Khoa học và Công nghệ đưa vào vận hành Trung tâm giám sát, điều hành thông minh của tỉnh trong quý IV/2025.
""")
    assert [d.deliverable_type for d in state.drafts] == [
        deliverables.QUYET_DINH, deliverables.QUYET_DINH, deliverables.NGHI_QUYET, deliverables.KHAC,
        deliverables.KE_HOACH, deliverables.HE_THONG]


def test_a_product_written_after_its_time_is_still_read():
    (draft,) = read("Sở Tài chính: trong 05 ngày làm việc kể từ ngày ký Thông báo này, có văn bản trả lời Ủy ban "
                    "nhân dân huyện Mẫu về nguồn vốn đền bù.").drafts
    assert draft.deliverable_type == "Công văn"


def test_answering_a_body_or_sending_it_a_letter_is_a_letter():
    state = read("1. Sở Xây dựng xem xét kiến nghị của doanh nghiệp, trả lời Ủy ban nhân dân huyện Mẫu trước ngày "
                 "30/6/2025.\n"
                 "2. Giao Sở Kế hoạch dự thảo văn bản của tỉnh gửi Bộ Tài chính đề nghị bổ sung vốn, "
                 "hoàn thành trong tháng 5/2025.\n")
    assert [d.deliverable_type for d in state.drafts] == ["Công văn", "Công văn"]


def test_a_scheme_or_a_roadmap_drawn_up_is_a_plan_unless_it_ends_in_a_report():
    state = read("1. Sở Giao thông vận tải xây dựng phương án phân luồng dịp Tết, hoàn thành trước ngày 15/12/2025.\n"
                 "2. Sở Công Thương xây dựng lộ trình chuyển đổi nhiên liệu cho làng nghề trong quý III/2025.\n"
                 "3. Sở Công Thương xây dựng phương án cấp điện mùa khô, báo cáo Ủy ban nhân dân tỉnh trước ngày "
                 "30/4/2025.\n"
                 "4. Văn phòng Ủy ban nhân dân tỉnh xây dựng Chương trình công tác của tỉnh, trình Chủ tịch trong "
                 "tháng 12/2025.\n")
    assert [d.deliverable_type for d in state.drafts] == ["Kế hoạch", "Kế hoạch", "Báo cáo", "Kế hoạch"]


def test_a_unit_named_after_plans_and_a_resolution_already_in_force_are_no_products():
    state = read("1. Ban Quản lý dự án rà soát tiến độ gói thầu, báo cáo tiến độ về Vụ Kế hoạch - Tài chính trước "
                 "ngày 20/6/2025.\n"
                 "2. Sở Tài chính bố trí đủ kinh phí cho chuyển đổi số theo đúng tỷ lệ Nghị quyết đã đề ra, hoàn thành "
                 "trong tháng 11/2025.\n")
    assert [d.deliverable_type for d in state.drafts] == ["Báo cáo", "Khác"]


def test_a_system_put_into_operation_a_feature_on_an_app_and_automatic_stations_are_systems():
    state = read("1. Sở Nông nghiệp và Môi trường lắp đặt 12 trạm quan trắc nước mặt tự động trong quý IV/2025.\n"
                 "2. Sở Khoa học và Công nghệ xây dựng chức năng nhắc lịch tiêm chủng trên ứng dụng của tỉnh, hoàn "
                 "thành trong tháng 10/2025.\n"
                 "3. Sở Tư pháp hoàn thiện cơ sở pháp lý, đưa hệ thống vào vận hành trong quý III/2025.\n")
    assert [d.deliverable_type for d in state.drafts] == ["Hệ thống/Nền tảng"] * 3


def test_abbreviated_decrees_and_resolutions_are_products_but_not_inside_a_number():
    state = read("1. Sở Tư pháp hoàn thiện dự thảo NĐ thay thế NĐ số 45/2020/NĐ-CP, trình Bộ Tư pháp trong quý "
                 "III/2025.\n"
                 "2. Sở Tài chính trình HĐND tỉnh dự thảo NQ về mức thu phí trong tháng 7/2025.\n")
    assert [d.deliverable_type for d in state.drafts] == ["Nghị định", "Nghị quyết"]


def test_what_the_province_approves_is_a_decision():
    valuation, roster = read(
        "1. Sở Tài chính thẩm định giá khởi điểm đấu giá quyền sử dụng đất, trình Ủy ban nhân dân tỉnh phê duyệt "
        "trong tháng 8/2025.\n"
        "2. Văn phòng Sở xây dựng lịch trực của cơ quan, trình Giám đốc phê duyệt trước ngày 20/8/2025.\n"
    ).drafts
    assert valuation.deliverable_type == deliverables.QUYET_DINH
    # A head of unit approving an internal roster issues no decision of the kind a tracker follows.
    assert roster.deliverable_type == deliverables.KHAC


def test_advising_the_province_to_decide_or_issue_is_a_decision():
    (draft,) = read("1. Sở Nội vụ tham mưu Ủy ban nhân dân tỉnh ban hành quy định tiêu chí xét thi đua khối xã, "
                    "hoàn thành trước ngày 30/9/2025.\n").drafts
    assert draft.deliverable_type == deliverables.QUYET_DINH


def test_guiding_people_on_the_ground_is_no_guidance_document_unless_one_is_issued():
    on_the_ground, issued = read(
        "1. Đài Phát thanh tỉnh tăng thời lượng đưa tin, hướng dẫn người dân sử dụng nước tiết kiệm.\n"
        "2. Sở Y tế ban hành hướng dẫn người dân phòng bệnh sốt xuất huyết trước ngày 30/6/2025.\n").drafts
    assert on_the_ground.deliverable_type == deliverables.KHAC
    assert issued.deliverable_type == deliverables.HUONG_DAN


def test_a_work_that_opens_by_giving_an_opinion_is_a_letter():
    opinion, appraisal = read(
        "1. Sở Tư pháp có ý kiến thẩm định đối với dự thảo quy chế của Sở Y tế trong tháng 9/2025.\n"
        "2. Sở Xây dựng tổ chức thẩm định, có ý kiến bằng văn bản trong tháng 9/2025.\n").drafts
    assert opinion.deliverable_type == deliverables.CONG_VAN
    assert appraisal.deliverable_type == deliverables.KHAC
