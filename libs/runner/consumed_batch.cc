#include "libs/runner/consumed_batch.h"

#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "libs/complaint/view.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"
#include "libs/runner/consumption.h"
#include "libs/runner/parked_records.h"

namespace complaints {
namespace {

enum class Outcome { kApplied, kParked, kSkipped, kDead };

std::string RecordPlace(const ConsumedRecord& record) {
  return absl::StrCat(record.topic, "/", record.partition, "@", record.offset);
}

}  // namespace

// One unit of work of the applier: the records of one batch (or one retry or
// sweep), with the parked records it added or removed on top of the store's.
class ConsumedApplier::Run {
 public:
  // `parked` is how many records the store holds parked, `parked_ids` the
  // complaints they may belong to.
  Run(const ApplierOptions& options, Reaction react, absl::Time now, int64_t parked,
      const absl::flat_hash_set<std::string>* parked_ids)
      : options_(options),
        parked_ids_(parked_ids),
        unit_(options.store, options.outbox, options.timeline, options.record_hook,
              options.view_parts),
        changes_(options.store, &unit_.batch()),
        react_(std::move(react)),
        now_(now),
        parked_before_(parked),
        any_parked_(parked > 0) {}

  UnitOfWork& unit() { return unit_; }
  int64_t parked_delta() const { return parked_delta_; }
  uint64_t newly_parked() const { return newly_parked_; }
  const std::vector<v1::DeadLetterKind>& new_letters() const { return new_letters_; }
  const std::vector<v1::DeadLetterKind>& retired_letters() const { return retired_letters_; }
  const std::string& last_reason() const { return last_reason_; }
  const std::set<std::string>& parked_here() const { return parked_here_; }

  // Checks and applies, parks or dead-letters `record`. `retrying` is the
  // letter being re-driven, if any. Errors are the store's, never the record's.
  absl::StatusOr<Outcome> Process(const CheckedRecord& checked, const v1::DeadLetter* retrying) {
    const ConsumedRecord& record = *checked.record;
    const v1::Envelope& event = *checked.event;
    Verdict verdict = checked.verdict;
    if (verdict.action == Verdict::kApply) {
      ASSIGN_OR_RETURN(const v1::ComplaintView* view, unit_.View(event.complaint_id()));
      verdict = CheckOrder(event, *view, options_.self);
    }
    switch (verdict.action) {
      case Verdict::kSkip:
        return Outcome::kSkipped;
      case Verdict::kDeadLetter:
        Dead(record, verdict.kind, verdict.reason, retrying);
        return Outcome::kDead;
      case Verdict::kPark:
        return Park(record, event, verdict.reason, retrying);
      case Verdict::kApply:
        break;
    }
    ASSIGN_OR_RETURN(bool applied, ApplyEvent(record, event, retrying));
    if (!applied) return Outcome::kDead;
    RETURN_IF_ERROR(DrainParked(event.complaint_id()));
    return Outcome::kApplied;
  }

  // Dead-letters every parked record that has waited longer than park_timeout.
  absl::Status SweepExpired() {
    return changes_.Expired(
        now_ - options_.park_timeout + absl::Microseconds(1),
        [&](const std::string& key, const v1::ParkedRecord& parked) {
          Unpark(key, parked);
          Dead(FromRaw(parked.record()), parked.kind_on_timeout(),
               absl::StrCat("waited ", absl::FormatDuration(now_ - FromProto(parked.parked_at())),
                            " for ", parked.waiting_for()),
               nullptr);
          return absl::OkStatus();
        });
  }

