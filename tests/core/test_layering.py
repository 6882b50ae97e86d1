"""Pure rule modules never touch the ORM (import-linter cannot forbid a subpackage of an external package)."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "ansinh"
PURE = ["core/calendar.py", "core/identifiers.py", "core/text.py", "accounts/rules.py"]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", PURE)
def test_pure_rules_import_no_orm(module):
    offending = {
        name for name in _imports(SRC / module) if name == "django.db" or name.startswith("django.db.")
    }
    assert offending == set()
