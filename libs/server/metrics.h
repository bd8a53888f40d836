#pragma once
// What a service tells Prometheus (docs/operations.md): its gRPC calls by
// method and code with their latency, and its build. The pipeline's state
// (readiness, outbox, consumer offsets, dead letters, store size) is read
// when scraped, from the same status the Admin API's GetStatus answers.
// Thread-safe.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "complaints/v1/admin.pb.h"
#include "grpcpp/support/status_code_enum.h"
#include "libs/runner/scheduled_backlog.h"
#include "libs/store/store.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace complaints {

struct BuildInfo {
  std::string version;
  std::string revision;
};

class ServiceMetrics {
 public:
  ServiceMetrics(const std::string& service, const BuildInfo& build);

  // One finished unary call of `method` ("SubmitComplaint").
  void ObserveCall(const std::string& method, grpc::StatusCode code, absl::Duration took);

  // What a scrape reads besides the registry.
  struct Scrape {
    v1::GetStatusResponse status;
    uint64_t store_bytes = 0;  // the store's files on disk
    absl::Time now;            // ages are as of this
    // (topic, partition) -> the partition's end as the consumer last saw it.
    std::map<std::pair<std::string, int32_t>, int64_t> high_watermarks = {};
    // Events recorded since the start, by payload name and by (payload,
    // deciding rule id) (RecordedEvents).
    std::map<std::string, uint64_t> recorded = {};
    std::map<std::pair<std::string, std::string>, uint64_t> decisions = {};
    // Records Kafka acknowledged from the relay, and records consumed, by topic.
    std::map<std::string, uint64_t> published_by_topic = {};
    std::map<std::string, uint64_t> consumed_by_topic = {};
    StoreHealth store_health = {};
    std::vector<ScheduledBacklog> scheduled = {};
  };
  // The exposition in Prometheus' text format: the registry's families, then
  // those of the scrape (a partition's lag is its end minus the next offset).
  std::string Render(const Scrape& scrape) const;

 private:
  std::string service_;
  std::shared_ptr<prometheus::Registry> registry_ = std::make_shared<prometheus::Registry>();
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& latency_;
  std::mutex mu_;
  std::map<std::tuple<std::string, int>, prometheus::Counter*> handled_by_;
  std::map<std::string, prometheus::Histogram*> latency_by_;
};

// The bytes of the files under `dir` (a RocksDB folder: its tables and logs).
uint64_t FolderBytes(const std::string& dir);

}  // namespace complaints
