#!/usr/bin/env bash
# Install the workshop hub on one Debian 12 (or Ubuntu 24.04) host: docs/workshop.md, "Before
# the day". As root, from a clone of this repository:
#
#   deploy/install.sh                 # into /opt/aws-mfa-tutorial, hub state in /var/lib/...
#   deploy/install.sh --uninstall     # remove what it installed (not the learners' accounts)
#
# Options (for a second installation, or a test): --prefix DIR, --state DIR, --group NAME.
#
# The learners' servers run as the learners' Unix users, so the interpreter, the packages and
# the lessons must be readable by every user. The environment is a venv of the system's Python
# (Debian 12's /usr/bin/python3 is 3.11, the project's version; installed with python3-venv
# from apt if missing), never a python on root's PATH, which may be a pyenv or conda in /root
# that no learner can read. It ends by importing the tutorial as `nobody` to prove it.
#
# Then: accounts with `$PREFIX/venv/bin/python -m deploy.class_accounts create NAME ...`, and
# the hub with `$PREFIX/bin/start-hub` (it must keep running for the whole workshop: under
# systemd, a supervisor or tmux).
set -euo pipefail

PREFIX=/opt/aws-mfa-tutorial
HUB_STATE=/var/lib/aws-mfa-tutorial-hub
GROUP=tutorial-learners
PYTHON=/usr/bin/python3
UNINSTALL=
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX=$2; shift 2 ;;
    --state) HUB_STATE=$2; shift 2 ;;
    --group) GROUP=$2; shift 2 ;;
    --uninstall) UNINSTALL=1; shift ;;
    *) echo "usage: $0 [--prefix DIR] [--state DIR] [--group NAME] [--uninstall]" >&2; exit 2 ;;
  esac
