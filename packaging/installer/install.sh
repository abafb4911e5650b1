#!/bin/sh
# Install the offline clinical tutor from this stick (Linux, macOS). No network needed.
# Usage: sh install.sh [--portable] [--target DIR] [--data DIR] [--no-launcher]
cd "$(dirname "$0")" || exit 1
PY=$(command -v python3.11 || command -v python3)
if [ -z "$PY" ]; then
  echo "error: Python 3.11 is needed. Install it from the stick's python/ folder or your system." >&2
  exit 1
fi
exec "$PY" install.py "$@"
