#!/usr/bin/env bash
# Prints the Debian packages (as name=version) that hold the shared libraries
# the given binaries load: exactly what their runtime image needs. Each is
# pinned to the version installed here, what the binaries were built
# against, when the mirror still serves it; otherwise to the mirror's
# version of the same Debian 12 package (a stable update: the same ABI).
set -euo pipefail
for binary in "$@"; do
  ldd "$binary" | awk '$3 ~ /^\// { print $3 }'
done | sort -u | while read -r library; do
  real="$(readlink -f "$library")"
  for path in "$library" "$real" "/usr$library" "${library#/usr}" "/usr$real" "${real#/usr}"; do
    if owner="$(dpkg-query -S "$path" 2>/dev/null)"; then
      echo "${owner%%:*}"
      break
    fi
  done
done | sort -u | while read -r package; do
  installed="$(dpkg-query -W -f='${Version}' "$package")"
  if apt-cache madison "$package" | awk -F'|' '{gsub(/ /, "", $2); print $2}' |
    grep -qxF "$installed"; then
    echo "$package=$installed"
  else
    echo "$package=$(apt-cache policy "$package" | awk '/Candidate:/ { print $2 }')"
  fi
done
