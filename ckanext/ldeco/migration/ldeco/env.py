"""Alembic environment for ckanext-ldeco's own tables (prefix ldeco_).

CKAN runs it through `ckan db upgrade`; the version is kept in the
ldeco_alembic_version table, apart from core's.
"""
from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from ckan.model.meta import metadata
from sqlalchemy import engine_from_config, pool

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name)

VERSION_TABLE = "ldeco_alembic_version"


def _ours(obj, name, type_, reflected, compare_to) -> bool:
    # autogenerate must never propose changes to core's tables
    return name.startswith("ldeco_") if type_ == "table" else True


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata,
                      literal_binds=True, version_table=VERSION_TABLE, include_object=_ours)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = engine_from_config(config.get_section(config.config_ini_section) or {},
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata,
                          version_table=VERSION_TABLE, include_object=_ours)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
