"""The layout rules of the code: one unit of work commits, no import cycles, routers only translate HTTP, one
producer of webhook messages."""

import ast
import re
from collections import defaultdict
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"


def _sources() -> dict[str, Path]:
    return {".".join(p.relative_to(APP.parent).with_suffix("").parts).removesuffix(".__init__"): p
            for p in APP.rglob("*.py")}


def test_only_the_unit_of_work_commits():
    offenders = [f"{path}:{n}" for path in APP.rglob("*.py") if path.name != "unit_of_work.py"
                 for n, line in enumerate(path.read_text().splitlines(), 1) if re.search(r"\.commit\(\)", line)]
    assert offenders == []


def test_no_import_cycle_between_modules():
    modules = _sources()
    edges: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for node in ast.parse(path.read_text()).body:  # module level: an import inside a function is deferred
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app"):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    edges[name].add(full if full in modules else node.module)
            elif isinstance(node, ast.Import):
                edges[name] |= {alias.name for alias in node.names if alias.name in modules}
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in edges.get(name, ()):
            assert state.get(target) != 1, " -> ".join([*path, target])
            if target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in modules:
        if name not in state:
            visit(name, [name])


def test_routers_do_no_role_checks():
    for path in APP.rglob("router.py"):
        source = path.read_text()
        assert "Role." not in source and "policy.require" not in source and ".role" not in source, path


def test_only_the_outbox_writes_webhook_messages():
    # Any INSERT into the queue: the ORM's, an INSERT ... SELECT (the alerts' go through outbox.enqueue_selected), or
    # written as SQL.
    pattern = re.compile(r"insert\((WebhookMessage|WebhookOutbox)|\)\(WebhookMessage\)|from_select\(|"
                         r"INSERT INTO webhook_(messages|outbox)", re.IGNORECASE)
    writers = {path.relative_to(APP.parent).as_posix() for path in APP.rglob("*.py")
               if pattern.search(path.read_text())}
    assert writers == {"app/webhooks/outbox.py"}, writers


def test_no_page_imports_an_api_router():
    """The pages call the services the API calls, never its routers (app/web/, mounted as an application of its
    own): only app/main.py puts the API's routers together."""
    offenders = []
    for path in (APP / "web").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            offenders += [f"{path.relative_to(APP)}: {name}" for name in names
                          if name.endswith(".router") and not name.startswith("app.web.")]
    assert offenders == []


def test_the_pages_ask_who_is_signed_in_one_way():
    """A page handler takes the signed-in person as its `user: SignedInUser` parameter (app/web/common.py), not by
    calling the check itself; the sign-in page alone asks `signed_in`, which may answer nobody."""
    calls = [f"{path.relative_to(APP)}:{n}" for path in (APP / "web" / "pages").glob("*.py")
             for n, line in enumerate(path.read_text().splitlines(), 1) if "require_user(" in line]
    assert calls == []
