#!/usr/bin/env bash
# The contributor's guide and the architecture page name files and folders; a recipe that points
# at a path that has moved misleads the next reader. This fails when a path quoted in
# `backticks` in CONTRIBUTING.md or ARCHITECTURE.md no longer exists. A glob must match
# something; placeholders (`NNNN_what.sql`, `<tracker>`) are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

roots='(crates|src|src-tauri|ui|assets|templates|tests|scripts|e2e|bench|fuzz|\.ci)/'
missing=0
checked=0
for doc in CONTRIBUTING.md ARCHITECTURE.md; do
  [ -f "$doc" ] || { echo "$doc is missing" >&2; missing=1; continue; }
  # The first word of each `quoted` span that starts at a top-level folder of the repository.
  while IFS= read -r path; do
    case "$path" in *'<'*|*NNNN*) continue ;; esac
    checked=$((checked + 1))
    # shellcheck disable=SC2086 # a glob in the path is meant to expand
    if ! compgen -G "$path" >/dev/null && [ ! -e "$path" ]; then
      echo "$doc names \`$path\`, which does not exist" >&2
      missing=1
    fi
  done < <(grep -oE '`[^`]+`' "$doc" | tr -d '`' | awk '{print $1}' | grep -E "^$roots" | sort -u)
done
if [ "$missing" -ne 0 ]; then
  echo "Update the page(s) above to match the tree." >&2
  exit 1
fi
echo "The guides' $checked paths exist."
