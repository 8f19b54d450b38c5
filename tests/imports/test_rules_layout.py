"""The importer stays a chain of small rules: no function in app/imports/ longer than 60 lines or more complex than
McCabe 15 unless a comment on the lines right above its `def`, starting "# Kept whole:", says why; and each rule module
has its own tests."""

import ast
import json
import subprocess
import sys
from pathlib import Path

IMPORTS = Path(__file__).resolve().parents[2] / "app" / "imports"
TESTS = Path(__file__).resolve().parent
MAX_LINES, MAX_COMPLEXITY = 60, 15
REASON = "# Kept whole:"


def _functions(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            above = []
            for line in reversed(lines[:first - 1]):
                if not line.strip().startswith("#"):
                    break
                above.insert(0, line.strip())
            yield node, any(line.startswith(REASON) for line in above)


def _too_complex() -> set[tuple[str, int]]:
    """(file, line of the def) of every function ruff finds above the complexity."""
    found = subprocess.run(
        [sys.executable, "-m", "ruff", "check", str(IMPORTS), "--select", "C901", "--output-format", "json",
         "--config", f"lint.mccabe.max-complexity={MAX_COMPLEXITY}", "--no-cache"],
        capture_output=True, text=True, check=False)
    return {(Path(d["filename"]).name, d["location"]["row"]) for d in json.loads(found.stdout or "[]")}


def test_no_long_or_complex_function_without_a_reason():
    complex_defs = _too_complex()
    offenders = []
    for path in sorted(IMPORTS.rglob("*.py")):
        for node, explained in _functions(path):
            length = node.end_lineno - node.lineno + 1
            too_long = length > MAX_LINES
            too_complex = (path.name, node.lineno) in complex_defs
            if (too_long or too_complex) and not explained:
                offenders.append(f"{path.relative_to(IMPORTS)}:{node.lineno} {node.name} ({length} lines"
                                 f"{', too complex' if too_complex else ''})")
    assert offenders == []


def test_ruff_measures_complexity_here():
    # The check above is only as good as ruff's answer: a function known to be over the limit must be found.
    assert any(name == "extract.py" for name, _ in _too_complex())


def test_each_rule_module_has_its_own_tests():
    rules = sorted(p.stem for p in (IMPORTS / "rules").glob("*.py") if p.stem != "__init__")
    missing = [name for name in rules if not (TESTS / f"test_rule_{name}.py").exists()]
    assert rules and missing == []
