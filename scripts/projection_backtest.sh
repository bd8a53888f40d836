#!/usr/bin/env bash
# §5.1 trend projections, measured (bench/projection_backtest.cc): the
# projection against seasonal naive, the weekday median and statsmodels' ETS
# on the public series in bench/data. Makes a venv for statsmodels under
# .cache/ (PyPI), builds the bench if needed, prints the table and targets.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo/.cache/venv-bench"
if [[ ! -x "$venv/bin/python" ]]; then
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r "$repo/bench/requirements.txt"
fi
ninja -C "$repo/build" bench/projection_backtest >/dev/null
forecasts="$(mktemp)"
trap 'rm -f "$forecasts"' EXIT
"$venv/bin/python" "$repo/bench/projection_statsmodels.py" "$repo/bench/data" > "$forecasts"
"$repo/build/bench/projection_backtest" "$repo/bench/data" "$forecasts"
