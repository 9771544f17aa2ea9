"""Pillar adapters: one package per pillar, each a pure translator between that pillar's own
formats and the canonical model.

An adapter takes the bytes a pillar sends and gives back canonical events
(``decode``), and writes canonical events in the pillar's format (``encode``,
``encode_feed``). It checks every message against the pillar's contracts in
``contracts/<pillar>/`` and locates every error in the pillar's own terms. It
does no I/O of its own (no network, no database), imports only
``canonical_model`` and ``contracts``, and never another adapter. Every adapter
has the same layout: ``adapter.py`` (the class the gateway registers),
``inbound.py`` (pillar format -> canonical) and ``outbound.py`` (canonical ->
pillar format); golden files under ``tests/adapters/<pillar>/golden/`` pin it down.
"""
