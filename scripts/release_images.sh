#!/usr/bin/env bash
# The release images, built from source in two stages:
#   1. build — a Debian 12 builder image made locally with mmdebstrap
#      (minbase plus deploy/containers/build-packages.txt; no registry is
#      reachable from these machines) compiles the committed tree (git
#      archive of HEAD, with the dashboard's npm packages), optimised as the
#      local build is (RelWithDebInfo; build_images.sh strips the debug
#      info), with deploy/containers/Containerfile.build;
#   2. runtime — its binaries are copied out and deploy/containers/
#      build_images.sh makes complaints/intake, dispatch, tracking, analytics
#      and complaintctl FROM the minimal runtime base (only the libraries the
#      binaries load; no compiler, no package manager; user 10001).
# Tagged VERSION (or TAG); push them to your registry (deploy/k8s/README.md).
#   scripts/release_images.sh [TAG]
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
containers="$repo/deploy/containers"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$containers/containers.conf}"
tag="${1:-$(cat "$repo/VERSION")}"
revision="$(git -C "$repo" rev-parse HEAD)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
started=$SECONDS

mapfile -t build_packages < <(grep -v '^#' "$containers/build-packages.txt")
builder="complaints/builder:$(printf '%s\n' "${build_packages[@]}" | sha256sum | cut -c1-12)"
if ! podman image exists "$builder"; then
  mmdebstrap --quiet --variant=minbase --include="$(IFS=,; echo "${build_packages[*]}")" \
    bookworm "$work/builder.tar" \
    "deb http://deb.debian.org/debian bookworm main" \
    "deb http://deb.debian.org/debian bookworm-updates main" \
    "deb http://deb.debian.org/debian-security bookworm-security main"
  podman import --quiet "$work/builder.tar" "$builder" >/dev/null
  rm "$work/builder.tar"
  echo "[release] builder $builder made after $((SECONDS - started)) s"
fi

mkdir "$work/src"
git -C "$repo" archive HEAD | tar -x -C "$work/src"
if [ ! -d "$repo/web/dashboard/node_modules" ]; then
  echo "error: run scripts/bootstrap.sh first (the dashboard's npm packages)" >&2
  exit 1
fi
cp -r "$repo/web/dashboard/node_modules" "$work/src/web/dashboard/"
if ! podman --cgroup-manager=cgroupfs build --runtime runc --network=host \
  --build-arg BUILDER="$builder" --build-arg REVISION="$revision" \
  -f "$containers/Containerfile.build" -t "complaints/build:$tag" "$work/src" >"$work/build.log" 2>&1; then
  tail -n 40 "$work/build.log" >&2
  exit 1
fi
echo "[release] compiled after $((SECONDS - started)) s"
id="$(podman create "complaints/build:$tag" /bin/true)"
podman cp "$id:/out" "$work/out"
podman rm "$id" >/dev/null
bash "$containers/build_images.sh" "$work/out" "$tag"
echo "[release] images complaints/*:$tag ready after $((SECONDS - started)) s"
