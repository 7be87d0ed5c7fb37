"""Alembic's environment for the requests' database: migrate on the
connection the service gives (``db.alembic_config``), or on
``sqlalchemy.url`` when alembic's command line runs it."""

from alembic import context
from sqlalchemy import create_engine

from jupyterlab_hub_groups.service.db import VERSION_TABLE

config = context.config


def run(connection) -> None:
    context.configure(
        connection=connection,
        version_table=VERSION_TABLE,
        # SQLite changes columns by copying the table (batch mode)
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        version_table=VERSION_TABLE,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
elif config.attributes.get("connection") is not None:
    run(config.attributes["connection"])
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        run(connection)
