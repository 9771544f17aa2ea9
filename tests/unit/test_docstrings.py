"""Every public thing in the canonical model and in each adapter says what it is."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def undocumented(package: Path) -> list[str]:
    missing = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if ast.get_docstring(tree) is None:
            missing.append(f"{path.relative_to(ROOT)}: module")
        nodes: list[tuple[str, ast.AST]] = [("", n) for n in tree.body]
        while nodes:
            prefix, node = nodes.pop()
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                if node.name.startswith("_"):
                    continue
                if ast.get_docstring(node) is None:
                    missing.append(f"{path.relative_to(ROOT)}: {prefix}{node.name}")
                if isinstance(node, ast.ClassDef):
                    nodes += [(f"{node.name}.", child) for child in node.body]
    return missing


def test_canonical_model_is_documented() -> None:
    assert undocumented(ROOT / "canonical_model") == []


def test_adapters_are_documented() -> None:
    assert undocumented(ROOT / "adapters") == []
