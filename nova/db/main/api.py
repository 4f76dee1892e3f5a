"""Query helpers for the cell database, grouped by entity in submodules.

Objects import this one module (``from nova.db.main import api as db``) so the
functions can move between submodules without touching callers.
"""

from nova.db.main.service_api import *  # noqa: F401,F403
from nova.db.main.compute_node_api import *  # noqa: F401,F403
from nova.db.main.instance_api import *  # noqa: F401,F403
from nova.db.main.tag_api import *  # noqa: F401,F403
from nova.db.main.instance_action_api import *  # noqa: F401,F403
from nova.db.main.bdm_api import *  # noqa: F401,F403
from nova.db.main.migration_api import *  # noqa: F401,F403
from nova.db.main.console_auth_token_api import *  # noqa: F401,F403
from nova.db.main.quota_api import *  # noqa: F401,F403
from nova.db.main.task_log_api import *  # noqa: F401,F403
