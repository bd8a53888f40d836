#include "libs/server/metrics.h"

#include <filesystem>
#include <system_error>

#include "absl/status/status.h"
#include "libs/core/time_util.h"
#include "prometheus/text_serializer.h"

namespace complaints {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

// Seconds: from a point read to a slow store write under load.
const prometheus::Histogram::BucketBoundaries kLatencyBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

class Families {
 public:
  explicit Families(std::string service) : service_(std::move(service)) {}

  void Add(const std::string& name, const std::string& help, MetricType type, double value,
           std::vector<ClientMetric::Label> labels = {}) {
    MetricFamily* family = nullptr;
    for (MetricFamily& f : families_) {
      if (f.name == name) family = &f;
    }
    if (family == nullptr) {
      families_.push_back({name, help, type, {}});
      family = &families_.back();
    }
    ClientMetric metric;
    metric.label.push_back({"service", service_});
    for (ClientMetric::Label& label : labels) metric.label.push_back(std::move(label));
    if (type == MetricType::Counter) {
      metric.counter.value = value;
    } else {
      metric.gauge.value = value;
    }
    family->metric.push_back(std::move(metric));
  }

  std::vector<MetricFamily>& families() { return families_; }

 private:
  std::string service_;
  std::vector<MetricFamily> families_;
};

}  // namespace

ServiceMetrics::ServiceMetrics(const std::string& service, const BuildInfo& build)
    : service_(service),
      handled_(prometheus::BuildCounter()
                   .Name("complaints_grpc_server_handled_total")
                   .Help("gRPC calls finished, by method and status code")
                   .Labels({{"service", service}})
                   .Register(*registry_)),
      latency_(prometheus::BuildHistogram()
                   .Name("complaints_grpc_server_handling_seconds")
                   .Help("time from a call's arrival to its answer, by method")
                   .Labels({{"service", service}})
                   .Register(*registry_)) {
  prometheus::BuildGauge()
      .Name("complaints_build_info")
      .Help("the running build: always 1, its version and revision as labels")
      .Labels({{"service", service}})
      .Register(*registry_)
      .Add({{"version", build.version}, {"revision", build.revision}})
      .Set(1);
}

void ServiceMetrics::ObserveCall(const std::string& method, grpc::StatusCode code,
                                 absl::Duration took) {
  prometheus::Counter* counter = nullptr;
  prometheus::Histogram* histogram = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto [handled, fresh] = handled_by_.try_emplace({method, static_cast<int>(code)}, nullptr);
    if (fresh) {
      handled->second =
          &handled_.Add({{"method", method},
                         {"code", absl::StatusCodeToString(static_cast<absl::StatusCode>(code))}});
    }
    counter = handled->second;
    auto [timed, new_method] = latency_by_.try_emplace(method, nullptr);
    if (new_method) timed->second = &latency_.Add({{"method", method}}, kLatencyBuckets);
    histogram = timed->second;
  }
  counter->Increment();
  histogram->Observe(absl::ToDoubleSeconds(took));
}

