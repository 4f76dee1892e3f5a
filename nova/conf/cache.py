"""[cache]: oslo.cache's options (the generator lists them under the
``oslo.cache`` namespace)."""

from oslo_cache import core as cache_core


def register_opts(conf):
    cache_core.configure(conf)


def list_opts():
    # Listed by oslo.cache's own generator namespace.
    return {}
