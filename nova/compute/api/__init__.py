"""Compute as nova-api runs it: the entry point the REST layer uses."""

from nova.compute.api.servers import API  # noqa: F401
