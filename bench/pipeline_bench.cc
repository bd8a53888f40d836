// The platform under load, secured as the README's first command runs it
// (mTLS on every call, SASL/SCRAM broker with ACLs, sealed personal data,
// logs at info): the broker and the four services as processes, load from
// build/bench/loadgen/loadgen as its own process. Phases:
//  - full: as fast as possible, --complaints submissions, timed until the
//    whole pipeline caught up (analytics counted every one, all assigned);
//  - rates: each of --rates offered for --rate_seconds (open loop);
//  - queries: the staff's and analysts' reads, one after another;
//  - replay: each service loses its store and rebuilds from the topics.
// Prints, per phase, throughput, latency, CPU per complaint of each process
// (the generator's and the broker's included), Kafka records per complaint,
// log bytes per complaint, and after the replays RSS and disk per 10k
// complaints; and one "pipeline-row" line per figure for bench/pipeline.sh.
//   bench/pipeline.sh runs it; alone:
//   COMPLAINTS_SOURCE_DIR=$PWD COMPLAINTS_BINARY_DIR=$PWD/build
//     build/bench/pipeline_bench --phases=full,rates,replay
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "bench/pipeline/process_stats.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"
#include "libs/runner/topics.h"
#include "tests/scenario.h"
#include "tests/store_compare.h"

ABSL_FLAG(std::string, phases, "full,rates,queries,replay", "which phases to run, in order");
ABSL_FLAG(int, queries, 200, "calls of each read in the queries phase");
ABSL_FLAG(int64_t, complaints, 10000, "submissions of the full-rate phase");
ABSL_FLAG(std::string, rates, "500,1000,2000", "offered rates (per second) of the rates phase");
ABSL_FLAG(absl::Duration, rate_seconds, absl::Seconds(30), "how long each rate is offered");
ABSL_FLAG(int, max_in_flight, 64, "the generator's window in the full-rate phase");
ABSL_FLAG(int64_t, warmup, 3000,
          "submissions of each warm-up round before the first phase, not measured: the broker's "
          "JIT compiles its hot paths for its first minute under load, and a platform runs for "
          "days");
ABSL_FLAG(int, warmup_rounds, 1,
          "most warm-up rounds; rounds go on while the broker's JIT compilers take more than "
          "--warmup_jit_share of its CPU (about 10 rounds of 3,000 for that: the services' "
          "stores then hold 30,000 complaints more when measured)");
ABSL_FLAG(double, warmup_jit_share, 0.1,
          "the broker's JIT compilers' share of its CPU in a warm-up round below which the "
          "warm-up ends");

namespace {

using namespace complaints;
using namespace complaints::testing;

constexpr int kProcesses = 5;  // the four services and the broker
const char* const kProcessNames[kProcesses] = {"intake", "dispatch", "tracking", "analytics",
                                               "broker"};

// Where every process stands at one moment.
struct Snapshot {
  absl::Time at;
  absl::Duration cpu[kProcesses];
  int64_t records = 0;  // all platform topics' end offsets, summed
  std::map<std::string, int64_t> by_topic;
  int64_t log_bytes = 0;      // the four services' log files
  absl::Duration broker_jit;  // the broker's JIT compilers' CPU
};

class Bench {
 public:
  bool Start() { return cluster_.Start(); }

  Snapshot Take() {
    Snapshot snapshot;
    snapshot.at = complaints::WallNow();
    for (int i = 0; i < 4; ++i) snapshot.cpu[i] = bench::CpuOf(cluster_.pid(kServices[i]));
    snapshot.cpu[4] = bench::CpuOf(BrokerPid());
    snapshot.broker_jit = BrokerJitCpu();
    for (const auto& [partition, end] : EndOffsets(cluster_)) {
      snapshot.records += end;
      snapshot.by_topic[partition.substr(0, partition.rfind('/'))] += end;
    }
    for (Service service : kServices) {
      snapshot.log_bytes +=
          bench::FileBytes(cluster_.dir() + "/" + std::string(NameOf(service)) + ".log");
    }
    return snapshot;
  }

