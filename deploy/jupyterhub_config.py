# JupyterHub for a workshop on one host (docs/workshop.md):
#   jupyterhub -f deploy/jupyterhub_config.py      (as root, in the hub's state folder)
#
# One Unix user per learner (LocalProcessSpawner, via deploy/spawner.py), each with their own
# copy of the lessons, state folder and sandbox; limits per learner through a control group; an
# idle culler; the trainer's class view. Everything is set here; the environment variables
# below only say where things are (deploy/install.sh sets them for a real host, the tests and
# benchmarks for a throw-away hub on loopback).
#
#   TUTORIAL_HUB_PYTHON     the tutorial runtime's python  (/opt/aws-mfa-tutorial/venv/bin/python)
#   TUTORIAL_HUB_NOTEBOOKS  the original lessons           (/opt/aws-mfa-tutorial/notebooks)
#   TUTORIAL_HUB_LD_LIBRARY_PATH  only for a copied interpreter (deploy/runtime.py)
#   TUTORIAL_HUB_IP / TUTORIAL_HUB_PORT   where learners connect (0.0.0.0:8000; tests 127.0.0.1)
#   TUTORIAL_HUB_ADMINS     trainers, comma-separated (hub admins: the class view, resets)
#   TUTORIAL_HUB_LEARNERS_GROUP  the Unix group whose members may log in (learners)
#   TUTORIAL_HUB_MEM_LIMIT / TUTORIAL_HUB_CPU_LIMIT   per learner (default 1G, 1 CPU)
#   TUTORIAL_HUB_CULL_TIMEOUT  seconds idle before a server is stopped (default 3600)
#   TUTORIAL_HUB_CULL_EVERY    seconds between the culler's checks (default 60)
#   TUTORIAL_HUB_CGROUP     the learners' parent control group (default aws-mfa-tutorial)
#   TUTORIAL_HUB_SERVICE_TOKEN  optional: a token for scripts acting as the hub's admin service
#   TUTORIAL_HUB_POLL_S     how often the hub checks that servers still run (default 30)
# ruff: noqa: F821 - `c` is given by JupyterHub

import os
import sys
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
sys.path.insert(0, str(DEPLOY.parent))  # `deploy.spawner` for the hub process

env = os.environ.get
PYTHON = env("TUTORIAL_HUB_PYTHON", "/opt/aws-mfa-tutorial/venv/bin/python")
NOTEBOOKS = env("TUTORIAL_HUB_NOTEBOOKS", "/opt/aws-mfa-tutorial/notebooks")
RUNTIME_ENV = {}
if env("TUTORIAL_HUB_LD_LIBRARY_PATH"):
    RUNTIME_ENV["LD_LIBRARY_PATH"] = env("TUTORIAL_HUB_LD_LIBRARY_PATH")
ADMINS = {name for name in env("TUTORIAL_HUB_ADMINS", "").split(",") if name}

# --- where the hub listens ------------------------------------------------------------------
c.JupyterHub.ip = env("TUTORIAL_HUB_IP", "0.0.0.0")
c.JupyterHub.port = int(env("TUTORIAL_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("TUTORIAL_HUB_INTERNAL_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env('TUTORIAL_HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [
    str(DEPLOY / "node_modules" / ".bin" / "configurable-http-proxy")
]
c.JupyterHub.cleanup_servers = True  # a hub restart stops the servers (and so the sandboxes)

# --- who may log in -------------------------------------------------------------------------
# PAM: learners log in with their Unix password (`python -m deploy.class_accounts` makes them).
c.JupyterHub.authenticator_class = "jupyterhub.auth.PAMAuthenticator"
c.PAMAuthenticator.allowed_groups = {env("TUTORIAL_HUB_LEARNERS_GROUP", "tutorial-learners")}
c.Authenticator.admin_users = ADMINS

# --- each learner's server ------------------------------------------------------------------
c.JupyterHub.spawner_class = "deploy.spawner.TutorialSpawner"
c.TutorialSpawner.python = PYTHON
c.TutorialSpawner.notebooks = NOTEBOOKS
c.TutorialSpawner.runtime_environment = RUNTIME_ENV
c.TutorialSpawner.cgroup_name = env("TUTORIAL_HUB_CGROUP", "aws-mfa-tutorial")
c.Spawner.cmd = [PYTHON, "-m", "jupyterhub.singleuser"]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab/tree/aws-mfa-tutorial/00_start_here.ipynb"
c.Spawner.mem_limit = env("TUTORIAL_HUB_MEM_LIMIT", "1G")  # enforced by the control group
c.Spawner.cpu_limit = float(env("TUTORIAL_HUB_CPU_LIMIT", "1"))
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.poll_interval = int(env("TUTORIAL_HUB_POLL_S", "30"))
# A lesson's kernel is 65-85 MB (benchmarks/bench_footprint.py); a learner who leaves every
# lesson's tab open holds eight. Kernels idle for 20 minutes are shut down, open tab or not (the
# lesson's first cells bring everything back: docs/workshop.md, "Common problems").
c.Spawner.args = [
    "--MappingKernelManager.cull_idle_timeout=1200",
    "--MappingKernelManager.cull_interval=120",
    "--MappingKernelManager.cull_connected=True",
    # A new kernel must answer its first message within this time or the page's connection is
    # closed (default 60 s); when a whole class presses Run All at once, a kernel can take longer.
    "--ZMQChannelsWebsocketConnection.kernel_info_timeout=180",
]

# --- services: the idle culler and the trainer's class view ---------------------------------
services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={env('TUTORIAL_HUB_CULL_TIMEOUT', '3600')}",
            f"--cull-every={env('TUTORIAL_HUB_CULL_EVERY', '60')}",
        ],
    },
    {
        "name": "class-view",
        "url": f"http://127.0.0.1:{env('TUTORIAL_HUB_CLASS_VIEW_PORT', '8765')}",
        "command": [sys.executable, "-m", "deploy.class_view"],
        "cwd": str(DEPLOY.parent),
        "environment": {"PYTHONPATH": str(DEPLOY.parent)},
        "display": True,
        "oauth_no_confirm": True,
    },
]
roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    },
    {
        # Read-only: who the learners are, their activity and servers; never their tokens.
        "name": "class-view",
        "scopes": ["list:users", "read:users", "read:servers"],
        "services": ["class-view"],
    },
]
if env("TUTORIAL_HUB_SERVICE_TOKEN"):
    services.append({"name": "workshop-admin", "api_token": env("TUTORIAL_HUB_SERVICE_TOKEN")})
    roles.append(
        {
            "name": "workshop-admin",
            "scopes": ["admin:users", "admin:servers", "tokens", "list:users", "access:servers"],
            "services": ["workshop-admin"],
        }
    )
c.JupyterHub.services = services
c.JupyterHub.load_roles = roles
