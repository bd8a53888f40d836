#!/usr/bin/env bash
# Releases the schema: writes proto/image.binpb, the image `buf breaking`
# checks every later change against (scripts/lint_proto.sh). Run it only for
# a deliberate release whose breaking changes (if any) are written in
# proto/RELEASES.md with the reason, and commit both together.
#   scripts/release_schema.sh "v1.1: why"
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -eq 1 ] || { echo "usage: $0 \"VERSION: what changed and why\"" >&2; exit 2; }
bash "$repo/scripts/lint_proto.sh" >/dev/null 2>&1 || true  # installs buf when missing
buf="$repo/.cache/buf/node_modules/.bin/buf"
cd "$repo"
"$buf" build --exclude-source-info -o proto/image.binpb
printf -- '- %s (%s)\n' "$1" "$(date -u +%Y-%m-%d)" >>proto/RELEASES.md
echo "proto/image.binpb written; commit it with proto/RELEASES.md"
