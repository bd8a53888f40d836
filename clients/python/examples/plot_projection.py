#!/usr/bin/env python3
"""Plots a projection with its 80 % and 95 % intervals to a PNG.

  .cache/python-client/bin/python clients/python/examples/plot_projection.py \
      --target 127.0.0.1:50054 --ca .run/pki/ca.crt \
      --cert .run/pki/staff/he.crt --key .run/pki/staff/he.key \
      --category plumbing --out projection.png
"""

import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from complaints_analytics import AnalyticsClient  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", required=True, help="analytics' host:port")
    parser.add_argument("--ca", required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--category", default="", help="one category; empty: all complaints")
    parser.add_argument("--interval", choices=["day", "week"], default="day")
    parser.add_argument("--horizon", type=int, default=0)
    parser.add_argument("--origin", default="", help="YYYY-MM-DD, to compare with what happened")
    parser.add_argument("--out", required=True, help="the PNG to write")
    args = parser.parse_args()

    with AnalyticsClient(args.target, ca=args.ca, cert=args.cert, key=args.key) as client:
        projection = client.projection(
            interval=args.interval, dimension="category" if args.category else None,
            value=args.category, horizon=args.horizon, origin=args.origin)

    points, history = projection.points, projection.history
    chosen = projection.backtest.iloc[0]
    fig, ax = plt.subplots(figsize=(10, 4.5), dpi=100)
    ax.fill_between(points.period, points.lower_95, points.upper_95, color="#5470c6", alpha=0.18,
                    label="95 % interval", linewidth=0)
    ax.fill_between(points.period, points.lower_80, points.upper_80, color="#5470c6", alpha=0.35,
                    label="80 % interval", linewidth=0)
    ax.plot(history.period, history["count"], color="#243b53", label="actual")
    actual = points.dropna(subset=["actual"])
    if not actual.empty:
        ax.plot(actual.period, actual.actual.astype(float), color="#243b53")
    ax.plot(points.period, points.forecast, color="#d64545", linestyle="--", label="forecast")
    series = args.category or "all complaints"
    ax.set_title(f"{series}: {projection.model}, MASE {chosen.mase:.2f} over "
                 f"{projection.backtest_origins} origins, 80 % intervals held "
                 f"{100 * projection.held_out_coverage_80:.0f} %")
    ax.set_ylabel(f"complaints per {args.interval}")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(args.out)
    print(f"{args.out}: {len(history)} periods of history, {len(points)} projected "
          f"({projection.model})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
