#!/usr/bin/env bash
# Install the workshop hub on one Debian/Ubuntu host (docs/workshop.md, "Before the day").
# As root, from a clone of this repository:   sudo deploy/install.sh
#
# Puts the tutorial in /opt/aws-mfa-tutorial (readable by every learner), its Python
# environment in /opt/aws-mfa-tutorial/venv (the project with its `workshop` extra), the proxy
# from npm in deploy/node_modules, and the learners' Unix group. Then start the hub with:
#   cd /var/lib/aws-mfa-tutorial-hub && /opt/aws-mfa-tutorial/venv/bin/jupyterhub \
#       -f /opt/aws-mfa-tutorial/deploy/jupyterhub_config.py
# (under systemd, a supervisor or tmux: it must keep running for the whole workshop).
set -euo pipefail
PREFIX=/opt/aws-mfa-tutorial
HUB_STATE=/var/lib/aws-mfa-tutorial-hub
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1 || ! python3 -m venv --help >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv nodejs npm >/dev/null
fi
mkdir -p "$PREFIX" "$HUB_STATE"
chmod 755 "$PREFIX"
chmod 700 "$HUB_STATE"  # the hub's database and cookie secret
cp -r helpers notebooks deploy pyproject.toml README.md "$PREFIX"/
rm -rf "$PREFIX/notebooks/downloads"
test -x "$PREFIX/venv/bin/python" || python3 -m venv "$PREFIX/venv"
"$PREFIX/venv/bin/python" -m pip install --quiet --upgrade pip
"$PREFIX/venv/bin/python" -m pip install --quiet "$PREFIX[workshop]"
# `deploy` (learner_files, reset_learner) importable by every learner's python.
site=$("$PREFIX/venv/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
echo "$PREFIX" > "$site/aws_mfa_tutorial_deploy.pth"
"$PREFIX/venv/bin/python" -c "from helpers.lab import install_lab_settings; install_lab_settings()"
(cd "$PREFIX/deploy" && npm ci --no-audit --no-fund --loglevel=error)
chmod -R a+rX "$PREFIX"
getent group tutorial-learners >/dev/null || groupadd tutorial-learners
echo "Installed in $PREFIX. Next: learners' accounts (python -m deploy.class_accounts create ...),"
echo "then start the hub (see the top of this script, and docs/workshop.md)."
