"""Every template of the pages compiles with the app's own Jinja environment (its filters and globals): a syntax
error fails here, naming the file and the line, instead of as a 500 on whichever page uses it. Templates are found by
listing the folder (and any subfolder), so a new one is covered without editing this test. Nothing is rendered."""

from pathlib import Path

import pytest
from jinja2 import TemplateSyntaxError

from app.web.common import templates

FOLDER = Path(templates.env.loader.searchpath[0])
pytestmark = pytest.mark.real_server  # as the other web tests; no server is started here
NAMES = sorted(path.relative_to(FOLDER).as_posix() for path in FOLDER.rglob("*")
               if path.is_file() and not path.name.startswith("."))


@pytest.fixture(autouse=True)
def _short_timeouts():
    """Replaces tests/web/conftest.py's fixture of that name, which opens a browser page: none is needed here."""


def test_the_templates_are_found():
    assert "base.html" in NAMES and len(NAMES) > 10, f"templates found under {FOLDER}: {NAMES}"


@pytest.mark.parametrize("name", NAMES)
def test_the_template_compiles(name):
    try:
        templates.env.get_template(name)
        return
    except TemplateSyntaxError as error:
        found = error
    line = (found.source or "").splitlines()[found.lineno - 1].strip() if found.source else ""
    pytest.fail(f"{FOLDER / name}, line {found.lineno}: {found.message}\n  {line}", pytrace=False)
