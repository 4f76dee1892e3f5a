"""Column types shared by the API and cell database schemas.

Each helper returns a fresh type object whose storage differs per backend:
MySQL gets MEDIUMTEXT where TEXT's 64 KiB is too small, PostgreSQL gets its
native INET for addresses. Models and migrations both call these helpers so
alembic's autogenerate comparison sees identical types on every backend.
"""

import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.dialects import postgresql


def MediumText():
    """Large text (JSON blobs, user data): MEDIUMTEXT on MySQL, TEXT elsewhere."""
    return sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql')


def IPAddress():
    """An IPv4 or IPv6 address; INET on PostgreSQL."""
    return sa.String(39).with_variant(postgresql.INET(), 'postgresql')


def CIDR():
    """An address with a prefix length; INET on PostgreSQL."""
    return sa.String(43).with_variant(postgresql.INET(), 'postgresql')
