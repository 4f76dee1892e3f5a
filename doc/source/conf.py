"""Sphinx configuration for the Nova documentation.

Everything builds offline: the only extensions are oslo.config's, which read
the options straight from the installed package, and the theme is alabaster,
which ships with Sphinx.
"""

import os
from importlib import metadata

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
GENERATOR_CONF = os.path.join(REPO, "etc", "nova", "nova-config-generator.conf")
POLICY_GENERATOR_CONF = os.path.join(REPO, "etc", "nova", "nova-policy-generator.conf")

project = "Nova"
copyright = "Nova contributors"
author = "Nova contributors"
try:
    release = metadata.version("nova")
except metadata.PackageNotFoundError:
    release = "unreleased"
version = release

extensions = ["oslo_config.sphinxext"]

# The sample nova.conf is generated at build time from the generator input, if
# the project ships one; the configuration pages include it only then.
if os.path.exists(GENERATOR_CONF):
    extensions.append("oslo_config.sphinxconfiggen")
    config_generator_config_file = GENERATOR_CONF
    sample_config_basename = "_static/nova"

# The policy reference (configuration/policy.rst) and a sample policy.yaml,
# from the rules registered under the ``nova`` oslo.policy namespace.
extensions += ["oslo_policy.sphinxext", "oslo_policy.sphinxpolicygen"]
policy_generator_config_file = POLICY_GENERATOR_CONF
sample_policy_basename = "_static/nova"

templates_path = []
exclude_patterns = []
master_doc = "index"
language = "en"

html_theme = "alabaster"
html_static_path = ["_static"]
html_title = "Nova %s" % release
