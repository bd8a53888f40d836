#!/usr/bin/env python3
"""The baseline an analyst tries first: statsmodels' ETS on the same series and cuts.

For each series of bench/projection_backtest.cc and each of its 8 cuts (cut 1 is
the latest; cut k leaves k horizons out), fits ETSModel by maximum likelihood on
everything before the cut — additive errors, damped additive trend, and for daily
series an additive weekly season — and writes its forecasts as CSV lines
series,cut,step,forecast to stdout.
"""
import csv
import pathlib
import sys
import warnings

import numpy as np
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

SERIES = [
    ("nyc311-flooding-daily", "nyc311-street-flooding-daily.csv", 7, 28),
    ("cfpb-total-daily", "cfpb-daily-total.csv", 7, 28),
    ("nyc311-flooding-weekly", "nyc311-street-flooding-weekly.csv", None, 13),
    ("cfpb-total-weekly", "cfpb-weekly-total.csv", None, 13),
    ("cfpb-citibank-weekly", "cfpb-weekly-citibank.csv", None, 13),
    ("cfpb-debt-collection-weekly", "cfpb-weekly-debt-collection.csv", None, 13),
]
CUTS = 8


def main(data_dir):
    warnings.simplefilter("ignore")
    out = csv.writer(sys.stdout)
    out.writerow(["series", "cut", "step", "forecast"])
    for name, file, period, horizon in SERIES:
        with open(pathlib.Path(data_dir) / file) as fh:
            values = np.array([float(row["count"]) for row in csv.DictReader(fh)])
        for cut in range(1, CUTS + 1):
            train = values[: len(values) - cut * horizon]
            model = ETSModel(train, error="add", trend="add", damped_trend=True,
                             seasonal="add" if period else None, seasonal_periods=period)
            forecast = model.fit(disp=False).forecast(horizon)
            for step, value in enumerate(forecast, start=1):
                out.writerow([name, cut, step, f"{value:.6f}"])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bench/data")
