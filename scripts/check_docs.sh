#!/usr/bin/env bash
# Docs a newcomer can trust: every RPC of every gRPC service is listed in the
# README that documents it (a table row "| `Name` |"), so a new RPC without
# its line fails the test command's lint stage. Prints what is missing.
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
if ((missing > 0)); then
  echo "docs: $missing RPCs missing from their READMEs"
  exit 1
fi
echo "docs: every RPC is listed in its service's README"