std::string ServiceMetrics::Render(const Scrape& scrape) const {
  const v1::GetStatusResponse& status = scrape.status;
  std::vector<MetricFamily> families = registry_->Collect();
  Families more(service_);
  more.Add("complaints_ready", "1 once the service serves (its consumer holds its partitions)",
           MetricType::Gauge, status.ready() ? 1 : 0);
  const v1::RelayStatus& relay = status.relay();
  more.Add("complaints_outbox_depth", "events recorded but not yet published to Kafka",
           MetricType::Gauge, static_cast<double>(relay.outbox_depth()));
  more.Add(
      "complaints_outbox_oldest_age_seconds",
      "age of the oldest event waiting in the outbox (0 when it is empty)", MetricType::Gauge,
      relay.has_oldest_entry_at() && relay.outbox_depth() > 0
          ? std::max(0.0, absl::ToDoubleSeconds(scrape.now - FromProto(relay.oldest_entry_at())))
          : 0);
  for (const auto& [topic, count] : scrape.published_by_topic) {
    more.Add("complaints_events_published_total",
             "records the relay published since the start (Kafka acknowledged them), by topic",
             MetricType::Counter, static_cast<double>(count), {{"topic", topic}});
  }
  for (const auto& [topic, count] : scrape.consumed_by_topic) {
    more.Add("complaints_events_consumed_total",
             "records consumed and taken (applied, parked or set aside) since the start, by topic",
             MetricType::Counter, static_cast<double>(count), {{"topic", topic}});
  }
  more.Add("complaints_relay_stuck", "1 while the relay cannot publish", MetricType::Gauge,
           relay.stuck() ? 1 : 0);
  if (status.has_consumer()) {
    const v1::ConsumerStatus& consumer = status.consumer();
    more.Add("complaints_consumer_assigned", "1 while the consumer holds its partitions",
             MetricType::Gauge, consumer.assigned() ? 1 : 0);
    more.Add("complaints_events_applied_total", "consumed records applied since the start",
             MetricType::Counter, static_cast<double>(consumer.applied_records()));
    more.Add("complaints_consumer_renewals_total",
             "consumers replaced since the start after librdkafka gave up on one (fenced)",
             MetricType::Counter, static_cast<double>(consumer.renewals()));
    more.Add("complaints_consumer_stuck", "1 while a consumed record cannot be applied",
             MetricType::Gauge, consumer.stuck() ? 1 : 0);
    for (const v1::PartitionStatus& partition : consumer.partitions()) {
      const std::string number = std::to_string(partition.partition());
      more.Add("complaints_consumer_next_offset",
               "the next offset to consume, per topic and partition (as stored)", MetricType::Gauge,
               static_cast<double>(partition.next_offset()),
               {{"topic", partition.topic()}, {"partition", number}});
      auto end = scrape.high_watermarks.find({partition.topic(), partition.partition()});
      if (end == scrape.high_watermarks.end()) continue;
      more.Add("complaints_consumer_lag",
               "records of the partition not yet consumed (its end as last fetched minus the "
               "next offset)",
               MetricType::Gauge,
               static_cast<double>(std::max<int64_t>(0, end->second - partition.next_offset())),
               {{"topic", partition.topic()}, {"partition", number}});
    }
  }
  more.Add("complaints_dead_letters", "records set aside as dead letters, all kinds",
           MetricType::Gauge, static_cast<double>(status.dead_letters()));
  for (const auto& [kind, count] : status.dead_letters_by_kind()) {
    more.Add("complaints_dead_letters_by_kind", "records set aside as dead letters, by kind",
             MetricType::Gauge, static_cast<double>(count), {{"kind", kind}});
  }
  for (const auto& [payload, count] : scrape.recorded) {
    more.Add("complaints_events_recorded_total",
             "events this service recorded since the start, by payload (e.g. deadline_breached)",
             MetricType::Counter, static_cast<double>(count), {{"payload", payload}});
  }
  for (const auto& [decision, count] : scrape.decisions) {
    more.Add("complaints_decisions_total",
             "events a rule decided since the start, by payload and rule id (classified, "
             "assigned, transferred)",
             MetricType::Counter, static_cast<double>(count),
             {{"payload", decision.first}, {"rule", decision.second}});
  }
  for (const ScheduledBacklog& backlog : scrape.scheduled) {
    more.Add("complaints_scheduled_due",
             "scheduled entries (timers, mail) due and not yet fired, by kind", MetricType::Gauge,
             static_cast<double>(backlog.due), {{"kind", backlog.kind}});
    more.Add("complaints_scheduled_lag_seconds",
             "how long the oldest due scheduled entry has waited, by kind (0 when none)",
             MetricType::Gauge, absl::ToDoubleSeconds(backlog.lag), {{"kind", backlog.kind}});
  }
  more.Add("complaints_store_bytes", "the RocksDB folder's files on disk", MetricType::Gauge,
           static_cast<double>(scrape.store_bytes));
  const StoreHealth& health = scrape.store_health;
  more.Add("complaints_store_write_stalls_total",
           "RocksDB write stalls since the service opened its store, by kind", MetricType::Counter,
           static_cast<double>(health.stall_slowdowns), {{"kind", "slowdown"}});
  more.Add("complaints_store_write_stalls_total",
           "RocksDB write stalls since the service opened its store, by kind", MetricType::Counter,
           static_cast<double>(health.stall_stops), {{"kind", "stop"}});
  more.Add("complaints_store_write_stopped", "1 while RocksDB stops writes", MetricType::Gauge,
           health.write_stopped ? 1 : 0);
  more.Add("complaints_store_delayed_write_rate_bytes",
           "the rate RocksDB holds writes to while it delays them (0 when it does not)",
           MetricType::Gauge, static_cast<double>(health.delayed_write_rate));
  more.Add("complaints_store_pending_compaction_bytes",
           "bytes RocksDB estimates compaction still has to rewrite", MetricType::Gauge,
           static_cast<double>(health.pending_compaction_bytes));
  const std::pair<const char*, uint64_t> memory[] = {
      {"block_cache", health.block_cache_bytes},
      {"block_cache_capacity", health.block_cache_capacity},
      {"write_buffers", health.write_buffer_bytes},
      {"write_buffers_limit", health.write_buffer_limit}};
  for (const auto& [kind, bytes] : memory) {
    more.Add("complaints_store_memory_bytes",
             "RocksDB's memory by kind: the block cache and the write buffers held, and their "
             "limits (raised while the store is rebuilt)",
             MetricType::Gauge, static_cast<double>(bytes), {{"kind", kind}});
  }
  for (MetricFamily& family : more.families()) families.push_back(std::move(family));
  return prometheus::TextSerializer().Serialize(families);
}

uint64_t FolderBytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    std::error_code size_error;
    if (it->is_regular_file(size_error)) {
      const uintmax_t size = it->file_size(size_error);
      if (!size_error) total += size;
    }
  }
  return total;
}

}  // namespace complaints
