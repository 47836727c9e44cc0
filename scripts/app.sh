#!/usr/bin/env bash
# Install Jiegui (editable, with its pinned requirements) into .venv and run the Streamlit app.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
# After an install or an update of the code, data or requirements, compute the page's first
# view once now (about 1 s) and keep it on disk (app/result_cache.py), so the first start
# paints as fast as later ones; otherwise server.py computes it while the first browser loads.
version=$( { find requirements.txt pyproject.toml server.py streamlit_app.py geo layers app data -type f -not -path "*/__pycache__/*" \
  -print0 2>/dev/null || true; } | sort -z | xargs -0 cat | sha256sum)
if [ "$(cat .venv/.jiegui-prepared 2>/dev/null)" != "$version" ]; then
  if .venv/bin/python -c "import sys, server; sys.exit(0 if server.prepare() else 1)"; then
    echo "$version" > .venv/.jiegui-prepared
  fi
fi
# Listen on this machine only, unless an address is given (--server.address 0.0.0.0, or
# STREAMLIT_SERVER_ADDRESS): serving an office is a choice (README, "Running it for an office").
address=(--server.address 127.0.0.1)
for arg in "$@"; do
  case "$arg" in --server.address|--server.address=*) address=() ;; esac
done
[ -z "${STREAMLIT_SERVER_ADDRESS:-}" ] || address=()
# server.py serves streamlit_app.py and prepares its first view as the server starts.
exec .venv/bin/streamlit run server.py ${address[@]+"${address[@]}"} "$@"
