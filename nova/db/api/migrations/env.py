"""Alembic environment of the API database: the shared one, with its models."""

from nova.db import alembic_env
from nova.db.api import models

target_metadata = models.BASE.metadata

alembic_env.run_migrations(target_metadata)
