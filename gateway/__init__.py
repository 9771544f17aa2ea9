"""The gateway: HTTP API, CLI, settings, persistence, outbox relay, bus, consumers and auth.

It composes the inner layers (``canonical_model``, ``contracts``, ``adapters``);
nothing inside those layers imports it.
"""
