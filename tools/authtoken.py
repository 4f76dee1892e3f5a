"""The ``[keystone_authtoken]`` section a Keystone-backed service's config needs.

Placement and Glance, whose configs the tools write, authenticate their
callers' tokens with the same middleware settings and differ only in the
service user they log in as.
"""

_SECTION = """
[keystone_authtoken]
www_authenticate_uri = {auth_url}
auth_url = {auth_url}
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = {username}
password = {password}
"""


def keystone_authtoken_section(auth_url, username, password):
    """The section, with a leading blank line, for service user ``username``."""
    return _SECTION.format(auth_url=auth_url, username=username, password=password)
