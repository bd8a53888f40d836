#!/usr/bin/env bash
# The runtime base image: Debian 12 made locally with mmdebstrap (no image
# registry is reachable from these machines) — the minbase variant plus the
# pinned runtime packages given as arguments (runtime_packages.sh), tzdata
# and CA certificates — then stripped of its package manager (apt, dpkg's
# tools and database) and given the unprivileged user complaints (10001),
# and imported into Podman as IMAGE, labelled with the version it took of
# each package asked for (complaints.runtime-packages: "name=version ...",
# read from the image's own package list). Reused when IMAGE exists already.
#   base_image.sh IMAGE PACKAGE=VERSION...
set -euo pipefail
image="$1"
shift
export CONTAINERS_CONF="${CONTAINERS_CONF:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/containers.conf}"
if podman image exists "$image"; then
  echo "[images] $image exists"
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
include="tzdata,ca-certificates,$(IFS=,; echo "$*")"
started=$SECONDS
mmdebstrap --quiet --variant=minbase --include="$include" \
  --skip=cleanup/apt,cleanup/mmdebstrap --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --customize-hook='chroot "$1" dpkg-query -W -f="\${Package}=\${Version}\n" > "$1/etc/complaints-packages.txt"' \
  --customize-hook='chroot "$1" groupadd --gid 10001 complaints' \
  --customize-hook='chroot "$1" useradd --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin complaints' \
  --customize-hook='rm -rf "$1"/usr/bin/apt* "$1"/usr/lib/apt "$1"/etc/apt "$1"/var/lib/apt "$1"/var/cache/apt "$1"/var/log/*' \
  --customize-hook='rm -rf "$1"/usr/bin/dpkg* "$1"/usr/sbin/dpkg* "$1"/var/lib/dpkg "$1"/usr/share/perl* "$1"/usr/bin/perl*' \
  bookworm "$work/rootfs.tar" \
  "deb http://deb.debian.org/debian bookworm main" \
  "deb http://deb.debian.org/debian bookworm-updates main" \
  "deb http://deb.debian.org/debian-security bookworm-security main"
# The versions the image took, for the packages asked for.
names="$(printf '%s\n' tzdata ca-certificates "${@%%=*}")"
took="$(tar -xOf "$work/rootfs.tar" ./etc/complaints-packages.txt |
  awk -F= 'NR == FNR { wanted[$1] = 1; next } ($1 in wanted)' <(echo "$names") - | sort | tr '\n' ' ')"
podman import --quiet \
  --change 'USER 10001:10001' --change 'WORKDIR /' \
  --change "LABEL complaints.runtime-packages=\"${took% }\"" \
  --change 'ENV TZ=Asia/Shanghai' \
  --change 'LABEL org.opencontainers.image.base.name=debian:bookworm-minbase' \
  "$work/rootfs.tar" "$image" >/dev/null
echo "[images] $image made from $(($# + 2)) packages in $((SECONDS - started)) s"
