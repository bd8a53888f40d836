#!/usr/bin/env bash
# The analysts' Python client's environment: a venv at .cache/python-client
# from Debian's interpreter (the python3 first on PATH may be another) with
# requirements.txt's pinned PyPI set, and the gRPC stubs generated from
# proto/ into complaints_analytics/_stubs. Safe to run again: the venv is
# remade only when requirements.txt changes, the stubs when a proto does.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$repo/.cache/python-client"
stubs="$here/complaints_analytics/_stubs"

wanted="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ "$(cat "$venv/.requirements-sha256" 2>/dev/null)" != "$wanted" ]; then
  rm -rf "$venv"
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  echo "$wanted" >"$venv/.requirements-sha256"
  echo "[python-client] venv ready at $venv"
fi

protos=("$repo"/proto/complaints/v1/*.proto)
sources="$(cat "${protos[@]}" "$here/requirements.txt" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$stubs/.sources-sha256" 2>/dev/null)" != "$sources" ]; then
  rm -rf "$stubs"
  mkdir -p "$stubs"
  "$venv/bin/python" -m grpc_tools.protoc -I "$repo/proto" --python_out="$stubs" \
    --grpc_python_out="$stubs" "${protos[@]}"
  echo "$sources" >"$stubs/.sources-sha256"
  echo "[python-client] stubs generated in $stubs"
fi
