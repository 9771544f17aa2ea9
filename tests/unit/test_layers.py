"""The layer rule of the design, checked on every import statement of the code."""

from __future__ import annotations

import ast
import subprocess
import sys
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
    """Every (file, top-level module) imported anywhere under ``package`` (or in one file)."""
    found = []
    for path in [package] if package.is_file() else sorted(package.rglob("*.py")):
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
    (tmp_path / "bad.py").write_text("from gateway.store.db import Database\nimport sqlmodel\n")
    modules = {m for _, m in imported_modules(tmp_path)}
    assert {"gateway.store.db", "sqlmodel"} <= modules


#: What reaches a database, a broker, the network or files: IO_LIBRARIES, the drivers, and the
#: standard library's own I/O modules.
DATABASE_AND_IO = IO_LIBRARIES | {
    "psycopg",
    "psycopg2",
    "sqlite3",
    "alembic",
    "socket",
    "ssl",
    "urllib",
    "http",
    "requests",
    "asyncio",
    "subprocess",
    "shutil",
    "tempfile",
    "pathlib",
    "os",
    "io",
}


def impure_imports(path: Path) -> list[str]:
    """What ``path`` (a module or a package) imports that reaches a database or does I/O: a
    library of DATABASE_AND_IO, or any part of the gateway (its store, messaging and the
    register's storage all do)."""
    return [
        module
        for _, module in imported_modules(path)
        if module.split(".")[0] in DATABASE_AND_IO or module.split(".")[0] == "gateway"
    ]


