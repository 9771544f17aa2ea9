"""Persistence: the engine and unit of work, the tables, identifiers, the audit chain and the
schema's migrations."""
