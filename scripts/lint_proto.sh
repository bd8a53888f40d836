#!/usr/bin/env bash
# The schema as a contract: buf's STANDARD lint rules over proto/ (buf.yaml),
# and buf's FILE breaking-change rules against the released image.
# buf comes from npm (@bufbuild/buf, pinned) into .cache/buf on first use.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version=1.61.0
buf="$repo/.cache/buf/node_modules/.bin/buf"
if [ ! -x "$buf" ] || [ "$("$buf" --version)" != "$version" ]; then
  mkdir -p "$repo/.cache/buf"
  npm install --silent --no-audit --no-fund --prefix "$repo/.cache/buf" "@bufbuild/buf@$version"
fi
cd "$repo"
"$buf" lint
echo "buf lint: proto/ is clean under the STANDARD rules"
# The schema is a contract: nothing may break it against the last released
# image (proto/image.binpb), made only by scripts/release_schema.sh.
"$buf" breaking --against proto/image.binpb
echo "buf breaking: proto/ keeps every field, name and number of the released image"
