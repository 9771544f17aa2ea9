"""``/docs`` and ``/redoc`` work without internet access: the pages name no external URL, and
every script, style, icon and document they load is served by the gateway itself."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gateway.api.app import create_app
from gateway.bootstrap import build_gateway
from gateway.settings import Settings

#: What a page loads: src= and href= attributes, and the document URLs its script names.
REFERENCES = re.compile(
    r"""(?:src|href)=["']([^"']+)["']|(?:url|spec-url)\s*[:=]\s*["']([^"']+)["']"""
)


@pytest.fixture(scope="module")
def http(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder: Path = tmp_path_factory.mktemp("docs")
    gateway = build_gateway(
        Settings(database_url=f"sqlite:///{folder / 'icjs.db'}", kafka_bootstrap_servers=None)
    )
    try:
        with TestClient(create_app(gateway)) as client:
            yield client
    finally:
        gateway.close()


@pytest.mark.parametrize(
    ("page", "assets"),
    [
        ("/docs", {"swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"}),
        ("/redoc", {"redoc.standalone.js", "favicon.png"}),
    ],
)
def test_a_docs_page_loads_everything_from_the_gateway(
    http: TestClient, page: str, assets: set[str]
) -> None:
    answer = http.get(page)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    html = answer.text
    assert "http://" not in html and "https://" not in html and "//cdn" not in html, html
    references = {a or b for a, b in REFERENCES.findall(html)}
    assert "/openapi.json" in references
    loaded = {ref.rsplit("/", 1)[1] for ref in references if ref.startswith("/docs/assets/")}
    assert loaded == assets
    for ref in references:
        assert ref.startswith("/"), ref
        asset = http.get(ref)
        assert asset.status_code == 200, ref
        assert len(asset.content) > 100, ref
    script = next(r for r in references if r.endswith(".js"))
    assert "javascript" in http.get(script).headers["content-type"]


def test_the_document_the_pages_show_is_served_without_a_key(http: TestClient) -> None:
    answer = http.get("/openapi.json")
    assert answer.status_code == 200
    assert answer.json()["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"
    assert http.get("/docs/assets/no-such-file.js").status_code == 404
