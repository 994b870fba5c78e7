#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine (Python 3.11, root or sudo): Debian packages, virtual
# environment, Python packages, database. Prints nothing when there is nothing to do.
#   bash scripts/setup.sh          # what the dashboard needs
#   bash scripts/setup.sh --dev    # plus the test tools
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
pkgs=(chromium fonts-noto-core)          # Chromium for exports and browser tests; Noto for diacritics in images
[ "$mode" = --dev ] && pkgs+=(poppler-utils postgresql)   # PDF pages to images; a throwaway PostgreSQL server in the tests
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  echo "setup: installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$python" -m venv .venv
fi
req=requirements.txt
[ "$mode" = --dev ] && req=requirements-dev.txt
stamp=".venv/.installed-$(basename "$req" .txt)"
want=$(cat requirements.txt "$req" | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python packages from $req"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$req"
  echo "$want" > "$stamp"
fi

# (Re)build the SQLite store only when it is missing or its inputs changed.
.venv/bin/python -m dashboard build-db --if-stale