  // Runs the generator with `args`; its summary fields, empty when it failed to run.
  std::map<std::string, std::string> Load(const std::vector<std::string>& args) {
    const TlsFiles files = TestPki::Shared().Files("system/call-centre");
    for (const char* identity :
         {"system/mail-gateway", "system/mailroom", "system/engineering-app"})
      TestPki::Shared().Files(identity);
    std::vector<std::string> argv = {BinaryDir() + "/bench/loadgen/loadgen",
                                     "--target=" + cluster_.address(Service::kIntake),
                                     "--pki_dir=" + TestPki::Shared().dir(),
                                     "--data_dir=" + SourceDir() + "/tests/data/history"};
    argv.insert(argv.end(), args.begin(), args.end());
    const std::string log = absl::StrCat(cluster_.dir(), "/loadgen-", ++runs_, ".log");
    RunCommand(argv, log);
    const std::string out = ReadFile(log).value_or("");
    std::printf("%s", out.c_str());
    std::map<std::string, std::string> fields;
    const size_t at = out.find("loadgen-summary ");
    if (at == std::string::npos) return fields;
    const std::string line = out.substr(at, out.find('\n', at) - at);
    for (absl::string_view pair : absl::StrSplit(line, ' ', absl::SkipEmpty())) {
      const std::vector<std::string> kv = absl::StrSplit(pair, absl::MaxSplits('=', 1));
      if (kv.size() == 2) fields[kv[0]] = kv[1];
    }
    generator_cpu_ms_ = std::atof(fields["cpu_ms"].c_str());
    return fields;
  }

  // Waits until analytics counted `total` complaints, all assigned.
  bool CaughtUp(int64_t total) { return WaitUntilCounted(cluster_, total, absl::Minutes(10)); }

  // Prints the per-complaint costs between two snapshots.
  void Costs(const std::string& phase, const Snapshot& before, const Snapshot& after,
             int64_t complaints) {
    const double n = static_cast<double>(complaints);
    double services = 0;
    std::string each;
    const absl::Duration broker = after.cpu[4] - before.cpu[4];
    const double jit_share = broker > absl::ZeroDuration()
                                 ? absl::FDivDuration(after.broker_jit - before.broker_jit, broker)
                                 : 0;
    Row(phase, "broker_jit_share", jit_share);
    for (int i = 0; i < kProcesses; ++i) {
      const double ms = absl::ToDoubleMilliseconds(after.cpu[i] - before.cpu[i]) / n;
      if (i < 4) services += ms;
      absl::StrAppendFormat(&each, "%s%s %.3f", i == 0 ? "" : ", ", kProcessNames[i], ms);
      if (i == 4) absl::StrAppendFormat(&each, " (its JIT compilers %.0f %%)", 100 * jit_share);
      Row(phase, absl::StrCat("cpu_ms_per_complaint_", kProcessNames[i]), ms);
    }
    absl::StrAppendFormat(&each, ", generator %.3f", generator_cpu_ms_ / n);
    Row(phase, "cpu_ms_per_complaint_services", services);
    Row(phase, "cpu_ms_per_complaint_generator", generator_cpu_ms_ / n);
    Row(phase, "records_per_complaint", static_cast<double>(after.records - before.records) / n);
    std::string topics;
    for (const auto& [topic, end] : after.by_topic) {
      const int64_t before_end = before.by_topic.count(topic) ? before.by_topic.at(topic) : 0;
      absl::StrAppendFormat(&topics, "%s%s %.2f", topics.empty() ? "" : ", ", topic,
                            static_cast<double>(end - before_end) / n);
    }
    std::printf("[figures] %s: Kafka records per complaint by topic: %s\n", phase.c_str(),
                topics.c_str());
    Row(phase, "log_bytes_per_complaint",
        static_cast<double>(after.log_bytes - before.log_bytes) / n);
    std::printf(
        "[figures] %s: CPU ms per complaint: services %.3f (%s); Kafka records per complaint "
        "%.2f; service log bytes per complaint %.0f\n",
        phase.c_str(), services, each.c_str(),
        static_cast<double>(after.records - before.records) / n,
        static_cast<double>(after.log_bytes - before.log_bytes) / n);
  }

  static void Row(const std::string& phase, const std::string& figure, double value) {
    std::printf("pipeline-row %s %s %.4f\n", phase.c_str(), figure.c_str(), value);
  }

