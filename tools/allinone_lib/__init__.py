"""The all-in-one bring-up behind ``tools/allinone`` (up, status, down).

Kept free of third-party imports at package level: ``serve_wsgi`` runs inside
the Keystone/Glance virtualenv, which does not have the project installed.
"""
