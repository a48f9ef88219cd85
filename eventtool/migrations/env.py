from alembic import context
from sqlmodel import SQLModel

from eventtool import models  # noqa: F401  (registers the tables)
from eventtool.core.db import make_engine

target_metadata = SQLModel.metadata


def run(connection):
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = make_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        run(conn)
