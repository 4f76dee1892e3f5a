"""Project version strings, as services report them."""

from importlib import metadata

NOVA_VENDOR = "nova-reimplementation"
NOVA_PRODUCT = "OpenStack Compute"


def version_string():
    try:
        return metadata.version('nova')
    except metadata.PackageNotFoundError:
        return '0.0.0'


def version_string_with_package():
    return version_string()
