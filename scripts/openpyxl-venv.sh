#!/usr/bin/env bash
# Sets up the Python venv with openpyxl that fills in exported questionnaires in the tests
# (tests/spreadsheets/fill_questionnaire.py), as a person's spreadsheet program would.
#
#   eval "$(scripts/openpyxl-venv.sh)"   # installs once, then exports ASSAY_OPENPYXL_PYTHON
#
# Env: PYTHON (interpreter for the venv, default python3).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=$ROOT/.cache/openpyxl-venv
# Pinned so the file the test imports is written the same way on every machine.
SPEC="openpyxl==3.1.5 et-xmlfile==2.0.0"

die() { echo "openpyxl-venv: $*" >&2; exit 1; }

if [[ ! -x $VENV/bin/python || "$(cat "$VENV/.assay-spec" 2>/dev/null)" != "$SPEC" ]]; then
  python=${PYTHON:-python3}
  command -v "$python" >/dev/null || die "no $python: install Python 3.9+ first"
  echo "openpyxl-venv: creating $VENV ($SPEC)" >&2
  rm -rf "$VENV"
  "$python" -m venv "$VENV"
  # shellcheck disable=SC2086
  "$VENV/bin/pip" install --quiet --disable-pip-version-check $SPEC >"$VENV/pip.log" 2>&1 \
    || { tail -n 20 "$VENV/pip.log" >&2; die "pip install failed"; }
  echo "$SPEC" >"$VENV/.assay-spec"
fi
"$VENV/bin/python" -c "import openpyxl" || die "openpyxl does not import in $VENV"
echo "export ASSAY_OPENPYXL_PYTHON=$VENV/bin/python"
