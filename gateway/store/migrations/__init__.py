"""The gateway's schema migrations (Alembic), run from code by :mod:`gateway.store.db`.

``env.py`` is Alembic's environment, ``versions/`` holds one file per revision. There is
no ``alembic.ini``: :func:`gateway.store.db.alembic_config` builds the configuration.
"""