  // Each service loses its store and rebuilds it from the topics.
  void Replays(int64_t complaints) {
    const Offsets ends = EndOffsets(cluster_);
    for (Service service : kServices) {
      const std::string name = NameOf(service);
      int64_t records = 0;
      for (absl::string_view topic : ConsumedTopics(service)) {
        for (int p = 0; p < topics::kDefaultPartitions; ++p) {
          auto end = ends.find(absl::StrCat(topic, "/", p));
          if (end != ends.end()) records += end->second;
        }
      }
      const std::string folder = cluster_.dir() + "/" + name + "/rocksdb";
      // The write-ahead log (*.log) apart: it holds what is not flushed yet,
      // bounded by the store's WAL cap whatever the complaints.
      const int64_t disk = bench::BytesUnder(folder, ".log");
      const int64_t wal = bench::BytesUnder(folder) - disk;
      if (!cluster_.StopService(service)) std::printf("%s did not stop cleanly\n", name.c_str());
      std::filesystem::remove_all(folder);
      const size_t logged = cluster_.ServiceLog(service).size();
      const absl::Duration broker_before = bench::CpuOf(BrokerPid());
      const absl::Time started = complaints::WallNow();
      if (!cluster_.StartService(service) ||
          !Eventually([&] { return testing::CaughtUp(cluster_, service, ends); }, absl::Minutes(10),
                      absl::Milliseconds(50))) {
        std::printf("%s did not rebuild within 10 minutes\n", name.c_str());
        continue;
      }
      const double seconds = absl::ToDoubleSeconds(complaints::WallNow() - started);
      // A rebuild keeps both cores busy: the applier, the store's writer and
      // RocksDB's flushes and compactions in the service, and the broker
      // serving its fetches. CPU per record says what a faster one needs.
      const double service_us =
          absl::ToDoubleMicroseconds(bench::CpuOf(cluster_.pid(service))) / records;
      const double broker_us =
          absl::ToDoubleMicroseconds(bench::CpuOf(BrokerPid()) - broker_before) / records;
      const int64_t rss = bench::RssOf(cluster_.pid(service));
      const int64_t peak = bench::PeakRssOf(cluster_.pid(service));
      const double per10k = 1e4 / static_cast<double>(complaints);
      Row("replay", "records_per_s_" + name, static_cast<double>(records) / seconds);
      Row("replay", "rss_mib_" + name, static_cast<double>(rss) / (1 << 20));
      Row("replay", "peak_rss_mib_" + name, static_cast<double>(peak) / (1 << 20));
      Row("replay", "cpu_us_per_record_" + name, service_us);
      Row("replay", "broker_cpu_us_per_record_" + name, broker_us);
      Row("running", "disk_mb_per_10k_" + name, static_cast<double>(disk) * per10k / 1e6);
      Row("running", "wal_mb_" + name, static_cast<double>(wal) / 1e6);
      std::printf(
          "[figures] replay: %s rebuilt from %lld records in %.2f s (process start included): "
          "%.0f records/s; RSS after %.0f MiB (peak %.0f MiB); its store held %.1f MB per 10k "
          "complaints "
          "and %.1f MB of write-ahead log\n",
          name.c_str(), static_cast<long long>(records), seconds, records / seconds,
          static_cast<double>(rss) / (1 << 20), static_cast<double>(peak) / (1 << 20),
          static_cast<double>(disk) * per10k / 1e6, static_cast<double>(wal) / 1e6);
      std::printf(
          "[figures] replay: %s used %.1f us of CPU per record (all its threads, process start "
          "included), the broker %.1f us\n",
          name.c_str(), service_us, broker_us);
      PrintOwnAccount(cluster_.ServiceLog(service), logged);
    }
  }

  // The service's own account of its rebuild (its log since `from`): each
  // topic's records, records/s, and how long it waited for the broker.
  static void PrintOwnAccount(const std::string& log, size_t from) {
    constexpr absl::string_view kMessage = "\"msg\":\"";
    for (absl::string_view line : absl::StrSplit(absl::string_view(log).substr(from), '\n')) {
      const size_t at = line.find(kMessage);
      if (at == absl::string_view::npos) continue;
      absl::string_view message = line.substr(at + kMessage.size());
      message = message.substr(0, message.find('"'));
      if (absl::StrContains(message, ": replayed ") || absl::StrContains(message, ": read back ")) {
        std::printf("[figures] replay:   %s\n", std::string(message).c_str());
      }
    }
  }

  // The mean bytes of a record on the platform's topics (the ceiling's size).
  void MeanRecordBytes() {
    double bytes = 0, records = 0;
    std::string each;
    for (absl::string_view topic : topics::kAll) {
      double topic_bytes = 0, topic_records = 0;
      for (const std::string& record : ReadTopic(cluster_, topic)) {
        topic_bytes += static_cast<double>(record.size());
        ++topic_records;
      }
      if (topic_records > 0) {
        absl::StrAppend(&each, each.empty() ? "" : ", ", topic, " ",
                        static_cast<int64_t>(topic_bytes / topic_records));
      }
      bytes += topic_bytes;
      records += topic_records;
    }
    if (records > 0) Row("full", "mean_record_bytes", bytes / records);
    std::printf(
        "[figures] records on the platform's topics: %.0f, %.0f bytes each on average (%s)\n",
        records, records > 0 ? bytes / records : 0, each.c_str());
  }

