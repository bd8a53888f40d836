#!/usr/bin/env bash
# Installs what building, running and testing the platform needs on Debian 12,
# skipping whatever is already there: the C++ toolchain and libraries from
# Debian packages, Java and Maven for the Kafka broker, the broker's jars from
# Maven Central and buf (the schema linter) from npm, both cached under
# .cache/, the dashboard's npm packages, the Python client's venv, Podman and
# mmdebstrap for the container images, and kustomize with the manifest
# checkers (deploy/k8s/check.sh). Safe to run again.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

packages=(
  build-essential cmake ninja-build pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librdkafka-dev librocksdb-dev libabsl-dev libspdlog-dev libphonenumber-dev libicu-dev libssl-dev libcurl4-openssl-dev libsodium-dev libeigen3-dev libnlopt-dev libcpp-httplib-dev libboost1.74-dev prometheus-cpp-dev libyaml-cpp-dev libfasttext-dev
  libgtest-dev libgmock-dev libbenchmark-dev tzdata gcovr ccache python3-aiosmtpd python3-venv
  clang-14 libfuzzer-14-dev libclang-rt-14-dev clang-format-14
  default-jre-headless maven npm chromium fonts-wqy-microhei prometheus
  podman runc uidmap mmdebstrap
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# A JDK or Maven installed outside apt (e.g. a tarball on PATH) is as good.
if command -v java >/dev/null; then missing=("${missing[@]/default-jre-headless}"); fi
if command -v mvn >/dev/null; then missing=("${missing[@]/maven}"); fi
# npm (for buf, the schema linter) may come with a Node.js from elsewhere.
if command -v npm >/dev/null; then missing=("${missing[@]/npm}"); fi
read -r -a missing <<<"${missing[*]}"

if [ "${#missing[@]}" -gt 0 ]; then
  echo "[bootstrap] installing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "[bootstrap] Debian packages present"
fi

bash "$repo/deploy/local/kafka.sh" fetch
# The dashboard's npm packages (ECharts, and playwright-core for its browser
# test, which drives Debian's Chromium), as its package-lock.json pins them.
dashboard="$repo/web/dashboard"
lock_sum="$(sha256sum "$dashboard/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$dashboard/node_modules/.lock-sha256" 2>/dev/null)" != "$lock_sum" ]; then
  npm ci --silent --no-audit --no-fund --prefix "$dashboard"
  echo "$lock_sum" >"$dashboard/node_modules/.lock-sha256"
fi
# The analysts' Python client: its venv from PyPI and its generated stubs.
bash "$repo/clients/python/setup.sh"
# kustomize and the manifest checkers (deploy/k8s/check.sh).
bash "$repo/deploy/k8s/check.sh" install
echo "[bootstrap] done"
