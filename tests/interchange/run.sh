#!/usr/bin/env bash
# Loads gazette's exports with each ecosystem's reference reader
# (dkpro-cassis, spaCy, brat's standoff format, WebAnno TSV 3.3):
# see check_exports.py. Needs python3 with venv and a built target/debug/gazette.
# The virtual environment is kept (GAZETTE_INTERCHANGE_VENV, default
# target/interchange-venv) and pip's download cache is reused.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv="${GAZETTE_INTERCHANGE_VENV:-target/interchange-venv}"
if ! "$venv/bin/python" -c 'import cassis, spacy' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    'dkpro-cassis==0.12.*' 'spacy==3.8.*'
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/gazette-interchange.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -r seeds "$work/corpus"
"$venv/bin/python" tests/interchange/check_exports.py target/debug/gazette "$work/corpus" "$work/out"
