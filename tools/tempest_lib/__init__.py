"""``tools/tempest``: run tempest's compute API tests against a running cloud.

Standard library only: it runs with the system Python, reads the cloud's
openrc, talks to its REST APIs to set up what tempest needs and detect what
the cloud can do, and drives tempest installed in its own virtualenv.
"""
