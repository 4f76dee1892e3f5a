"""Database unit fixtures."""

import contextlib

import sqlalchemy as sa
from sqlalchemy import orm


@contextlib.contextmanager
def memory_session(base):
    """A session on an in-memory SQLite database holding ``base``'s tables."""
    engine = sa.create_engine('sqlite://')
    base.metadata.create_all(engine)
    with orm.Session(engine) as session:
        yield session
    engine.dispose()
