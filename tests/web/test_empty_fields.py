"""A field a task has no value for is shown empty on its page, and saving the page's form leaves it empty: never the
word "None" (shown, then stored by the next save). Found by a hostile walk through the edit form."""

import re

import pytest

from tests.auth.pages import CSRF, signed_in
from tests.conftest import SECRETARIAT_AGENCY

pytestmark = pytest.mark.real_server


def test_a_task_without_a_clause_keeps_none_through_an_edit(server, clients, make_task):
    task = make_task(clause_ref=None)
    assert task["clause_ref"] is None
    password = clients.database.account("bientap.tgv", SECRETARIAT_AGENCY, "secretariat", "Phạm Thị Biên")
    person = signed_in(server.base_url, "bientap.tgv", password)
    page = person.get(f"/tasks/{task['id']}").text
    assert 'value="None"' not in page and ">None<" not in page
    form = page[page.index('id="edit"'):]
    form = form[:form.index("</form>")]
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
    fields |= {name: text for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', form)}
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', options) or re.findall(
            r"<option selected>([^<]*)</option>", options)  # an option whose text is its value
        if chosen:
            fields[name] = chosen[0]
    fields["priority"] = "1" if re.search(r'name="priority"[^>]*checked', form) else ""
    fields |= {"csrf_token": CSRF.search(page).group(1),
               "objective": "Hoàn thiện khung pháp lý cho hóa đơn điện tử, sửa sau khi rà soát"}
    saved = person.post(f"/tasks/{task['id']}/edit", data=fields)
    summary = re.findall(r"error-summary.*?</div>", saved.text, re.S)
    problems = [re.sub(r"<[^>]+>", "", item) for item in re.findall(r"<li>(.*?)</li>", summary[0] if summary else "")]
    assert saved.status_code == 303, problems
    after = clients.secretariat.get(f"/tasks/{task['id']}").json()
    assert after["objective"].endswith("sửa sau khi rà soát") and after["clause_ref"] is None
