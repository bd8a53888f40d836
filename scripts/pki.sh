#!/usr/bin/env bash
# A local certificate authority for the platform's mTLS (docs/security.md), with OpenSSL from Debian. Every certificate names its identity as a
# SPIFFE URI SAN (spiffe://$TRUST_DOMAIN/<identity>) and as its common name;
# keys are EC P-256, readable by their owner only. Issued certificates are
# logged in DIR/index.txt (openssl ca's database).
#
#   pki.sh init DIR                  the CA: DIR/ca.crt, DIR/private/ca.key (10 years)
#   pki.sh issue DIR IDENTITY [--server HOST,...] [--days N] [--expired]
#                                    DIR/IDENTITY.crt and DIR/IDENTITY.key; --server
#                                    adds server use and DNS/IP names; --expired
#                                    makes one that ran out yesterday (for tests)
#   pki.sh local DIR [ACCESS_FILE]   what the local system needs, made once: the
#                                    CA, the four services, every identity named in
#                                    ACCESS_FILE (default config/access.textproto)
#
# Rotation: issue again (the files are replaced) — services re-read their
# certificate, key and CA files every --tls_refresh (1 minute by default).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUST_DOMAIN="${TRUST_DOMAIN:-complaints.local}"
SERVICES=(intake dispatch tracking analytics)

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

ca_config() {
  local dir="$1"
  cat >"$dir/private/openssl.cnf" <<EOF
[ ca ]
default_ca = local
[ local ]
dir = $dir
database = $dir/index.txt
new_certs_dir = $dir/issued
serial = $dir/serial
default_md = sha256
policy = any_name
unique_subject = no
copy_extensions = none
[ any_name ]
commonName = supplied
EOF
}

init() {
  local dir="$1"
  if [ -f "$dir/ca.crt" ]; then echo "[pki] CA exists: $dir/ca.crt"; return; fi
  mkdir -p "$dir/private" "$dir/issued"
  chmod 700 "$dir/private"
  : >"$dir/index.txt"
  openssl rand -hex 16 >"$dir/serial"
  ca_config "$dir"
  (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/private/ca.key" 2>/dev/null)
  openssl req -x509 -new -key "$dir/private/ca.key" -sha256 -days 3650 \
    -subj "/O=complaints/CN=complaints local CA ($TRUST_DOMAIN)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$dir/ca.crt"
  echo "[pki] CA created: $dir/ca.crt"
}

issue() {
  local dir="$1" identity="$2"
  shift 2
  local hosts="" days=397 expired=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --server) hosts="$2"; shift 2 ;;
      --days) days="$2"; shift 2 ;;
      --expired) expired=1; shift ;;
      *) usage ;;
    esac
  done
  [[ "$identity" =~ ^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$ ]] || {
    echo "[pki] identity '$identity': path segments of letters, digits, '.', '_' and '-'" >&2; exit 2; }
  [ -f "$dir/ca.crt" ] || { echo "[pki] no CA in $dir (run: pki.sh init $dir)" >&2; exit 2; }
  local out="$dir/$identity"
  mkdir -p "$(dirname "$out")"
  local ext san="URI:spiffe://$TRUST_DOMAIN/$identity" usage="clientAuth"
  ext="$(mktemp)"
  if [ -n "$hosts" ]; then
    usage="serverAuth,clientAuth"
    local host
    IFS=',' read -r -a host_list <<<"$hosts"
    for host in "${host_list[@]}"; do
      if [[ "$host" =~ ^[0-9.]+$ || "$host" == *:* ]]; then san="$san,IP:$host"; else san="$san,DNS:$host"; fi
    done
  fi
  cat >"$ext" <<EOF
[ leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = $usage
subjectAltName = $san
EOF
  (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$out.key.new" 2>/dev/null)
  openssl req -new -key "$out.key.new" -subj "/O=complaints/CN=${identity//\//\\/}" -out "$out.csr"
  local dates=(-days "$days")
  if [ "$expired" -eq 1 ]; then
    dates=(-startdate "$(date -u -d '-3 days' +%Y%m%d%H%M%SZ)" -enddate "$(date -u -d '-1 day' +%Y%m%d%H%M%SZ)")
  fi
  openssl ca -batch -notext -config "$dir/private/openssl.cnf" -cert "$dir/ca.crt" \
    -keyfile "$dir/private/ca.key" -in "$out.csr" -out "$out.crt.new" \
    -extfile "$ext" -extensions leaf "${dates[@]}" 2>"$out.log" || { cat "$out.log" >&2; exit 1; }
  rm -f "$out.csr" "$ext" "$out.log"
  # The key first: a reader seeing the new certificate finds its key in place.
  mv -f "$out.key.new" "$out.key"
  mv -f "$out.crt.new" "$out.crt"
}

local_system() {
  local dir="$1" access="${2:-$repo/config/access.textproto}"
  init "$dir"
  local service identity made=0
  for service in "${SERVICES[@]}"; do
    [ -f "$dir/service/$service.crt" ] && continue
    issue "$dir" "service/$service" --server "localhost,127.0.0.1,::1,$service,$service.complaints.svc"
    made=$((made + 1))
  done
  while read -r identity; do
    [ -f "$dir/$identity.crt" ] && continue
    issue "$dir" "$identity"
    made=$((made + 1))
  done < <(sed -n 's/^[^#]*identity:[[:space:]]*"\([^"]*\)".*/\1/p' "$access")
  echo "[pki] $dir: $made certificates issued"
}

[ $# -ge 2 ] || usage
command="$1"
dir="$(mkdir -p "$2" && cd "$2" && pwd)"
shift 2
case "$command" in
  init) init "$dir" ;;
  issue) [ $# -ge 1 ] || usage; issue "$dir" "$@" ;;
  local) local_system "$dir" "$@" ;;
  *) usage ;;
esac
