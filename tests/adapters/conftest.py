"""Adapter tests: golden files per pillar, and the shared contract suite in ``contract_suite.py``.

pytest puts this folder on ``sys.path`` (it holds a conftest and no ``__init__.py``), so a
pillar's test module imports the suite as ``from contract_suite import AdapterContractSuite``.
"""
