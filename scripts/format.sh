#!/usr/bin/env bash
# Checks that every C++ file git tracks is formatted by .clang-format
# (clang-format 14, from the bootstrap); with --fix, formats them instead.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
mapfile -t files < <(git ls-files '*.cc' '*.h')
if [ "${1:-}" = "--fix" ]; then
  clang-format-14 -i "${files[@]}"
  exit 0
fi
if ! clang-format-14 --dry-run --Werror "${files[@]}" 2>/tmp/format-check.$$; then
  grep -E '^[^ ].*: (error|warning):' /tmp/format-check.$$ | cut -d: -f1 | sort -u | sed 's/^/not formatted: /'
  rm -f /tmp/format-check.$$
  echo "format: run scripts/format.sh --fix"
  exit 1
fi
rm -f /tmp/format-check.$$
echo "format: ${#files[@]} files formatted"