  // Each read `n` times, one after another: latency and the serving
  // service's CPU per call.
  void Queries(int n) {
    const auto time = [&](const std::string& name, Service service, auto call) {
      std::vector<double> ms;
      const absl::Duration cpu_before = bench::CpuOf(cluster_.pid(service));
      int failed = 0;
      for (int i = 0; i < n; ++i) {
        grpc::ClientContext context;
        context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(10)));
        const absl::Time sent = complaints::WallNow();
        failed += !call(context).ok();
        ms.push_back(absl::ToDoubleMilliseconds(complaints::WallNow() - sent));
      }
      std::sort(ms.begin(), ms.end());
      const double cpu =
          absl::ToDoubleMilliseconds(bench::CpuOf(cluster_.pid(service)) - cpu_before) / n;
      Row("queries", name + "_p50_ms", ms[ms.size() / 2]);
      Row("queries", name + "_p99_ms", ms[ms.size() * 99 / 100]);
      std::printf(
          "[figures] query %s: %d calls (%d failed): p50 %.2f ms, p99 %.2f ms, %s CPU %.3f ms "
          "per call\n",
          name.c_str(), n, failed, ms[ms.size() / 2], ms[ms.size() * 99 / 100], NameOf(service),
          cpu);
    };
    std::string some_id;
    {
      grpc::ClientContext context;
      v1::ListComplaintsRequest request;
      request.set_page_size(1);
      v1::ListComplaintsResponse response;
      if (cluster_.tracking().ListComplaints(&context, request, &response).ok() &&
          response.items_size() > 0) {
        some_id = response.items(0).complaint_id();
      }
    }
    time("list_complaints_50", Service::kTracking, [&](grpc::ClientContext& context) {
      v1::ListComplaintsRequest request;
      request.set_page_size(50);
      v1::ListComplaintsResponse response;
      return cluster_.tracking().ListComplaints(&context, request, &response);
    });
    time("get_complaint", Service::kTracking, [&](grpc::ClientContext& context) {
      v1::GetComplaintRequest request;
      request.set_complaint_id(some_id);
      v1::GetComplaintResponse response;
      return cluster_.tracking().GetComplaint(&context, request, &response);
    });
    time("get_figures", Service::kAnalytics, [&](grpc::ClientContext& context) {
      v1::GetFiguresResponse response;
      return cluster_.analytics().GetFigures(&context, v1::GetFiguresRequest(), &response);
    });
    time("get_counts", Service::kAnalytics, [&](grpc::ClientContext& context) {
      v1::GetCountsResponse response;
      return cluster_.analytics().GetCounts(&context, v1::GetCountsRequest(), &response);
    });
  }

  pid_t BrokerPid() const { return bench::PidFromFile(cluster_.dir() + "/kafka/broker.pid"); }

  // CPU the broker's JIT compilers (HotSpot's C1 and C2 threads) have spent.
  absl::Duration BrokerJitCpu() const {
    return bench::ThreadsCpuOf(BrokerPid(), "C1 CompilerThre") +
           bench::ThreadsCpuOf(BrokerPid(), "C2 CompilerThre");
  }

  int64_t submitted = 0;

 private:
  Cluster cluster_;
  double generator_cpu_ms_ = 0;
  int runs_ = 0;
};