 private:
  // Applies `event` and runs the reaction; a Rejection undoes both and
  // dead-letters the record (returns false).
  absl::StatusOr<bool> ApplyEvent(const ConsumedRecord& record, const v1::Envelope& event,
                                  const v1::DeadLetter* retrying) {
    // The savepoint's copy of the view is the one the reaction sees as before.
    RETURN_IF_ERROR(unit_.View(event.complaint_id()).status());
    const UnitOfWork::Savepoint savepoint = unit_.Mark(event.complaint_id());
    const v1::ComplaintView& before = *savepoint.view;
    ASSIGN_OR_RETURN(bool applied, unit_.ApplyConsumed(event, record.payload));
    if (!applied) return true;
    ASSIGN_OR_RETURN(const v1::ComplaintView* after, unit_.View(event.complaint_id()));
    if (options_.skip_answered && event.writer() != options_.self &&
        Answered(*after, options_.self, event.event_id())) {
      return true;  // decided before this service's state was rebuilt
    }
    absl::Status reacted = react_(unit_, event, before, *after, now_);
    if (reacted.ok()) return true;
    if (!IsRejection(reacted)) return reacted;
    unit_.Rollback(savepoint);
    Dead(record, v1::DEAD_LETTER_KIND_REJECTED,
         reacted.ToString(absl::StatusToStringMode::kWithNoExtraData), retrying);
    return false;
  }

  absl::StatusOr<Outcome> Park(const ConsumedRecord& record, const v1::Envelope& event,
                               const std::string& waiting_for, const v1::DeadLetter* retrying) {
    ASSIGN_OR_RETURN(auto parked, changes_.For(event.complaint_id()));
    const std::string key = changes_.KeyOf(event);
    const v1::ParkedRecord* replaced = nullptr;
    for (const auto& [parked_key, entry] : parked) {
      if (parked_key == key) replaced = &entry;
    }
    const bool replaces = replaced != nullptr;
    if (!replaces &&
        parked_before_ + parked_delta_ >= static_cast<int64_t>(options_.max_parked_total)) {
      Dead(record, v1::DEAD_LETTER_KIND_PARK_OVERFLOW,
           absl::StrCat(parked_before_ + parked_delta_,
                        " records are parked already, the most this service holds; this one "
                        "waited for ",
                        waiting_for),
           retrying);
      return Outcome::kDead;
    }
    if (!replaces && parked.size() >= options_.max_parked_per_complaint) {
      Dead(record, v1::DEAD_LETTER_KIND_PARK_OVERFLOW,
           absl::StrCat(parked.size(), " records are parked for complaint ", event.complaint_id(),
                        " already; this one waited for ", waiting_for),
           retrying);
      return Outcome::kDead;
    }
    v1::ParkedRecord entry;
    *entry.mutable_record() = ToRaw(record);
    entry.set_waiting_for(waiting_for);
    *entry.mutable_parked_at() = ToProto(now_);
    entry.set_kind_on_timeout(absl::StartsWith(waiting_for, "the complaint's receipt")
                                  ? v1::DEAD_LETTER_KIND_PREREQUISITE_TIMEOUT
                                  : v1::DEAD_LETTER_KIND_GAP_TIMEOUT);
    changes_.Park(key, std::move(entry), replaced);
    // Usual when a complaint's events come on several topics: a debug line
    // (one that waits too long becomes a dead letter, a warning).
    if (log::Enabled(log::Level::kDebug)) {
      unit_.Note(log::Level::kDebug,
                 {.complaint_id = event.complaint_id(),
                  .event_id = event.event_id(),
                  .causation_id = event.causation_id()},
                 absl::StrCat("parked ", RecordPlace(record), ": waiting for ", waiting_for));
    }
    if (!replaces) ++parked_delta_;
    ++newly_parked_;
    parked_here_.insert(event.complaint_id());
    any_parked_ = true;
    return Outcome::kParked;
  }

  void Unpark(const std::string& key, const v1::ParkedRecord& entry) {
    changes_.Release(key, entry);
    --parked_delta_;
  }

