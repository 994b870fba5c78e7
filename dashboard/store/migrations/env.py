"""Alembic environment of the store: the target schema is SQLModel.metadata of every module in models/.

Run through dashboard.store (upgrade, `python -m dashboard migrate`, build-db), which passes an open
connection inside its own transaction; batch mode on SQLite, where ALTER TABLE is limited.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlmodel.sql.sqltypes import AutoString

from dashboard.store.schema import target_metadata

config = context.config
metadata = config.attributes.get("target_metadata") or target_metadata()


def _include(obj, name, type_, reflected, compare_to):  # noqa: ANN001, ARG001
    return not (type_ == "table" and name in config.attributes.get("exclude_tables", ()))


def _render_item(type_, obj, autogen_context):  # noqa: ANN001, ARG001
    """Autogenerate writes sqlmodel's AutoString as plain sa.String(): migrations depend on SQLAlchemy only."""
    if type_ == "type" and isinstance(obj, AutoString):
        return "sa.String()"
    return False


def _run(connection) -> None:  # noqa: ANN001
    context.configure(connection=connection, target_metadata=metadata, include_object=_include,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True,
                      render_item=_render_item)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # pragma: no cover - plain `alembic -x` use with sqlalchemy.url
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as con:
        _run(con)
