"""The gateway's schema migrations (Alembic), run from code by :mod:`gateway.db`.

``env.py`` is Alembic's environment, ``versions/`` holds one file per revision. There is
no ``alembic.ini``: :func:`gateway.db.alembic_config` builds the configuration.
"""
