#!/usr/bin/env bash
# Set everything up (idempotent) and start the dashboard on the embedded SQLite store.
# PORT (default 8501), DATABASE_URL=sqlite:////path/file.db or DASHBOARD_DB=/path/file.db to use another file.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/streamlit run app.py --server.port "${PORT:-8501}" --server.headless true "$@"
