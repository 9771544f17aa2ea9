"""The web console at ``/console/``: server-rendered pages (Jinja2) for operators and for each
pillar's users, signed in with their API key, showing what that key may read through the API
and nothing more. Every asset is served by the gateway (no CDN)."""

from gateway.console.routes import router

__all__ = ["router"]
