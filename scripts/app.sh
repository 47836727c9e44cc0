#!/usr/bin/env bash
# Install the app's dependencies into .venv and run the Streamlit app.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
# server.py serves streamlit_app.py and prepares its first view as the server starts.
exec .venv/bin/streamlit run server.py "$@"