def test_vehicle_matching_imports_no_database_or_io_library() -> None:
    """The vehicle register's matching rules (gateway.services.vehicle_matching) are pure: they
    import only the canonical model and the standard library's pure modules."""
    matching = ROOT / "gateway" / "services" / "vehicle_matching.py"
    assert imported_modules(matching), "the checker found no import at all"
    assert impure_imports(matching) == []
    # Imported on its own it loads no database or I/O library, nor any other gateway module
    # (what it imports does not either).
    probe = (
        "import sys, gateway.services.vehicle_matching; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(sys.argv[1:])), "
        "sorted(m for m in sys.modules if m.startswith('gateway.')))"
    )
    drivers = IO_LIBRARIES | {"psycopg", "psycopg2", "alembic"}
    loaded = subprocess.run(
        [sys.executable, "-c", probe, *sorted(drivers)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert loaded == "[] ['gateway.services', 'gateway.services.vehicle_matching']"


def test_the_purity_checker_sees_a_database_import(tmp_path: Path) -> None:
    planted = tmp_path / "matching.py"
    planted.write_text(
        "import json\nfrom sqlmodel import select\nimport os.path\n"
        "from gateway.store import db\nfrom canonical_model.transport import VehicleMatch\n"
    )
    assert impure_imports(planted) == ["sqlmodel", "os.path", "gateway.store"]


def test_every_adapter_has_the_same_layout() -> None:
    for adapter in ADAPTERS:
        names = {p.name for p in adapter.glob("*.py")}
        assert {"__init__.py", "adapter.py", "inbound.py", "outbound.py"} <= names, adapter.name
        assert (ROOT / "tests" / "adapters" / adapter.name / "golden").is_dir(), adapter.name
        assert (ROOT / "contracts" / adapter.name / "v1").is_dir(), adapter.name


# Inside the gateway, top to bottom (../shared/LAYOUT.md): a module imports its own layer or
# one below it, never one above. The command line and the routes sit on the services; the
# services on messaging and the store; everything on the settings, errors and logs.
GATEWAY_LAYERS: tuple[tuple[str, ...], ...] = (
    ("gateway.__main__", "gateway.cli"),
    # The web console sits beside the routes: it reuses their access log and readiness checks;
    # so does the citizen's page of an FIR (/status/), which answers through the API's route.
    ("gateway.api", "gateway.console", "gateway.citizen"),
    ("gateway.bootstrap",),
    ("gateway.services",),
    ("gateway.messaging",),
    ("gateway.store",),
    ("gateway.errors", "gateway.settings", "gateway.logs", "gateway.limits", "gateway"),
)


def gateway_layer(module: str) -> int:
    """The layer of a gateway module: the longest prefix of the table that names it."""
    best: tuple[int, int] | None = None
    for depth, prefixes in enumerate(GATEWAY_LAYERS):
        for prefix in prefixes:
            named = module == prefix or module.startswith(prefix + ".")
            if named and (best is None or len(prefix) > best[0]):
                best = (len(prefix), depth)
    assert best is not None, f"{module} is in no layer of GATEWAY_LAYERS"
    return best[1]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def upward_imports(package: Path) -> list[str]:
    bad = []
    for path, module in imported_modules(package):
        if module.split(".")[0] != "gateway":
            continue
        here = gateway_layer(module_name(path))
        there = gateway_layer(module)
        if there < here:
            bad.append(f"{path.relative_to(ROOT)} imports {module}, a layer above it")
    return bad


def test_gateway_imports_point_down() -> None:
    assert upward_imports(ROOT / "gateway") == []


def test_every_gateway_module_has_a_layer_below_the_root() -> None:
    # A module left at the top of the package would fall to the base layer unnoticed.
    loose = [
        module_name(p)
        for p in sorted((ROOT / "gateway").glob("*.py"))
        if module_name(p) not in {"gateway", "gateway.__main__", "gateway.bootstrap"}
        and gateway_layer(module_name(p)) != len(GATEWAY_LAYERS) - 1
    ]
    assert loose == []
    based = {module_name(p) for p in (ROOT / "gateway").glob("*.py")} - {
        "gateway",
        "gateway.__main__",
        "gateway.bootstrap",
    }
    assert based == {"gateway.errors", "gateway.settings", "gateway.logs", "gateway.limits"}


def test_the_gateway_checker_sees_an_upward_import(tmp_path: Path) -> None:
    store = tmp_path / "gateway" / "store"
    store.mkdir(parents=True)
    (store / "bad.py").write_text("from gateway.services.ingest import Ingestor\n")
    found = [
        (module_name_in(tmp_path, p), m)
        for p, m in imported_modules(tmp_path / "gateway")
        if gateway_layer(m) < gateway_layer(module_name_in(tmp_path, p))
    ]
    assert found == [("gateway.store.bad", "gateway.services.ingest")]


def module_name_in(root: Path, path: Path) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts)


# The routes answer HTTP and leave the tables to the services: no module of gateway/api/ (nor of
# the web console, gateway/console/) imports the store or the ORM; each query is a function of
# gateway/services/, where the disclosure rules are applied.
API_FORBIDDEN = ("gateway.store", "sqlmodel", "sqlalchemy")
#: Modules of gateway/api/ let off the rule, each with the reason.
API_PENDING: set[str] = set()


def full_imports(path: Path, root: Path) -> list[str]:
    """Every module a file imports, named in full: ``from gateway import store`` is
    ``gateway.store``, and a relative import is resolved against the file's package."""
    package = list(path.relative_to(root).with_suffix("").parts)[:-1]
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names += [module, *(f"{module}.{alias.name}" for alias in node.names)]
    return names


def api_store_imports(root: Path) -> dict[str, list[str]]:
    """The modules under ``root``/gateway/api and gateway/console that import the store or the
    ORM, with what."""
    found: dict[str, list[str]] = {}
    for path in sorted(
        p
        for folder in ("api", "console", "citizen")
        for p in (root / "gateway" / folder).rglob("*.py")
    ):
        bad = sorted(
            {
                name
                for name in full_imports(path, root)
                if any(name == f or name.startswith(f + ".") for f in API_FORBIDDEN)
            }
        )
        if bad:
            found[path.relative_to(root).as_posix()] = bad
    return found


def test_routes_leave_the_tables_to_the_services() -> None:
    found = api_store_imports(ROOT)
    assert {p: m for p, m in found.items() if p not in API_PENDING} == {}
    # An exemption no longer needed is dropped, so that the rule covers the module again.
    assert sorted(API_PENDING - found.keys()) == [], "no longer imports the store: un-exempt it"


def test_the_api_checker_sees_a_route_querying_tables(tmp_path: Path) -> None:
    api = tmp_path / "gateway" / "api"
    api.mkdir(parents=True)
    (api / "routes_fine.py").write_text("from gateway.services.cases import load_case\n")
    (api / "routes_tables.py").write_text(
        "from sqlmodel import select\nfrom gateway.store.tables import MessageRow\n"
    )
    (api / "routes_sly.py").write_text(
        "from gateway import store\nfrom ..store import db\nimport sqlalchemy.exc\n"
    )
    assert api_store_imports(tmp_path) == {
        "gateway/api/routes_sly.py": [
            "gateway.store",
            "gateway.store.db",
            "sqlalchemy.exc",
        ],
        "gateway/api/routes_tables.py": [
            "gateway.store.tables",
            "gateway.store.tables.MessageRow",
            "sqlmodel",
            "sqlmodel.select",
        ],
    }
