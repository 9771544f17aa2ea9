"""The layer rule of the design, checked on every import statement of the code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IO_LIBRARIES = {
    "fastapi",
    "starlette",
    "sqlmodel",
    "sqlalchemy",
    "aiokafka",
    "lxml",
    "httpx",
    "uvicorn",
}


def imported_modules(package: Path) -> list[tuple[Path, str]]:
    """Every (file, top-level module) imported anywhere under ``package``."""
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(path, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.append((path, node.module))
    return found


def test_canonical_model_imports_nothing_outward() -> None:
    bad = [
        f"{p.relative_to(ROOT)} imports {m}"
        for p, m in imported_modules(ROOT / "canonical_model")
        if m.split(".")[0] in {"gateway", "adapters", "contracts", *IO_LIBRARIES}
    ]
    assert bad == []


def test_contracts_do_not_import_gateway_or_adapters() -> None:
    bad = [
        f"{p.relative_to(ROOT)} imports {m}"
        for p, m in imported_modules(ROOT / "contracts")
        if m.split(".")[0]
        in {"gateway", "adapters", "fastapi", "sqlmodel", "sqlalchemy", "aiokafka"}
    ]
    assert bad == []


ADAPTERS = sorted(
    p for p in (ROOT / "adapters").iterdir() if p.is_dir() and (p / "__init__.py").exists()
)


@pytest.mark.parametrize("adapter", ADAPTERS, ids=[p.name for p in ADAPTERS])
def test_adapter_imports_only_inward(adapter: Path) -> None:
    bad = []
    for path, module in imported_modules(adapter):
        parts = module.split(".")
        if parts[0] in {
            "gateway",
            "fastapi",
            "sqlmodel",
            "sqlalchemy",
            "aiokafka",
            "httpx",
            "uvicorn",
        }:
            bad.append(f"{path.relative_to(ROOT)} imports {module}")
        if parts[0] == "adapters" and len(parts) > 1 and parts[1] != adapter.name:
            bad.append(f"{path.relative_to(ROOT)} imports another adapter: {module}")
    assert bad == []


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """The rule would fail if broken: a planted outward import is found."""
    (tmp_path / "bad.py").write_text("from gateway.db import Database\nimport sqlmodel\n")
    modules = {m for _, m in imported_modules(tmp_path)}
    assert {"gateway.db", "sqlmodel"} <= modules


def test_every_adapter_has_the_same_layout() -> None:
    for adapter in ADAPTERS:
        names = {p.name for p in adapter.glob("*.py")}
        assert {"__init__.py", "adapter.py", "inbound.py", "outbound.py"} <= names, adapter.name
        assert (ROOT / "tests" / "adapters" / adapter.name / "golden").is_dir(), adapter.name
        assert (ROOT / "contracts" / adapter.name / "v1").is_dir(), adapter.name
