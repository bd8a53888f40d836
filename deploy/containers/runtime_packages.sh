#!/usr/bin/env bash
# Prints the Debian packages (as name=version) that hold the shared libraries
# the given binaries load: exactly what their runtime image needs, pinned so
# that apt is never asked for a downgrade:
#  - a package the minbase set already holds (Essential, Priority required,
#    apt, and what they depend on) is pinned to the mirror's candidate: that
#    is what mmdebstrap installs first, and pinning it lower would be a
#    downgrade;
#  - any other package to the version installed here, what the binaries were
#    built against, when the mirror still serves it; otherwise to the
#    mirror's version (a Debian 12 stable update: the same ABI).
# Each pin that differs from this host's version is reported on stderr.
# COMPLAINTS_INSTALLED_VERSIONS=FILE (lines package=version) stands in for
# dpkg's record of what is installed here: the tests fake an older host.
#   runtime_packages.sh BINARY...
set -euo pipefail

installed_version() {
  local faked=""
  if [ -n "${COMPLAINTS_INSTALLED_VERSIONS:-}" ]; then
    faked="$(awk -F= -v p="$1" '$1 == p { print $2; exit }' "$COMPLAINTS_INSTALLED_VERSIONS")"
  fi
  if [ -n "$faked" ]; then echo "$faked"; else dpkg-query -W -f='${Version}' "$1"; fi
}

# The minbase set, as mmdebstrap's minbase variant makes it.
minbase="$(mktemp)"
trap 'rm -f "$minbase"' EXIT
essential="$(apt-cache dumpavail | awk '
  /^Package:/ { package = $2 }
  /^Essential: yes/ || /^Priority: required/ { print package }' | sort -u)"
# shellcheck disable=SC2086 # one package name per word
apt-cache depends --recurse --important --no-recommends --no-suggests --no-conflicts \
  --no-breaks --no-replaces --no-enhances apt $essential 2>/dev/null |
  grep -v -e '^ ' -e '^<' | sort -u >"$minbase"

# Each library under every name dpkg may know it by (usrmerge: /lib and
# /usr/lib are one), asked of dpkg at once; the owners are the packages.
mapfile -t packages < <(
  for binary in "$@"; do
    ldd "$binary" | awk '$3 ~ /^\// { print $3 }'
  done | sort -u | while read -r library; do
    real="$(readlink -f "$library")"
    printf '%s\n' "$library" "$real" "/usr$library" "${library#/usr}" "/usr$real" "${real#/usr}"
  done | sort -u | xargs -r dpkg-query -S 2>/dev/null |
    awk -F': ' '!/^(diversion|local diversion) / { n = split($1, owners, ", "); for (i = 1; i <= n; i++) { sub(/:.*/, "", owners[i]); print owners[i] } }' |
    sort -u)
[ "${#packages[@]}" -gt 0 ] || exit 0

# What the mirror serves ("package version" per line) and its candidates,
# each asked for once.
declare -A candidate
served="$(apt-cache madison "${packages[@]}" | awk -F'|' '{ gsub(/ /, ""); print $1, $2 }')"
while read -r package version; do
  candidate[$package]="$version"
done < <(apt-cache policy "${packages[@]}" | awk '
  /^[^ ].*:$/ { sub(/:$/, ""); package = $0 }
  /Candidate:/ { print package, $2 }')

for package in "${packages[@]}"; do
  installed="$(installed_version "$package")"
  if grep -qxF "$package" "$minbase"; then
    pin="${candidate[$package]}"
    why="minbase holds it"
  elif grep -qxF "$package $installed" <<<"$served"; then
    pin="$installed"
  else
    pin="${candidate[$package]}"
    why="the mirror no longer serves $installed"
  fi
  if [ "$pin" != "$installed" ]; then
    echo "[images] $package: this host has $installed, the image takes $pin ($why)" >&2
  fi
  echo "$package=$pin"
done
