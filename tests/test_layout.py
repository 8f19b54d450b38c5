"""The layout rules of the code: one unit of work commits, no import cycles between modules, packages in layers that
import only downwards, routers only translate HTTP, one producer of webhook messages."""

import ast
import re
from collections import defaultdict
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"


def _sources() -> dict[str, Path]:
    return {".".join(p.relative_to(APP.parent).with_suffix("").parts).removesuffix(".__init__"): p
            for p in APP.rglob("*.py")}


def _name(path: Path) -> str:
    return path.relative_to(APP.parent).as_posix()


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


# README "Layers". The base: what every domain may import, importing no domain.
BASE = {"app.cache", "app.types", "app.clock", "app.config", "app.db", "app.errors", "app.messages", "app.text",
        "app.responses", "app.pagination", "app.unit_of_work", "app.idempotency", "app.http", "app.access",
        "app.observability"}
# The domains, lower first: each imports only the base and the domains before it.
DOMAINS = ["calendar", "agencies", "directives", "auth", "tasks", "indicators", "webhooks", "alerts",
           "notifications", "reports", "imports"]
# The edge: HTTP, the pages, the command line, the scheduled jobs, the start-up. It may import anything; nothing below
# imports it.
EDGE_FILES = {"router.py", "jobs.py", "dependencies.py"}
EDGE_MODULES = {"app.web", "app.cli", "app.main", "app.scheduler", "app.seeding", "app.openapi", "app.models",
                "app.operations"}  # what an operator asks of the whole service: readiness, figures, backups


def _layer(module: str) -> tuple[str, int]:
    """("base" | "domain" | "edge", rank): the rank orders domains."""
    parts = module.split(".")
    if module.rsplit(".", 1)[-1] in {name.removesuffix(".py") for name in EDGE_FILES} and parts[1] in DOMAINS:
        return "edge", 0
    if ".".join(parts[:2]) in EDGE_MODULES:
        return "edge", 0
    if ".".join(parts[:2]) in BASE:
        return "base", 0
    assert parts[1] in DOMAINS, f"{module}: a package missing from the layers (tests/test_layout.py, README)"
    return "domain", DOMAINS.index(parts[1])


def _all_imports(path: Path) -> set[str]:
    """Every module of app/ the file imports, at module level or inside a function (deferred imports are arrows
    too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app"):
            found |= {f"app.{alias.name}" for alias in node.names} if node.module == "app" else {node.module}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("app.")}
    return found


def test_packages_import_only_downwards():
    wrong = []
    for name, path in _sources().items():
        if name == "app":
            continue
        layer, rank = _layer(name)
        if layer == "edge":
            continue
        for target in _all_imports(path):
            target_layer, target_rank = _layer(target)
            same_package = target.split(".")[:2] == name.split(".")[:2]
            if target_layer == "edge" or (layer == "base" and target_layer == "domain") or (
                    layer == "domain" and target_layer == "domain" and target_rank > rank and not same_package):
                wrong.append(f"{name} -> {target}")
    assert wrong == []


def test_routers_do_no_role_checks():
    for path in APP.rglob("router.py"):
        source = path.read_text()
        assert "Role." not in source and "policy.require" not in source and ".role" not in source, path


def test_only_the_outbox_writes_webhook_messages():
    # Any INSERT into the queue: the ORM's, an INSERT ... SELECT (the alerts' go through outbox.enqueue_selected), or
    # written as SQL.
    pattern = re.compile(r"insert\(WebhookMessage|\)\(WebhookMessage\)|WebhookMessage\.__table__|"
                         r"INSERT INTO webhook_messages", re.IGNORECASE)
    writers = {_name(path) for path in APP.rglob("*.py") if pattern.search(path.read_text())}
    assert writers == {"app/webhooks/outbox.py"}, writers
    # An INSERT ... SELECT names its table out of sight of the pattern: only the two queues' owners write one.
    selects = {_name(path) for path in APP.rglob("*.py") if "from_select(" in path.read_text()}
    assert selects == {"app/webhooks/outbox.py", "app/tasks/journal.py"}, selects


def test_only_the_journal_writes_its_queue():
    pattern = re.compile(r"insert\(QueuedTaskEvent|\(QueuedTaskEvent\)|INSERT INTO webhook_outbox", re.IGNORECASE)
    writers = {_name(path) for path in APP.rglob("*.py") if pattern.search(path.read_text())}
    assert writers == {"app/tasks/journal.py"}, writers


def test_one_cache_helper():
    """Every per-process cache is an app/cache.py TtlCache: no module keeps its own dictionary of expiries."""
    offenders = [_name(path) for path in APP.rglob("*.py")
                 if "time.monotonic() +" in path.read_text() and path.name not in ("cache.py", "sandbox.py")]
    assert offenders == []


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
