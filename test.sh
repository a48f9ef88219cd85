#!/usr/bin/env bash
# Install everything the tests need (Python packages; Debian's chromium, postgresql and LibreOffice
# Calc, which opens the Excel lists as a coordinator's office would) and run the
# whole suite: domain tests, AppTest page tests, PostgreSQL variants and the browser journeys.
set -euo pipefail
cd "$(dirname "$0")"
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-calc-nogui)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
# Two workers (pytest-xdist; TEST_WORKERS=0 runs in one process), whole files per worker so that a
# file's app server or PostgreSQL set-up is made once.
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-2}" --dist loadfile "$@"
