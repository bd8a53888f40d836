"""AnalyticsClient: analytics' queries as pandas DataFrames."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Iterable, Optional

import grpc
import pandas as pd

# The generated stubs import each other as complaints.v1.*: their folder
# must be on the path (made by clients/python/setup.sh).
_STUBS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_stubs")
if not os.path.isdir(os.path.join(_STUBS, "complaints")):
    raise ImportError(f"no generated stubs in {_STUBS}: run clients/python/setup.sh")
if _STUBS not in sys.path:
    sys.path.insert(0, _STUBS)

from complaints.v1 import analytics_pb2, analytics_pb2_grpc, common_pb2  # noqa: E402
from google.protobuf import json_format  # noqa: E402

_DIMENSIONS = {
    "day": analytics_pb2.FIGURE_DIMENSION_DAY,
    "week": analytics_pb2.FIGURE_DIMENSION_WEEK,
    "month": analytics_pb2.FIGURE_DIMENSION_MONTH,
    "category": analytics_pb2.FIGURE_DIMENSION_CATEGORY,
    "community": analytics_pb2.FIGURE_DIMENSION_COMMUNITY,
    "channel": analytics_pb2.FIGURE_DIMENSION_CHANNEL,
    "department": analytics_pb2.FIGURE_DIMENSION_DEPARTMENT,
    "handler": analytics_pb2.FIGURE_DIMENSION_HANDLER,
}

_METRICS = [
    "complaints", "resolved", "response_minutes_p50", "response_minutes_p90",
    "resolution_minutes_p50", "resolution_minutes_p90", "sla_compliance", "on_time",
    "overdue", "no_target", "escalations", "satisfaction_mean", "satisfaction_count",
    "reopen_rate", "recurrence_rate",
]


class AnalyticsError(Exception):
    """A query analytics refused: the gRPC status code and its message."""

    def __init__(self, code: grpc.StatusCode, message: str):
        super().__init__(f"{code.name}: {message}")
        self.code = code
        self.message = message


@dataclass
class Projection:
    """A forecast with its intervals, the model that made it and how far to trust it."""

    model: str             # "combination", or the one candidate served
    combined: list         # the candidates whose median is served, best first
    parameters: dict
    origin: str
    points: pd.DataFrame    # period, forecast, lower_80, upper_80, lower_95, upper_95, actual
    history: pd.DataFrame   # period, count: the periods before the origin
    backtest: pd.DataFrame  # model, mase, coverage_80, coverage_95 (the served forecast first)
    backtest_origins: int
    horizon: int           # periods forecast: as asked, or fewer for a short history
    notes: list            # why the horizon is shorter or the backtest has fewer cuts
    held_out_coverage_80: float
    held_out_coverage_95: float
    stored: bool


def _dimension(name: str) -> int:
    try:
        return _DIMENSIONS[name]
    except KeyError:
        raise ValueError(f"dimension {name!r}: one of {', '.join(_DIMENSIONS)}") from None


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


class AnalyticsClient:
    """A connection to analytics over mTLS as the analyst whose certificate it presents.

    `target` is host:port; `ca`, `cert` and `key` are PEM files (the platform's
    CA, and the analyst's certificate and key, e.g. from scripts/pki.sh).
    """

    def __init__(self, target: str, *, ca: str, cert: str, key: str,
                 timeout_seconds: float = 30.0):
        credentials = grpc.ssl_channel_credentials(
            root_certificates=_read(ca), private_key=_read(key), certificate_chain=_read(cert))
        self._channel = grpc.secure_channel(target, credentials)
        self._stub = analytics_pb2_grpc.AnalyticsServiceStub(self._channel)
        self._timeout = timeout_seconds

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> "AnalyticsClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _call(self, method, request):
        try:
            return method(request, timeout=self._timeout)
        except grpc.RpcError as error:
            raise AnalyticsError(error.code(), error.details()) from None

    def figures(self, group_by: Iterable[str] = (), from_day: str = "",
                to_day: str = "") -> pd.DataFrame:
        """§5.1 figures of the complaints received from_day..to_day (YYYY-MM-DD,
        inclusive, the centre's zone), grouped by up to four of day, week, month,
        category, community, channel, department, handler: one row per group,
        with the grouped columns first, then the figures."""
        names = list(group_by)
        request = analytics_pb2.GetFiguresRequest(
            group_by=[_dimension(n) for n in names], from_day=from_day, to_day=to_day)
        answer = self._call(self._stub.GetFigures, request)
        records = []
        for row in answer.rows:
            record = {}
            for name in names:
                value = getattr(row, name)
                record[name] = common_pb2.Channel.Name(value) \
                    if name == "channel" else value
            for metric in _METRICS:
                record[metric] = getattr(row, metric)
            records.append(record)
        return pd.DataFrame.from_records(records, columns=names + _METRICS)

    def counts(self, from_day: str = "", to_day: str = "") -> pd.DataFrame:
        """Complaints by day, category, priority and department (every page)."""
        records, token = [], ""
        while True:
            answer = self._call(self._stub.GetCounts, analytics_pb2.GetCountsRequest(
                from_day=from_day, to_day=to_day, page_size=5000, page_token=token))
            records += [{"day": r.day, "category": r.category,
                         "priority": common_pb2.Priority.Name(r.priority),
                         "department": r.department, "count": r.count} for r in answer.rows]
            token = answer.next_page_token
            if not token:
                break
        return pd.DataFrame.from_records(
            records, columns=["day", "category", "priority", "department", "count"])

    def projection(self, *, interval: str = "day", dimension: Optional[str] = None,
                   value: str = "", horizon: int = 0, origin: str = "") -> Projection:
        """§5.1 the projection of a series: all complaints, or those of one
        category, department, community or channel (`dimension`, `value`),
        daily or weekly, `horizon` periods ahead (0: 28 days or 13 weeks), from
        today or from a past `origin` (YYYY-MM-DD)."""
        request = analytics_pb2.GetProjectionRequest(
            interval=_dimension(interval), horizon=horizon, origin=origin, value=value,
            dimension=_dimension(dimension) if dimension else 0)
        answer = self._call(self._stub.GetProjection, request)
        points = pd.DataFrame.from_records(
            [{"period": pd.Timestamp(p.period), "forecast": p.forecast,
              "lower_80": p.lower_80, "upper_80": p.upper_80,
              "lower_95": p.lower_95, "upper_95": p.upper_95,
              "actual": p.actual if p.HasField("actual") else pd.NA} for p in answer.points],
            columns=["period", "forecast", "lower_80", "upper_80", "lower_95", "upper_95",
                     "actual"])
        history = pd.DataFrame.from_records(
            [{"period": pd.Timestamp(h.period), "count": h.count} for h in answer.history],
            columns=["period", "count"])
        backtest = pd.DataFrame.from_records(
            [{"model": b.model, "mase": b.mase, "coverage_80": b.coverage_80,
              "coverage_95": b.coverage_95} for b in answer.backtest],
            columns=["model", "mase", "coverage_80", "coverage_95"])
        return Projection(
            model=answer.model, combined=list(answer.combined),
            parameters={p.name: p.value for p in answer.parameters},
            origin=answer.origin, points=points, history=history, backtest=backtest,
            backtest_origins=answer.backtest_origins, horizon=answer.horizon,
            notes=list(answer.notes),
            held_out_coverage_80=answer.held_out_coverage_80,
            held_out_coverage_95=answer.held_out_coverage_95, stored=answer.stored)

    def hot_issues(self, community: str = "", day: str = "", limit: int = 0) -> pd.DataFrame:
        """§5.1 categories and terms rising in the 7 days ending `day` against the 4 weeks before."""
        answer = self._call(self._stub.GetHotIssues, analytics_pb2.GetHotIssuesRequest(
            community=community, day=day, limit=limit))
        return pd.DataFrame.from_records(
            [{"community": i.community,
              "kind": analytics_pb2.HotIssueKind.Name(i.kind).removeprefix("HOT_ISSUE_KIND_").lower(),
              "item": i.item, "recent": i.recent, "baseline": i.baseline,
              "rate_ratio": i.rate_ratio, "p_value": i.p_value, "q_value": i.q_value}
             for i in answer.issues],
            columns=["community", "kind", "item", "recent", "baseline", "rate_ratio", "p_value",
                     "q_value"])

    def incidents(self, community: str = "", open_only: bool = False,
                  limit: int = 0) -> pd.DataFrame:
        """§3.1 / §5.1 incidents of the last 7 days, the latest first."""
        answer = self._call(self._stub.ListIncidents, analytics_pb2.ListIncidentsRequest(
            community=community, open_only=open_only, limit=limit))
        return pd.DataFrame.from_records(
            [{"incident_id": i.incident_id, "category": i.category, "community": i.community,
              "building": i.building, "public_area": i.public_area,
              "first_occurred_at": pd.Timestamp(i.first_occurred_at.ToDatetime(), tz="UTC"),
              "last_occurred_at": pd.Timestamp(i.last_occurred_at.ToDatetime(), tz="UTC"),
              "size": i.size, "open": i.open, "complaint_ids": list(i.complaint_ids)}
             for i in answer.incidents],
            columns=["incident_id", "category", "community", "building", "public_area",
                     "first_occurred_at", "last_occurred_at", "size", "open", "complaint_ids"])

    def reports(self, limit: int = 0) -> pd.DataFrame:
        """§5.2 stored reports, the latest first (totals only)."""
        answer = self._call(self._stub.ListReports, analytics_pb2.ListReportsRequest(limit=limit))
        return pd.DataFrame.from_records(
            [{"report_id": r.report_id, "from_day": r.from_day, "to_day": r.to_day,
              "complaints": r.total.complaints} for r in answer.reports],
            columns=["report_id", "from_day", "to_day", "complaints"])

    def report(self, report_id: str, format: str = "markdown") -> str:
        """One report rendered as Markdown or HTML."""
        formats = {"markdown": analytics_pb2.REPORT_FORMAT_MARKDOWN,
                   "html": analytics_pb2.REPORT_FORMAT_HTML}
        if format not in formats:
            raise ValueError("format: markdown or html")
        answer = self._call(self._stub.GetReport, analytics_pb2.GetReportRequest(
            report_id=report_id, format=formats[format]))
        return answer.rendered

    def report_message(self, report_id: str) -> dict:
        """One report as a dict in protobuf's JSON mapping."""
        answer = self._call(self._stub.GetReport,
                            analytics_pb2.GetReportRequest(report_id=report_id))
        return json_format.MessageToDict(answer.report)
