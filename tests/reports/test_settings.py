"""The document settings: set once by the secretariat for its reports (and by an agency for its own), used by every
export its maker makes, overridden per export."""

from tests.documents import docx_text
from tests.paging import every_item

AS_OF = "2022-08-08"


def test_settings_round_trip_and_overrides(clients, tmp_path):
    defaults = clients.secretariat.get("/reports/settings").json()
    assert defaults["issuing_body"] and defaults["number"] == ""
    mine = defaults | {"issuing_body": "Văn phòng Ủy ban", "symbol": "VPUB", "place": "Đà Nẵng",
                       "signer_position": "Chánh Văn phòng", "signer_name": "Lê Thị Hoa",
                       "recipients": ["- Chủ tịch UBND thành phố;", "- Lưu: VT, VPUB."], "number": "99"}
    saved = clients.secretariat.put("/reports/settings", json=mine)
    try:
        _check(clients, saved, tmp_path)
    finally:  # the other export tests expect the defaults
        clients.secretariat.put("/reports/settings", json=defaults)


def _check(clients, saved, tmp_path):
    assert saved.status_code == 200, saved.text
    assert saved.json()["number"] == ""  # a number belongs to one export, not to the settings
    assert clients.secretariat.get("/reports/settings").json()["signer_name"] == "Lê Thị Hoa"
    # An agency's reports carry its own letterhead, never the secretariat's.
    assert clients.lead.get("/reports/settings").json()["issuing_body"] == "Bộ Tài chính"

    directive = next(d for d in every_item(clients.observer, "/directives") if d["reference"] == "128/TB-VPCP (2022)")
    params = {"directive_id": directive["id"], "as_of": AS_OF, "format": "docx"}
    text = docx_text(clients.secretariat.get("/reports/completion", params=params).content)
    assert "VĂN PHÒNG ỦY BAN" in text and "Đà Nẵng" in text and "Lê Thị Hoa" in text and "/BC-VPUB" in text
    overridden = docx_text(clients.secretariat.get("/reports/completion", params=params | {
        "number": "15", "issued_on": "2022-08-09", "signer_name": "Phạm Văn Ký"}).content)
    assert "Số: 15/BC-VPUB" in overridden and "Phạm Văn Ký" in overridden and "ngày 09 tháng 8 năm 2022" in overridden

    output = tmp_path / "list.docx"
    made = clients.database.cli("export", "-o", str(output), "--directive", "128/TB-VPCP", "--year", "2022",
                                "--as-of", AS_OF, "--format", "docx", "--number", "16", "--signer-name", "Đỗ Minh")
    assert made.returncode == 0, made.stderr
    cli_text = docx_text(output.read_bytes())
    assert "Số: 16/BC-VPUB" in cli_text and "Đỗ Minh" in cli_text


def test_an_agency_exports_under_its_own_letterhead(clients, agencies):
    """An agency's download is headed and signed as that agency: its name and, until it sets them, blanks for what
    only it knows; never the secretariat's body, signer or Nơi nhận. What it saves is its own."""
    secretariat = clients.secretariat.get("/reports/settings").json()
    directive = next(d for d in every_item(clients.observer, "/directives") if d["reference"] == "128/TB-VPCP (2022)")
    params = {"directive_id": directive["id"], "as_of": AS_OF, "format": "docx"}
    own = clients.lead.get("/reports/settings").json()
    assert own["issuing_body"] == "Bộ Tài chính" and own["signer_name"] == ""
    text = docx_text(clients.lead.get("/reports/completion", params=params).content)
    assert "BỘ TÀI CHÍNH" in text
    assert secretariat["issuing_body"].upper() not in text and secretariat["signer_authority"] not in text
    assert clients.lead.get("/reports/completion", params=params | {"lead_agency_id": agencies[
        "000.00.00.H29"]["id"]}).status_code == 403

    saved = clients.lead.put("/reports/settings", json=own | {"place": "Hà Nội", "signer_position": "Thứ trưởng",
                                                               "signer_authority": "KT. Bộ trưởng",
                                                               "signer_name": "Nguyễn Văn Ký"})
    assert saved.status_code == 200, saved.text
    text = docx_text(clients.lead.get("/reports/completion", params=params).content)
    assert "KT. BỘ TRƯỞNG" in text.upper() and "Nguyễn Văn Ký" in text
    assert clients.secretariat.get("/reports/settings").json() == secretariat  # the secretariat's are untouched
    assert clients.observer.get("/reports/settings").json()["issuing_body"] != "Bộ Tài chính"
