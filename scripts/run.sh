#!/usr/bin/env bash
# Set everything up (idempotent) and start the dashboard on the embedded SQLite store.
# PORT (default 8501), DATABASE_URL=sqlite:////path/file.db or DASHBOARD_DB=/path/file.db to use another file.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# one run in a session of its own once the server is up: a first visitor's deep link then opens its page
# without Streamlit's "Page not found" dialog (scripts/warmup.py)
.venv/bin/python scripts/warmup.py "${PORT:-8501}" &
exec .venv/bin/streamlit run app.py --server.port "${PORT:-8501}" --server.headless true "$@"
