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
# QGIS (tests/test_qgis_open.py opens the exports in PyQGIS with Debian's python3) is NOT
# installed by default: `apt-get install --no-install-recommends python3-qgis qgis-providers`
# on Debian bookworm (QGIS 3.22) took 185 s here and needs 212 new packages, 231 MB of
# archives and 1064 MB of disk (apt's figures, measured 2026-12-05 on a machine that
# already had chromium), over the ~4 min / ~1 GB we allow the test run to add; see
# docs/exports.md. Set JIEGUI_WITH_QGIS=1 (as root) to install it; without it that test is
# skipped with the reason.
if [ "${JIEGUI_WITH_QGIS:-0}" = 1 ] && ! /usr/bin/python3 -c "import qgis.core" 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends python3-qgis qgis-providers; } >/dev/null \
      || echo "could not install QGIS; tests/test_qgis_open.py will be skipped" >&2
  else
    echo "not root: QGIS not installed; tests/test_qgis_open.py will be skipped" >&2
  fi
fi
.venv/bin/ruff check .
.venv/bin/mypy  # geo/, layers/, app/ (settings in pyproject.toml)
.venv/bin/python -m pytest "$@"
