"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) from the gateway's own assets, no CDN.

FastAPI's own pages load Swagger UI and ReDoc from a public CDN, which shows a blank page on a
machine without internet access (a court's or a police station's network). The assets come
from the PyPI package ``fastapi-offline`` (MIT licence, github.com/turettn/fastapi_offline),
installed with the gateway, which ships the upstream builds unchanged: Swagger UI's
``swagger-ui-bundle.js`` and ``swagger-ui.css`` (swagger-ui-dist 5, Apache License 2.0,
SmartBear Software) and ReDoc's ``redoc.standalone.js`` (ReDoc 2, MIT licence, Redocly). The
gateway serves them under ``/docs/assets/``; the pages are public, like ``/openapi.json``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

#: Where the pages find their scripts, styles and icon.
ASSETS_PATH = "/docs/assets"
#: The files served there, by the name the pages use.
ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png")


def assets_folder() -> Path:
    """The folder of the installed ``fastapi-offline`` that holds the assets."""
    return Path(str(files("fastapi_offline") / "static"))


def install(app: FastAPI) -> None:
    """Serve ``/docs``, ``/redoc`` and their assets (the app is made with ``docs_url=None``
    and ``redoc_url=None``, so that FastAPI's CDN pages are not there)."""
    folder = assets_folder()
    missing = [name for name in ASSETS if not (folder / name).is_file()]
    if missing:
        raise RuntimeError(f"fastapi-offline lacks {', '.join(missing)} in {folder}")
    app.mount(ASSETS_PATH, StaticFiles(directory=folder), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title}: Swagger UI",
            swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
            # No online validator badge (Swagger UI would send the document to swagger.io).
            swagger_ui_parameters={"validatorUrl": None, "tryItOutEnabled": False},
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title}: ReDoc",
            redoc_js_url=f"{root}{ASSETS_PATH}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
            with_google_fonts=False,
        )
