#!/usr/bin/env bash
# Install Jiegui (editable) and its test tools into .venv and run the whole test suite:
# ruff, mypy, then pytest.
# The same command runs in CI (.ci/run). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -e .
# The browser tests (tests/test_e2e.py) drive Debian's chromium through playwright (never
# `playwright install`); a CJK font makes their screenshots readable. Installed when we are
# root; otherwise those tests are skipped with the reason.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing+=(fonts-wqy-microhei)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } \
      >/dev/null || echo "could not install ${missing[*]}; browser tests may be skipped" >&2
  else
    echo "not root: ${missing[*]} not installed; browser tests may be skipped" >&2
  fi
fi
.venv/bin/ruff check .
.venv/bin/mypy  # geo/, layers/, app/ (settings in pyproject.toml)
.venv/bin/python -m pytest "$@"