int64_t Count(std::map<std::string, std::string>& fields, const std::string& name) {
  return std::atoll(fields[name].c_str());
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  Bench bench;
  if (!bench.Start()) return 2;
  // Warm-up rounds, up to --warmup_rounds, until the broker's JIT has
  // compiled its hot paths: its C2 compiler took 45 % of the broker's CPU
  // for the first minute under load (bench/README.md), a cost a broker that
  // runs for days does not pay per complaint.
  const int64_t warmup = absl::GetFlag(FLAGS_warmup);
  int64_t warmed = 0;
  int rounds = 0;
  double jit_share = 1;
  std::string shares;  // the JIT's share of each round, in per cent
  while (warmup > 0 && rounds < absl::GetFlag(FLAGS_warmup_rounds) &&
         jit_share > absl::GetFlag(FLAGS_warmup_jit_share)) {
    const absl::Duration broker_before = bench::CpuOf(bench.BrokerPid());
    const absl::Duration jit_before = bench.BrokerJitCpu();
    auto fields = bench.Load(
        {"--rate=0", absl::StrCat("--requests=", warmup), "--max_in_flight=16", "--duration=10m"});
    bench.submitted += Count(fields, "ok");
    if (Count(fields, "ok") == 0 || !bench.CaughtUp(bench.submitted)) {
      std::printf("the warm-up did not complete\n");
      return 1;
    }
    warmed += Count(fields, "ok");
    ++rounds;
    const absl::Duration broker = bench::CpuOf(bench.BrokerPid()) - broker_before;
    jit_share = broker > absl::ZeroDuration()
                    ? absl::FDivDuration(bench.BrokerJitCpu() - jit_before, broker)
                    : 0;
    absl::StrAppendFormat(&shares, "%s%.0f", shares.empty() ? "" : ", ", 100 * jit_share);
  }
  if (rounds > 0) {
    std::printf(
        "[figures] warm-up: %lld complaints in %d rounds, not measured; the broker's JIT "
        "compilers took %s %% of its CPU, round by round\n",
        static_cast<long long>(warmed), rounds, shares.c_str());
    Bench::Row("warmup", "complaints", static_cast<double>(warmed));
    Bench::Row("warmup", "broker_jit_share_last_round", jit_share);
  }
  for (absl::string_view phase :
       absl::StrSplit(absl::GetFlag(FLAGS_phases), ',', absl::SkipEmpty())) {
    if (phase == "full") {
      const int64_t n = absl::GetFlag(FLAGS_complaints);
      const Snapshot before = bench.Take();
      auto fields = bench.Load(
          {"--rate=0", absl::StrCat("--requests=", n),
           absl::StrCat("--max_in_flight=", absl::GetFlag(FLAGS_max_in_flight)), "--duration=10m"});
      const int64_t ok = Count(fields, "ok");
      bench.submitted += ok;
      if (ok == 0 || !bench.CaughtUp(bench.submitted)) {
        std::printf("the full-rate phase did not complete\n");
        return 1;
      }
      const Snapshot after = bench.Take();
      const double seconds = absl::ToDoubleSeconds(after.at - before.at);
      Bench::Row("full", "complaints_per_s", static_cast<double>(ok) / seconds);
      Bench::Row("full", "submissions_per_s", std::atof(fields["ok_per_s"].c_str()));
      Bench::Row("full", "p50_ms", std::atof(fields["p50_ms"].c_str()));
      Bench::Row("full", "p99_ms", std::atof(fields["p99_ms"].c_str()));
      std::printf(
          "[figures] full: %lld complaints submitted at %s/s; whole pipeline caught up after "
          "%.1f s: %.0f complaints/s\n",
          static_cast<long long>(ok), fields["ok_per_s"].c_str(), seconds, ok / seconds);
      bench.Costs("full", before, after, ok);
      bench.MeanRecordBytes();
    } else if (phase == "queries") {
      bench.Queries(absl::GetFlag(FLAGS_queries));
    } else if (phase == "rates") {
      for (absl::string_view rate_text :
           absl::StrSplit(absl::GetFlag(FLAGS_rates), ',', absl::SkipEmpty())) {
        const std::string rate(rate_text);
        const Snapshot before = bench.Take();
        auto fields =
            bench.Load({"--rate=" + rate, "--max_in_flight=2000",
                        "--duration=" + absl::FormatDuration(absl::GetFlag(FLAGS_rate_seconds))});
        const int64_t ok = Count(fields, "ok");
        bench.submitted += ok;
        const bool caught_up = ok > 0 && bench.CaughtUp(bench.submitted);
        const Snapshot after = bench.Take();
        const std::string name = "rate" + rate;
        const bool held = Count(fields, "failed") == 0 && Count(fields, "shed") == 0;
        Bench::Row(name, "ok_per_s", std::atof(fields["ok_per_s"].c_str()));
        Bench::Row(name, "p50_ms", std::atof(fields["p50_ms"].c_str()));
        Bench::Row(name, "p99_ms", std::atof(fields["p99_ms"].c_str()));
        Bench::Row(name, "held", held ? 1 : 0);
        std::printf("[figures] %s/s offered for %s: %s; p99 %s ms; pipeline caught up: %s\n",
                    rate.c_str(), absl::FormatDuration(absl::GetFlag(FLAGS_rate_seconds)).c_str(),
                    held ? "held" : "NOT held", fields["p99_ms"].c_str(), caught_up ? "yes" : "no");
        if (ok > 0) bench.Costs(name, before, after, ok);
      }
    } else if (phase == "replay") {
      bench.Replays(bench.submitted);
    } else {
      std::printf("unknown phase %s\n", std::string(phase).c_str());
      return 2;
    }
  }
  return 0;
}
