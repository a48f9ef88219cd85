#!/usr/bin/env bash
# Run the app on the embedded SQLite default (data/eventtool.db), seeded with demo data when new.
set -euo pipefail
cd "$(dirname "$0")"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
export EVENTTOOL_SEED_DEMO="${EVENTTOOL_SEED_DEMO:-true}"
# A new database gets its demo data now, so the demo logins' password (made now, never stored in
# the repository) is printed here, once, before the app starts.
if [ "$EVENTTOOL_SEED_DEMO" = "true" ]; then .venv/bin/python -m eventtool seed-demo; fi
# serve.py is app.py (the pages) plus the one-click unsubscribe route of reminder and survey mails.
exec .venv/bin/streamlit run serve.py "$@"
