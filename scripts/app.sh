#!/usr/bin/env bash
# Install the app's dependencies into .venv and run the Streamlit app.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
exec .venv/bin/streamlit run streamlit_app.py "$@"
