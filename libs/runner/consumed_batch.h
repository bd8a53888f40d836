#pragma once
// Applies consumed records strictly (libs/runner/consumption.h), so that no
// record can stop the flow (docs/architecture.md invariant 6):
//  - each applied event is folded into its complaint's view and `react` runs
//    for it (policies decide follow-up events there);
//  - a record that fails the checks, or that a decider refuses (a Rejection),
//    becomes a dead letter and changes nothing else;
//  - a record that arrives before the one it follows is parked for that
//    complaint alone and applied when its predecessor arrives; one parked for
//    longer than `park_timeout` (found through a time index, so a sweep reads
//    only those), or past `max_parked_per_complaint` or `max_parked_total`,
//    becomes a dead letter (the parked family: libs/runner/parked_records.h);
//  - views, follow-up events, parked records, dead letters and the consumed
//    offsets are written in one batch; the relay syncs the WAL before it
//    publishes events decided in it (Outbox), so nothing published can be
//    lost by a machine crash and decided differently after it.
// Errors that are not the record's (the store) fail the whole batch, which the
// consumer retries. Apply, Sweep and Retry are serialised; the counts are
// safe to read from any thread.

#include <atomic>
#include <functional>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/core/clock.h"
#include "libs/runner/check_ahead.h"
#include "libs/runner/dead_letters.h"
#include "libs/runner/published_offsets.h"
#include "libs/runner/record_auth.h"
#include "libs/runner/records.h"
#include "libs/runner/unit_of_work.h"
#include "libs/runner/write_gate.h"

namespace complaints {

// Called with the view before and after `event` was applied, and the batch's time.
using Reaction = std::function<absl::Status(UnitOfWork& unit, const v1::Envelope& event,
                                            const v1::ComplaintView& before,
                                            const v1::ComplaintView& after, absl::Time now)>;
// Builds the reaction for one batch; per-batch caches live in what it captures.
using ReactionFactory = std::function<absl::StatusOr<Reaction>()>;

// What every service's shell hands its app: the runtime's store, outbox and
// dead letters, the clock, and how long a consumed record may wait.
struct RunnerParts {
  Store* store = nullptr;
  Outbox* outbox = nullptr;
  DeadLetters* dead_letters = nullptr;
  const Clock* clock = nullptr;
  absl::Duration park_timeout = absl::Minutes(10);
  // Shared by the consumer, the commands and the timers of one service.
  WriteGate* gate = nullptr;
  // Where the service's relay published its own records (null: nowhere known).
  PublishedOffsets* published = nullptr;
};

struct ApplierOptions {
  // The writer this service is (WRITER_UNSPECIFIED when it writes no events).
  // Its own events, read back from its topic, rebuild its sub-state; a
  // consumed event its own events already answered is not reacted to again,
  // so a rebuild decides nothing anew (docs/architecture.md invariant 7).
  v1::Writer self = v1::WRITER_UNSPECIFIED;
  Store* store = nullptr;
  Outbox* outbox = nullptr;
  DeadLetters* dead_letters = nullptr;
  const Clock* clock = nullptr;
  Timeline timeline = Timeline::kSkip;
  ViewParts view_parts = ViewParts::kWhole;
  // A consumed event this service's own events already answered is not
  // reacted to. False for a service whose reaction also keeps projections
  // (analytics' counts), which must see every event: it checks Answered
  // itself before deciding.
  bool skip_answered = true;
  absl::Duration park_timeout = absl::Minutes(10);
  size_t max_parked_per_complaint = 100;
  // Beyond this many parked records in all, a record that would wait is a
  // dead letter at once (a flood of gaps must not grow the store without end).
  size_t max_parked_total = 100'000;
  absl::Duration sweep_interval = absl::Seconds(1);
  // Batches run alone through the gate (null: no other writer exists).
  WriteGate* gate = nullptr;
  // What the service's decisions announce (SpecRunner; service_spec.h).
  RecordHook record_hook = nullptr;
  // Verifies each record before it is applied (required).
  const RecordAuthority* authority = nullptr;
  // The service's own records published by this process, read back live:
  // passed by unchecked (published_offsets.h). Null: every record is checked.
  PublishedOffsets* published = nullptr;
};

// The applier options of a service that writes as `self` (WRITER_UNSPECIFIED:
// none), with the usual bounds; records are verified by the outbox's authority.
ApplierOptions ApplierFor(const RunnerParts& parts, v1::Writer self, Timeline timeline);

class ConsumedApplier {
 public:
  // Everything in `options` must outlive the applier.
  ConsumedApplier(ApplierOptions options, ReactionFactory reactions)
      : options_(options),
        reactions_(std::move(reactions)),
        check_ahead_(options_.store->partitions(), options_.authority) {}

  // The EventConsumer handler. An empty batch only sweeps. A replay's
  // batches may be written Durability::kBehind (the store lands each before
  // the next; a batch that publishes or logs is written at once).
  absl::Status Apply(const std::vector<ConsumedRecord>& records,
                     Durability durability = Durability::kBuffered);

  // Moves records parked for longer than park_timeout to the dead letters.
  absl::Status Sweep();

  // Runs a consumed record's dead letter through the checks and the decider
  // again: "APPLIED", "PARKED" or "ALREADY_APPLIED", the letter removed; when
  // it fails again, FAILED_PRECONDITION with the new reason and the letter kept.
  absl::StatusOr<std::string> Retry(const v1::DeadLetter& letter);

  // Own records passed by unchecked since the applier was made.
  uint64_t passed_by() const { return passed_by_total_.load(); }
  uint64_t parked() const { return static_cast<uint64_t>(std::max<int64_t>(parked_.load(), 0)); }
  // Records that had to wait (were parked) since the applier was made.
  uint64_t parked_since_start() const { return parked_since_start_.load(); }

 private:
  class Run;
  absl::Status CommitRun(Run& run, Durability durability = Durability::kBuffered)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Counts the stored parked records once, on first use.
  absl::Status CountParked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Flags in passed_by_ the records this process's relay published.
  void MarkPassedBy(const std::vector<ConsumedRecord>& records) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  ApplierOptions options_;
  ReactionFactory reactions_;
  absl::Mutex mu_;
  CheckAhead check_ahead_ ABSL_GUARDED_BY(mu_);
  absl::Time last_sweep_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  bool counted_ ABSL_GUARDED_BY(mu_) = false;
  // The complaints that may have parked records (a superset: a complaint
  // stays until the next count), so that an applied event looks for parked
  // ones to drain only when its complaint has some. Counted again when it
  // grows well past the parked records.
  absl::flat_hash_set<std::string> parked_ids_ ABSL_GUARDED_BY(mu_);
  std::atomic<int64_t> parked_{0};
  std::atomic<uint64_t> passed_by_total_{0};
  std::vector<bool> passed_by_ ABSL_GUARDED_BY(mu_);  // the batch's, reused
  std::atomic<uint64_t> parked_since_start_{0};
};

}  // namespace complaints
