#!/usr/bin/env bash
# Installs what the platform needs on Debian 12, skipping whatever is
# already there. Two sets:
#   bootstrap.sh [run]   building and running it (deploy/local/up.sh): the
#                        C++ toolchain and libraries from Debian packages, Java
#                        and Maven for the Kafka broker and its jars from Maven
#                        Central (cached under .cache/), and the dashboard's
#                        ECharts from npm;
#   bootstrap.sh test    that, and what the test command adds (scripts/test.sh):
#                        GoogleTest, coverage, clang for fuzzing and formatting,
#                        Chromium and playwright-core for the dashboard's browser
#                        test, Prometheus for the alert rules, Podman and
#                        mmdebstrap for the container images, the Python
#                        client's venv, and kustomize with the manifest checkers
#                        (deploy/k8s/check.sh); buf comes on first use.
# Safe to run again.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
mode="${1:-run}"
case "$mode" in
  run | test) ;;
  *)
    echo "usage: bootstrap.sh [run|test]" >&2
    exit 2
    ;;
esac

# Compiling: the release builder's list; running: ccache, Java and Maven
# for the broker, npm for ECharts, the local mail catcher.
mapfile -t packages < <(grep -v '^#' "$repo/deploy/containers/build-packages.txt")
packages+=(ccache openssl tzdata default-jre-headless maven npm python3-aiosmtpd)
if [ "$mode" = test ]; then
  packages+=(
    libgtest-dev libgmock-dev libbenchmark-dev libcpp-httplib-dev libyaml-cpp-dev gcovr python3-venv
    clang-14 libfuzzer-14-dev libclang-rt-14-dev clang-format-14
    chromium fonts-wqy-microhei prometheus
    podman runc uidmap mmdebstrap
  )
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# A JDK or Maven installed outside apt (e.g. a tarball on PATH) is as good.
if command -v java >/dev/null; then missing=("${missing[@]/default-jre-headless}"); fi
if command -v mvn >/dev/null; then missing=("${missing[@]/maven}"); fi
# npm (for ECharts, and buf the schema linter) may come with a Node.js from elsewhere.
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
# The dashboard's npm packages as its package-lock.json pins them: ECharts
# to run; playwright-core (which drives Debian's Chromium) for its test.
dashboard="$repo/web/dashboard"
lock_sum="$(sha256sum "$dashboard/package-lock.json" | cut -d' ' -f1)"
have="$(cat "$dashboard/node_modules/.lock-sha256" 2>/dev/null || true)"
if [ "$have" != "$lock_sum test" ] && { [ "$mode" = test ] || [ "$have" != "$lock_sum run" ]; }; then
  omit=()
  [ "$mode" = test ] || omit=(--omit=dev)
  npm ci --silent --no-audit --no-fund "${omit[@]}" --prefix "$dashboard"
  echo "$lock_sum $mode" >"$dashboard/node_modules/.lock-sha256"
fi
if [ "$mode" = test ]; then
  # The analysts' Python client: its venv from PyPI and its generated stubs.
  bash "$repo/clients/python/setup.sh"
  # kustomize and the manifest checkers (deploy/k8s/check.sh).
  bash "$repo/deploy/k8s/check.sh" install
fi
echo "[bootstrap] done ($mode)"
