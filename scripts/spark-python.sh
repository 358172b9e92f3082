#!/usr/bin/env bash
# Runs a Python program with the Spark side's interpreter (.venv, from `npm run setup`).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  echo "the Spark side is not installed: run \`npm run setup\` first (Python 3.11, Java 17, Maven)" >&2
  exit 1
fi
exec .venv/bin/python "$@"