  // Applies what was parked for the complaint and can go now, until nothing can.
  absl::Status DrainParked(const std::string& complaint_id) {
    if (!any_parked_) return absl::OkStatus();
    if (!parked_ids_->contains(complaint_id) && parked_here_.count(complaint_id) == 0) {
      return absl::OkStatus();
    }
    // Read once: nothing parks for this complaint while its records drain,
    // so only the Unparks below change what waits.
    struct Waiting {
      std::string key;
      v1::ParkedRecord entry;
      ConsumedRecord record;
      v1::Envelope event;
    };
    std::vector<Waiting> waiting;
    {
      ASSIGN_OR_RETURN(auto parked, changes_.For(complaint_id));
      for (auto& [key, entry] : parked) {
        Waiting next{key, std::move(entry), {}, {}};
        next.record = FromRaw(next.entry.record());
        // Checked before it was parked.
        if (DecodeEnvelope(next.record, &next.event)) waiting.push_back(std::move(next));
      }
    }
    for (bool progress = true; progress;) {
      progress = false;
      for (auto it = waiting.begin(); it != waiting.end(); ++it) {
        ASSIGN_OR_RETURN(const v1::ComplaintView* view, unit_.View(complaint_id));
        const Verdict verdict = CheckOrder(it->event, *view, options_.self);
        if (verdict.action == Verdict::kPark) continue;
        Unpark(it->key, it->entry);
        const Waiting next = std::move(*it);
        waiting.erase(it);
        progress = true;
        if (verdict.action == Verdict::kApply) {
          ASSIGN_OR_RETURN(bool applied, ApplyEvent(next.record, next.event, nullptr));
          (void)applied;
        }
        break;  // the view changed: look again from the start
      }
    }
    return absl::OkStatus();
  }

  void Dead(const ConsumedRecord& record, v1::DeadLetterKind kind, const std::string& reason,
            const v1::DeadLetter* retrying) {
    v1::DeadLetter letter = MakeDeadLetter(DeadLetterId(record), ToRaw(record), kind, reason, now_);
    if (retrying != nullptr && retrying->id() == letter.id()) {
      letter.set_retries(retrying->retries() + 1);
      if (retrying->kind() != kind) {  // the same letter, counted under its new kind
        retired_letters_.push_back(retrying->kind());
        new_letters_.push_back(kind);
      }
    } else {
      new_letters_.push_back(kind);
    }
    options_.dead_letters->Stage(unit_.batch(), letter);
    unit_.Note(log::Level::kWarn, {.complaint_id = EscapedPrefix(record.key, 80)},
               absl::StrCat("dead letter ", v1::DeadLetterKind_Name(kind), " from ",
                            RecordPlace(record), ": ", EscapedPrefix(reason, 200)));
    last_reason_ = reason;
  }

