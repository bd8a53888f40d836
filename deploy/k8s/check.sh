#!/usr/bin/env bash
# Renders every overlay and checks it (deploy/k8s/README.md):
#   install  kustomize v5.7.1 (go install; the newest that builds with this
#            machine's Go) and the pinned PyPI checkers into .cache/k8s-tools,
#            when missing;
#   render   kustomize build of overlays/dev and overlays/prod into OUT_DIR
#            (default build/k8s), with the resource count of each;
#   lint     yamllint over deploy/k8s and the rendered files;
#   validate kubernetes-validate --strict against Kubernetes $K8S_VERSION (its
#            bundled schemas; Strimzi's kinds have none and are checked by
#            tests/k8s_manifest_test.cc instead).
# `check.sh install` installs only (bootstrap runs it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tools="$repo/.cache/k8s-tools"
KUSTOMIZE_VERSION=v5.7.1
K8S_VERSION=1.33.0

install() {
  if [ "$("$tools/bin/kustomize" version 2>/dev/null)" != "$KUSTOMIZE_VERSION" ]; then
    echo "[k8s] installing kustomize $KUSTOMIZE_VERSION"
    GOBIN="$tools/bin" GOFLAGS=-mod=mod go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
  fi
  local wanted
  wanted="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
  if [ "$(cat "$tools/venv/.requirements-sha256" 2>/dev/null)" != "$wanted" ]; then
    rm -rf "$tools/venv"
    /usr/bin/python3 -m venv "$tools/venv"
    "$tools/venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
    echo "$wanted" >"$tools/venv/.requirements-sha256"
  fi
}

install
[ "${1:-}" = "install" ] && exit 0
out="${1:-$repo/build/k8s}"
mkdir -p "$out"
for overlay in dev prod; do
  "$tools/bin/kustomize" build --load-restrictor LoadRestrictionsNone \
    "$here/overlays/$overlay" >"$out/$overlay.yaml"
  echo "[figures] k8s: overlay $overlay renders $(grep -c '^kind: ' "$out/$overlay.yaml") resources:" \
    "$(grep '^kind: ' "$out/$overlay.yaml" | sort | uniq -c | awk '{printf "%s %s, ", $1, $3}' | sed 's/, $//')"
done
"$tools/venv/bin/yamllint" --strict -c "$here/.yamllint" "$here"
# The rendered files hold the rule files' text, whose lines may be long.
"$tools/venv/bin/yamllint" --strict -d "{extends: default, rules: {line-length: disable, document-start: disable, indentation: {indent-sequences: whatever}, truthy: {check-keys: false}}}" "$out"
for overlay in dev prod; do
  "$tools/venv/bin/kubernetes-validate" --strict --kubernetes-version "$K8S_VERSION" \
    --quiet "$out/$overlay.yaml"
done
echo "[k8s] dev and prod render, lint and validate against Kubernetes $K8S_VERSION"
