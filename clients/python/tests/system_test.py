#!/usr/bin/env python3
"""The analysts' Python client against a running platform (started by
tests/analysts_test.cc): figures and counts as DataFrames equal to what was
submitted, a projection with ordered intervals, incidents, a refused query,
and the example's PNG with its interval band drawn. Exits 1 on a failure.

  system_test.py --target H:P --ca CA --cert CERT --key KEY \
      --expect '{"2026-01-05": 10, ...}' --out DIR
"""

import argparse
import json
import os
import subprocess
import sys

import grpc
import matplotlib.image

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, ".."))
from complaints_analytics import AnalyticsClient, AnalyticsError  # noqa: E402

MODELS = {"seasonal_naive", "recent_median", "ets", "ets_log", "calendar", "calendar_median",
          "calendar_profile"}


def main() -> int:
    parser = argparse.ArgumentParser()
    for flag in ("--target", "--ca", "--cert", "--key", "--expect", "--out"):
        parser.add_argument(flag, required=True)
    args = parser.parse_args()
    expected = json.loads(args.expect)  # day -> complaints received that day
    total = sum(expected.values())
    tls = {"ca": args.ca, "cert": args.cert, "key": args.key}
    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)
        return ok

    with AnalyticsClient(args.target, **tls) as client:
        by_day = client.figures(group_by=["day"])
        got = dict(zip(by_day.day, by_day.complaints.astype(int)))
        check(got == expected, f"figures by day: {got} != {expected}")
        by_category = client.figures(group_by=["category", "community"])
        check(list(by_category.columns[:2]) == ["category", "community"], "grouped columns first")
        check(int(by_category.complaints.sum()) == total,
              f"figures by category: {by_category.complaints.sum()} != {total}")
        counts = client.counts()
        check(int(counts["count"].sum()) == total, f"counts: {counts['count'].sum()} != {total}")

        projection = client.projection(horizon=28)
        p = projection.points
        check(len(p) == 28, f"28 projected days, got {len(p)}")
        check(set(projection.combined) <= MODELS and projection.combined,
              f"combined {projection.combined}")
        check(projection.model == ("combination" if len(projection.combined) > 1
                                   else projection.combined[0]), f"model {projection.model}")
        check(projection.backtest.model.iloc[0] == projection.model, "the chosen model first")
        ordered = ((p.lower_95 <= p.lower_80 + 1e-9) & (p.lower_80 <= p.forecast + 1e-9)
                   & (p.forecast <= p.upper_80 + 1e-9) & (p.upper_80 <= p.upper_95 + 1e-9))
        check(bool(ordered.all()), "lower_95 <= lower_80 <= forecast <= upper_80 <= upper_95")
        check(projection.origin == p.period.min().strftime("%Y-%m-%d"), "origin: first point")
        window = {d: n for d, n in expected.items()
                  if projection.history.period.min().strftime("%Y-%m-%d") <= d
                  < projection.origin}
        check(int(projection.history["count"].sum()) == sum(window.values()),
              f"history {projection.history['count'].sum()} != submitted {sum(window.values())}")

        incidents = client.incidents()
        check(len(incidents) >= 1 and int(incidents["size"].max()) >= 3,
              f"the burst is an incident: {incidents[['category', 'size']].to_dict('records')}")
        try:
            client.projection(horizon=500)
            check(False, "a horizon of 500 days must be refused")
        except AnalyticsError as error:
            check(error.code == grpc.StatusCode.INVALID_ARGUMENT and "horizon" in error.message,
                  f"refusal names the field: {error}")

    png = os.path.join(args.out, "projection.png")
    subprocess.run([sys.executable, os.path.join(here, "..", "examples", "plot_projection.py"),
                    "--target", args.target, "--ca", args.ca, "--cert", args.cert,
                    "--key", args.key, "--out", png], check=True)
    image = matplotlib.image.imread(png)  # RGBA floats
    r, g, b = image[..., 0], image[..., 1], image[..., 2]
    # The 80 % band: #5470c6 at 35 % over white, about (0.68, 0.75, 0.90).
    band = ((abs(r - 0.68) < 0.06) & (abs(g - 0.75) < 0.06) & (abs(b - 0.90) < 0.06)).mean()
    check(band > 0.005, f"the 80 % band covers {100 * band:.2f} % of the PNG")

    print(f"python client: {total} complaints over {len(expected)} days; projection "
          f"{projection.model} ({len(p)} days); {len(incidents)} incidents; band "
          f"{100 * band:.1f} % of {png}")
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