  const ApplierOptions& options_;
  const absl::flat_hash_set<std::string>* parked_ids_;
  std::set<std::string> parked_here_;  // complaints this run parked records of
  UnitOfWork unit_;
  ParkedChanges changes_;  // stages in unit_'s batch
  Reaction react_;
  const absl::Time now_;
  const int64_t parked_before_;
  bool any_parked_;
  int64_t parked_delta_ = 0;
  uint64_t newly_parked_ = 0;
  std::vector<v1::DeadLetterKind> new_letters_;
  std::vector<v1::DeadLetterKind> retired_letters_;
  std::string last_reason_;
};

ApplierOptions ApplierFor(const RunnerParts& parts, v1::Writer self, Timeline timeline) {
  return {.self = self,
          .store = parts.store,
          .outbox = parts.outbox,
          .dead_letters = parts.dead_letters,
          .clock = parts.clock,
          .timeline = timeline,
          .park_timeout = parts.park_timeout,
          .gate = parts.gate,
          .authority = &parts.outbox->authority(),
          .published = parts.published};
}

absl::Status ConsumedApplier::CountParked() {
  if (counted_) return absl::OkStatus();
  parked_ids_.clear();
  Batch index;
  ASSIGN_OR_RETURN(const int64_t parked,
                   ParkedChanges::CountStored(*options_.store, parked_ids_, index));
  if (!index.empty()) RETURN_IF_ERROR(options_.store->Write(index, Durability::kBuffered));
  parked_ = parked;
  counted_ = true;
  return absl::OkStatus();
}

absl::Status ConsumedApplier::CommitRun(Run& run, Durability durability) {
  // Buffered at most: the relay syncs before it publishes any event decided
  // here (Outbox).
  RETURN_IF_ERROR(run.unit().Commit(durability));
  parked_ += run.parked_delta();
  parked_since_start_ += run.newly_parked();
  parked_ids_.insert(run.parked_here().begin(), run.parked_here().end());
  if (parked_ids_.size() > 1000 + 2 * static_cast<size_t>(std::max<int64_t>(parked_.load(), 0))) {
    counted_ = false;  // mostly drained: count the ones left on the next batch
  }
  for (v1::DeadLetterKind kind : run.new_letters()) options_.dead_letters->Added(kind);
  for (v1::DeadLetterKind kind : run.retired_letters()) options_.dead_letters->Removed(kind);
  return absl::OkStatus();
}

absl::Status ConsumedApplier::Apply(const std::vector<ConsumedRecord>& records,
                                    Durability durability) {
  absl::MutexLock lock(&mu_);
  WriteGate::Exclusive alone(options_.gate);
  RETURN_IF_ERROR(CountParked());
  const absl::Time now = options_.clock->Now();
  ASSIGN_OR_RETURN(Reaction react, reactions_());
  Run run(options_, std::move(react), now, parked_.load(), &parked_ids_);
  MarkPassedBy(records);
  RETURN_IF_ERROR(check_ahead_.ForEach(records, passed_by_, [&](const CheckedRecord& checked) {
    return run.Process(checked, nullptr).status();
  }));
  StageConsumedOffsets(run.unit().batch(), records);
  if (now - last_sweep_ >= options_.sweep_interval && parked_.load() > 0) {
    RETURN_IF_ERROR(run.SweepExpired());
  }
  RETURN_IF_ERROR(CommitRun(run, durability));
  if (now - last_sweep_ >= options_.sweep_interval) last_sweep_ = now;
  return absl::OkStatus();
}

void ConsumedApplier::MarkPassedBy(const std::vector<ConsumedRecord>& records) {
  passed_by_.clear();
  if (options_.published == nullptr) return;
  uint64_t passed = 0;
  passed_by_.resize(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    const ConsumedRecord& record = records[i];
    passed_by_[i] = options_.published->Take(record.topic, record.partition, record.offset);
    passed += passed_by_[i] ? 1 : 0;
  }
  passed_by_total_ += passed;
}

absl::Status ConsumedApplier::Sweep() { return Apply({}); }

absl::StatusOr<std::string> ConsumedApplier::Retry(const v1::DeadLetter& letter) {
  absl::MutexLock lock(&mu_);
  WriteGate::Exclusive alone(options_.gate);
  RETURN_IF_ERROR(CountParked());
  ASSIGN_OR_RETURN(Reaction react, reactions_());
  Run run(options_, std::move(react), options_.clock->Now(), parked_.load(), &parked_ids_);
  const ConsumedRecord record = FromRaw(letter.record());
  google::protobuf::Arena arena;
  ASSIGN_OR_RETURN(Outcome outcome,
                   run.Process(CheckAhead::CheckOne(record, options_.store->partitions(),
                                                    *options_.authority, &arena),
                               &letter));
  if (outcome != Outcome::kDead) options_.dead_letters->StageRemoval(run.unit().batch(), letter);
  RETURN_IF_ERROR(CommitRun(run));
  switch (outcome) {
    case Outcome::kApplied:
      options_.dead_letters->Removed(letter.kind());
      return std::string("APPLIED");
    case Outcome::kParked:
      options_.dead_letters->Removed(letter.kind());
      return std::string("PARKED");
    case Outcome::kSkipped:
      options_.dead_letters->Removed(letter.kind());
      return std::string("ALREADY_APPLIED");
    case Outcome::kDead:
      break;
  }
  return absl::FailedPreconditionError(absl::StrCat("failed again: ", run.last_reason()));
}

}  // namespace complaints
