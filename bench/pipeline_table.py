#!/usr/bin/env python3
"""bench/pipeline.sh's table: the rows "phase figure value" it gathered,
as figure, now, target and ratio to the Kafka ceiling (Markdown), and the
points of the latency-throughput plot."""
import sys


def main(rows_path, table_path, plot_path):
    rows = {}
    for line in open(rows_path):
        parts = line.split()
        if len(parts) == 3:
            rows[(parts[0], parts[1])] = float(parts[2])

    def get(phase, figure):
        return rows.get((phase, figure))

    def fmt(value, digits=2):
        return "—" if value is None else f"{value:,.{digits}f}"

    services = ["intake", "dispatch", "tracking", "analytics"]
    per_complaint = get("full", "records_per_complaint")
    ceilings = {
        "librdkafka": get("ceiling", "rdkafka_records_per_s"),
        "ProducerPerformance": get("ceiling", "producer_performance_records_per_s"),
    }
    complaints_per_s = get("full", "complaints_per_s")

    def ratio(value):
        parts = []
        for name, records_per_s in ceilings.items():
            if value and records_per_s and per_complaint:
                parts.append(f"{100 * value / (records_per_s / per_complaint):.1f} % of {name}")
        return "; ".join(parts) or "—"

    table = ["| figure | now | target | ratio to the ceiling |", "|---|---|---|---|"]

    def add(figure, now, target, against=""):
        table.append(f"| {figure} | {now} | {target} | {against} |")

    add("whole pipeline, full rate (complaints/s)", fmt(complaints_per_s, 0), "≥ 1,500",
        ratio(complaints_per_s))
    each = " / ".join(fmt(get("full", f"cpu_ms_per_complaint_{s}"), 3) for s in services)
    add("service CPU ms per complaint: intake / dispatch / tracking / analytics", each, "—")
    add("service CPU ms per complaint, all four", fmt(get("full", "cpu_ms_per_complaint_services"), 3),
        "≤ 0.8 (binding ≤ 1.0)")
    add("broker CPU ms per complaint", fmt(get("full", "cpu_ms_per_complaint_broker"), 3), "≤ 0.3",
        f"ceiling: {fmt(get('ceiling', 'broker_cpu_ms_per_record'), 4)} ms per record")
    add("generator CPU ms per request", fmt(get("full", "cpu_ms_per_complaint_generator"), 3), "≤ 0.1")
    add("Kafka records per complaint", fmt(per_complaint), "≤ 6")
    for phase in sorted({p for p, f in rows if p.startswith("rate")}, key=lambda p: int(p[4:])):
        held = "held" if get(phase, "held") == 1 else "not held"
        add(f"{phase[4:]} submissions/s offered for the run",
            f"{held}, {fmt(get(phase, 'ok_per_s'), 0)}/s, p99 {fmt(get(phase, 'p99_ms'), 1)} ms",
            "1,000 held, p99 ≤ 25 ms (binding ≤ 50)" if phase == "rate1000" else "—")
    replay = " / ".join(fmt(get("replay", f"records_per_s_{s}"), 0) for s in services)
    add("replay (records/s): intake / dispatch / tracking / analytics", replay,
        "≥ 100,000 (binding ≥ 50,000)")
    rss = " / ".join(fmt(get("replay", f"rss_mib_{s}"), 0) for s in services)
    add("RSS after a replay (MiB): intake / dispatch / tracking / analytics", rss, "≤ 200")
    peak = " / ".join(fmt(get("replay", f"peak_rss_mib_{s}"), 0) for s in services)
    add("peak RSS during a replay (MiB): intake / dispatch / tracking / analytics", peak, "—")
    disk = " / ".join(fmt(get("running", f"disk_mb_per_10k_{s}"), 1) for s in services)
    add("RocksDB MB per 10k complaints (tables): intake / dispatch / tracking / analytics", disk,
        "tracking ≤ 10")
    wal = " / ".join(fmt(get("running", f"wal_mb_{s}"), 1) for s in services)
    add("write-ahead log (MB, capped at 32 each): intake / dispatch / tracking / analytics", wal,
        "—")
    add("service log bytes per complaint at info", fmt(get("full", "log_bytes_per_complaint"), 0),
        "≤ 500")
    add("history import, whole pipeline (rows/s)", fmt(get("history", "rows_per_s"), 0), "≥ 1,500")
    for figure in sorted(f for p, f in rows if p == "queries" and f.endswith("_p99_ms")):
        name = figure[: -len("_p99_ms")]
        add(f"query {name} p50 / p99 (ms)",
            f"{fmt(get('queries', name + '_p50_ms'))} / {fmt(get('queries', figure))}", "—")
    add("Kafka ceiling (records/s): librdkafka / ProducerPerformance",
        f"{fmt(ceilings['librdkafka'], 0)} / {fmt(ceilings['ProducerPerformance'], 0)}", "—",
        f"mean record {fmt(get('full', 'mean_record_bytes'), 0)} bytes")
    open(table_path, "w").write("\n".join(table) + "\n")

    points = []
    for phase, figure in rows:
        if figure == "p99_ms" and (phase.startswith("rate") or phase == "full"):
            rate = get(phase, "ok_per_s") if phase != "full" else get(phase, "submissions_per_s")
            points.append((rate, get(phase, "p50_ms"), get(phase, "p99_ms")))
    with open(plot_path, "w") as plot:
        for rate, p50, p99 in sorted(points):
            plot.write(f"{rate} {p50} {p99}\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