done
PREFIX=$(realpath -m "$PREFIX")
HUB_STATE=$(realpath -m "$HUB_STATE")
say() { printf '%s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }

if [ "$(id -u)" != 0 ]; then
  echo "Run as root: it installs packages, and the hub runs learners' servers as their users." >&2
  exit 2
fi

if [ -n "$UNINSTALL" ]; then
  # The hub must be stopped first (its servers, and so their sandboxes, stop with it).
  if [ -e "$PREFIX" ] && [ ! -x "$PREFIX/bin/start-hub" ]; then
    echo "$PREFIX is not an installation made by this script; not removing it." >&2
    exit 2
  fi
  rm -rf "$PREFIX"
  # Only the hub's own files: --state may name a folder that holds other things.
  rm -f "$HUB_STATE"/jupyterhub.sqlite "$HUB_STATE"/jupyterhub_cookie_secret \
    "$HUB_STATE"/jupyterhub-proxy.pid
  if [ -d "$HUB_STATE" ]; then rmdir "$HUB_STATE" || echo "$HUB_STATE is not empty; kept." >&2; fi
  if getent group "$GROUP" >/dev/null; then
    if [ -z "$(getent group "$GROUP" | cut -d: -f4)" ]; then
      groupdel "$GROUP"
    else
      echo "Group $GROUP still has members (remove the accounts first); kept." >&2
    fi
  fi
  say "Removed $PREFIX and $HUB_STATE."
  exit 0
fi

cd "$(dirname "$0")/.."
test -f deploy/jupyterhub_config.py -a -d notebooks || {
  echo "Run deploy/install.sh from a clone of the repository." >&2
  exit 2
}

# --- system packages: Python 3.11+ with venv, Node.js and npm (the proxy) -------------------
python_ok() {
  [ -x "$PYTHON" ] && "$PYTHON" -c \
    'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}
if ! python_ok || ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  say "Installing python3-venv, nodejs and npm from apt"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    ca-certificates python3 python3-venv nodejs npm >/dev/null
fi
python_ok || {
  echo "$PYTHON is not Python 3.11 or newer with venv (Debian 12 and Ubuntu 24.04 have it)." >&2
  exit 2
}

# Every folder above the prefix must be searchable by others, or no learner reaches it.
folder=$PREFIX
while folder=$(dirname "$folder") && [ "$folder" != / ]; do
  if [ -d "$folder" ] && [ "$(($(stat -c '%#a' "$folder") & 1))" = 0 ]; then
    echo "$folder is not searchable by other users: choose another --prefix." >&2
    exit 2
  fi
done

# --- the tutorial: lessons, helpers, the hub's configuration --------------------------------
say "Copying the tutorial to $PREFIX"
mkdir -p "$PREFIX" "$HUB_STATE"
chmod 755 "$PREFIX"
chmod 700 "$HUB_STATE" # the hub's database and cookie secret
rm -rf "$PREFIX/helpers" "$PREFIX/notebooks" "$PREFIX/deploy" "$PREFIX/bin"
tar -c --exclude=node_modules --exclude=__pycache__ --exclude=.ipynb_checkpoints \
  --exclude=notebooks/downloads helpers notebooks deploy pyproject.toml README.md |
  tar -x --no-same-owner -C "$PREFIX"

# --- its Python environment ---------------------------------------------------------------
# A venv made by another interpreter (e.g. an earlier run with a private python) is replaced.
if [ -e "$PREFIX/venv" ] &&
  ! grep -qx "home = $(dirname "$(realpath "$PYTHON")")" "$PREFIX/venv/pyvenv.cfg" 2>/dev/null; then
  rm -rf "$PREFIX/venv"
fi
test -x "$PREFIX/venv/bin/python" || "$PYTHON" -m venv "$PREFIX/venv"
say "Installing the Python packages (jupyterlab, jupyterhub, moto, ...)"
"$PREFIX/venv/bin/python" -m pip install --quiet --upgrade pip
"$PREFIX/venv/bin/python" -m pip install --quiet "$PREFIX[workshop]"
rm -rf "$PREFIX/build" "$PREFIX"/*.egg-info # what the build left in the copy
# `deploy` (class_accounts, reset_learner, learner_files) importable by the venv's python.
site=$("$PREFIX/venv/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
echo "$PREFIX" >"$site/aws_mfa_tutorial_deploy.pth"
"$PREFIX/venv/bin/python" -c "from helpers.lab import install_lab_settings; install_lab_settings()"

say "Installing the proxy (configurable-http-proxy, from npm)"
(cd "$PREFIX/deploy" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

# --- the command that starts the hub --------------------------------------------------------
mkdir -p "$PREFIX/bin"
cat >"$PREFIX/bin/start-hub" <<EOF
#!/bin/sh
# Start the workshop hub (written by deploy/install.sh; docs/workshop.md). As root.
# Other settings (TUTORIAL_HUB_ADMINS, TUTORIAL_HUB_PORT, ...) come from the environment:
# see $PREFIX/deploy/jupyterhub_config.py.
export TUTORIAL_HUB_PYTHON=$PREFIX/venv/bin/python
export TUTORIAL_HUB_NOTEBOOKS=$PREFIX/notebooks
export TUTORIAL_HUB_LEARNERS_GROUP=\${TUTORIAL_HUB_LEARNERS_GROUP:-$GROUP}
# TUTORIAL_HUB_STATE: another folder for the database, cookie secret and proxy's pid file,
# for a second hub beside the class's (python -m deploy.check_install).
cd "\${TUTORIAL_HUB_STATE:-$HUB_STATE}"
exec $PREFIX/venv/bin/jupyterhub -f $PREFIX/deploy/jupyterhub_config.py "\$@"
EOF
chmod 755 "$PREFIX/bin/start-hub"
chmod -R a+rX,go-w "$PREFIX"
getent group "$GROUP" >/dev/null || groupadd "$GROUP"

# --- proof: an unprivileged user can run the learners' runtime ------------------------------
say "Checking that any user can run it (as nobody)"
(cd / && runuser -u nobody -- "$PREFIX/venv/bin/python" -c \
  "import helpers, deploy.learner_files, jupyterhub, jupyterlab, moto; print('ok')") >/dev/null || {
  echo "The environment in $PREFIX is not usable by other users (see above)." >&2
  exit 1
}
say "Installed in $PREFIX ($("$PREFIX/venv/bin/python" --version), node $(node --version))."
echo "Next, accounts:  $PREFIX/venv/bin/python -m deploy.class_accounts create learner01 ..."
echo "then the hub:    TUTORIAL_HUB_ADMINS=trainer $PREFIX/bin/start-hub"
