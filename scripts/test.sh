#!/usr/bin/env bash
# Install everything the tests need, then lint, type-check and run the whole offline suite.
# Usage: bash scripts/test.sh [extra pytest arguments]
#   - a virtualenv in .venv with the project and its dev extra;
#   - Debian's redis-server for the distributed-mode tests and chromium for the report page's
#     browser test, when missing (needs root or sudo; without them those tests skip with a
#     reason, except under CI=true where they fail).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
UPDATED=0
# install_missing COMMAND PACKAGE WHAT: the Debian package when COMMAND is missing.
install_missing() {
  if command -v "$1" >/dev/null 2>&1; then return; fi
  if [ "$SUDO" != "none" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing $2 (Debian package) for $3"
    if [ "$UPDATED" -eq 0 ]; then $SUDO apt-get update -qq; UPDATED=1; fi
    $SUDO apt-get install -y -qq --no-install-recommends "$2" >/dev/null
  else
    echo "== $2 missing and cannot be installed here: $3 will skip"
  fi
}
install_missing redis-server redis-server "the distributed-mode tests"
install_missing chromium chromium "the report page's browser test"

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'

echo "== ruff check"; .venv/bin/ruff check .
echo "== ruff format --check"; .venv/bin/ruff format --check .
echo "== mypy"; .venv/bin/mypy
echo "== pytest"
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: failing" >&2
  exit 1
fi
exit "$status"
