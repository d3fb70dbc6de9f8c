#!/usr/bin/env bash
# Install uv for this user when it is missing (Debian's pip refuses system-wide
# installs under PEP 668, hence --user, then --break-system-packages as a last resort).
set -euo pipefail
echo "uv est absent : installation avec pip (--user)…"
python3 -m pip install --user --quiet uv 2>/dev/null \
  || python3 -m pip install --user --quiet --break-system-packages uv
"$HOME/.local/bin/uv" --version
