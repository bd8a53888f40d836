#!/usr/bin/env bash
# Docs a newcomer can trust, checked in the test command's lint stage:
# - every RPC of every gRPC service is listed in the README that documents
#   it (a table row "| `Name` |");
# - every § reference in the repository names a section of
#   docs/procedure.md (a heading "## §N" or a paragraph "**§N.M");
# - no file points at the design documents outside the repository.
# Prints what is missing.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
declare -A readme=(
  [intake]=services/intake/README.md
  [dispatch]=services/dispatch/README.md
  [tracking]=services/tracking/README.md
  [analytics]=services/analytics/README.md
  [admin]=libs/README.md
)
missing=0
for proto in "${!readme[@]}"; do
  doc="$repo/${readme[$proto]}"
  # RPC names after the service keyword of proto/complaints/v1/<proto>.proto.
  rpcs=$(sed -n '/^service /,$p' "$repo/proto/complaints/v1/$proto.proto" |
    sed -nE 's/^ *rpc ([A-Za-z]+)\(.*/\1/p')
  for rpc in $rpcs; do
    if ! grep -qF "| \`$rpc\` |" "$doc"; then
      echo "docs: $proto.proto's rpc $rpc is not listed in ${readme[$proto]}"
      missing=$((missing + 1))
    fi
  done
done
procedure="$repo/docs/procedure.md"
refs=$(cd "$repo" && git ls-files -z | xargs -0 grep -IohE '§ ?[0-9]+(\.[0-9]+)*' |
  sed -E 's/§ ?//' | sort -u)
for ref in $refs; do
  pattern="^## §${ref//./\\.} |\*\*§${ref//./\\.}\.? "
  if ! grep -qE "$pattern" "$procedure"; then
    where=$(cd "$repo" && git ls-files -z | xargs -0 grep -IlE "§ ?${ref//./\\.}([^.0-9]|$)" | head -3 | tr '\n' ' ')
    echo "docs: §$ref has no section in docs/procedure.md (used in $where)"
    missing=$((missing + 1))
  fi
done
outside=$(cd "$repo" && git ls-files -z | xargs -0 grep -IlE '(DESIGN|PROCEDURE|STYLE)\.md' || true)
for file in $outside; do
  echo "docs: $file points at a document outside the repository"
  missing=$((missing + 1))
done
if ((missing > 0)); then
  echo "docs: $missing problems"
  exit 1
fi
echo "docs: every RPC is in its service's README, every § in docs/procedure.md"
