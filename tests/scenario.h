#pragma once
// Complaints and checks shared by the cross-service tests.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/time/time.h"
#include "complaints/v1/intake.pb.h"
#include "grpcpp/support/status.h"
#include "librdkafka/rdkafkacpp.h"
#include "libs/eventlog/kafka_config.h"
#include "tests/cluster.h"

namespace complaints::testing {

// Real NYC 311 requests from tests/data (see its README), as submissions.
class Nyc311Complaints {
 public:
  Nyc311Complaints();  // loads tests/data/nyc311-2011-03-complaints.csv
  size_t size() const { return rows_.size(); }
  // The i-th submission (rows repeat cyclically), idempotency key "<prefix>-<i>".
  v1::SubmitComplaintRequest Valid(size_t i, const std::string& prefix, absl::Time now) const;
  // The agency the i-th row was routed to in New York.
  std::string Agency(size_t i) const {
    return std::string(absl::StripTrailingAsciiWhitespace(rows_[i % rows_.size()][5]));
  }
  // A submission with one field spoiled; which field varies with i.
  v1::SubmitComplaintRequest Invalid(size_t i, const std::string& prefix, absl::Time now) const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

// §3.1 the i-th (0–2) of three calls about one burst pipe at Riverside
// Court, building 88, half an hour to ten minutes before `now`: an incident.
v1::SubmitComplaintRequest BurstPipeCall(const Nyc311Complaints& data, int i,
                                         const std::string& prefix, absl::Time now);

struct Submitted {
  grpc::Status status;
  v1::SubmitComplaintResponse response;
  absl::Duration latency;
};
Submitted Submit(v1::IntakeService::Stub& intake, const v1::SubmitComplaintRequest& request);
// Submit, again while intake answers UNAVAILABLE (starting, reading back),
// up to `timeout`.
Submitted SubmitWhenServing(v1::IntakeService::Stub& intake,
                            const v1::SubmitComplaintRequest& request, absl::Duration timeout);

// Uploads `bytes` as evidence of `complaint_id` through intake's
// AttachEvidence through `intake` (whose identity must hold evidence.attach),
// in chunks of 64 KiB.
grpc::Status AttachEvidence(v1::IntakeService::Stub& intake, const std::string& complaint_id,
                            const std::string& key, const std::string& name,
                            const std::string& bytes, v1::AttachEvidenceResponse* answer);
// The bytes of an attached file, through GetEvidence.
grpc::Status FetchEvidence(v1::IntakeService::Stub& intake, const std::string& complaint_id,
                           const std::string& sha256, std::string* bytes);
// Writes records into a topic as a buggy producer with valid credentials (or
// an attacker who stole them) would: the broker's ACLs keep everyone else out
// (eventlog_broker_test), so what gets in is checked by each consumer.
class RawProducer {
 public:
  explicit RawProducer(const KafkaOptions& options);
  bool Send(absl::string_view topic, int partition, const std::string& key,
            const std::string& payload);
  // A record without a value: on a compacted topic, the key's erasure.
  bool SendTombstone(absl::string_view topic, int partition, const std::string& key);
  bool Flush();
  int sent() const { return sent_; }

 private:
  std::unique_ptr<RdKafka::Producer> producer_;
  int sent_ = 0;
};

// Every record `topic` holds now, each partition in order (payloads only).
std::vector<std::string> ReadTopic(Cluster& cluster, absl::string_view topic);

// A JPEG-looking file of `size` bytes (the magic number, then a pattern that
// varies with `seed`).
std::string PhotoBytes(size_t size, int seed);

// Runs build/tools/complaintctl/complaintctl as `identity` (mTLS) against
// the cluster's services with `args`; its exit code, with stdout and stderr
// in `output`.
int RunComplaintctl(const Cluster& cluster, const TempDir& dir, const std::string& identity,
                    const std::vector<std::string>& args, std::string* output);

// Every complaint ListComplaints gives for `request`, all pages.
std::vector<v1::WorkItem> ListAllComplaints(Cluster& cluster, v1::ListComplaintsRequest request);

// Analytics' figures over every complaint, ungrouped (GetFigures' one row);
// nullopt when analytics did not answer or has counted nothing yet.
std::optional<v1::MetricsRow> FiguresOfAll(Cluster& cluster);

// Analytics' total and its unassigned part; -1 when analytics did not answer.
struct CountTotals {
  int64_t total = -1;
  int64_t unassigned = -1;
};
CountTotals Totals(Cluster& cluster);

// Waits until analytics counts exactly `expected` complaints, all assigned.
bool WaitUntilCounted(Cluster& cluster, int64_t expected, absl::Duration timeout);

// The ids among `ids` whose tracking timeline is not exactly one Received,
// one Classified, one CallbackScheduled, one Assigned, one ReceiverBriefed,
// one ReceiverNotified and one DeadlinesSet (and at most one confirming
// VerificationRecorded; mail deliveries aside), each with a description.
std::vector<std::string> IncompleteComplaints(Cluster& cluster,
                                              const std::vector<std::string>& ids);

// Waits until IncompleteComplaints is empty; returns what is still incomplete.
std::vector<std::string> WaitUntilComplete(Cluster& cluster, const std::vector<std::string>& ids,
                                           absl::Duration timeout);

// The q-quantile (0..1) of `values`.
absl::Duration Quantile(std::vector<absl::Duration> values, double q);

// One line of a service's JSON log.
struct LogLine {
  std::string level;
  std::string msg;
  std::string complaint_id;
  std::string event_id;
  std::string causation_id;
};
// Every line of `log`; a line that is not a JSON object with ts, level,
// service (= `service`) and msg fails the test.
std::vector<LogLine> ParseLogLines(const std::string& log, absl::string_view service);

}  // namespace complaints::testing
