#!/usr/bin/env bash
# The platform's images from binaries a build already made (the test
# command's path: no second compile; scripts/release_images.sh compiles from
# source in a multi-stage build instead):
#   complaints/intake, dispatch, tracking, analytics and complaintctl, tagged
#   TAG (default VERSION), each FROM the runtime base (base_image.sh: Debian 12 minbase with
#   only the shared libraries these binaries load, no package manager, no
#   compiler), running as the unprivileged user 10001, with the OCI labels
#   version, revision, source, created and title. Prints each image's size.
#   build_images.sh BUILD_DIR [TAG]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$(cd "${1:?usage: build_images.sh BUILD_DIR [TAG]}" && pwd)"
version="$(cat "$repo/VERSION")"
tag="${2:-$version}"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"

binaries=("$build/services/intake/intake" "$build/services/dispatch/dispatch"
  "$build/services/tracking/tracking" "$build/services/analytics/analytics"
  "$build/tools/complaintctl/complaintctl")
mapfile -t packages < <(bash "$here/runtime_packages.sh" "${binaries[@]}")
# Named by what it holds and how it is made (v2: labelled with the versions taken).
base="complaints/base:$(printf '%s\n' v2 "${packages[@]}" | sha256sum | cut -c1-12)"
bash "$here/base_image.sh" "$base" "${packages[@]}"

revision="$(git -C "$repo" rev-parse HEAD 2>/dev/null || echo unknown)"
source="$(git -C "$repo" config --get remote.origin.url 2>/dev/null || echo "file://$repo")"
created="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
context="$(mktemp -d)"
trap 'rm -rf "$context"' EXIT
for binary in "${binaries[@]}"; do
  name="$(basename "$binary")"
  rm -rf "${context:?}"/*
  mkdir -p "$context/rules"
  objcopy --strip-debug "$binary" "$context/$name"
  cp "$repo"/config/*.textproto "$context/rules/"
  extra=""
  if [ "$name" = analytics ]; then
    cp -r "$build/web/dashboard" "$context/dashboard"
    extra="COPY dashboard/ /usr/share/complaints/dashboard/"
  fi
  cat >"$context/Containerfile" <<CONTAINERFILE
FROM $base
LABEL org.opencontainers.image.title="complaints $name" \\
      org.opencontainers.image.version="$version" \\
      org.opencontainers.image.revision="$revision" \\
      org.opencontainers.image.source="$source" \\
      org.opencontainers.image.created="$created"
COPY --chmod=0755 $name /usr/local/bin/$name
COPY rules/ /etc/complaints/rules/
$extra
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/$name"]
CONTAINERFILE
  podman build --quiet --layers=false -t "complaints/$name:$tag" "$context" >/dev/null
  size="$(podman image inspect --format '{{.Size}}' "complaints/$name:$tag")"
  echo "[figures] images: complaints/$name:$tag $((size / 1000000)) MB (base $base)"
done
