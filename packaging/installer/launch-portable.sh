#!/bin/sh
# Run the tutor straight from the stick; learners' data stays on the stick (portable/data).
# Install first with: sh install.sh --portable
HERE=$(cd "$(dirname "$0")" && pwd)
PY=$(command -v python3.11 || command -v python3)
export PYTHONPATH="$HERE/portable/lib"
export TUTOR_HOME="${TUTOR_HOME:-$HERE/portable/data}"
exec "$PY" -m tutor "$@"
