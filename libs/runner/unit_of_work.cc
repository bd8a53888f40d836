#include "libs/runner/unit_of_work.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/complaint/audit_chain.h"
#include "libs/complaint/view.h"
#include "libs/core/ids.h"
#include "libs/core/status_macros.h"
#include "libs/core/time_util.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/recorded_events.h"

namespace complaints {

v1::Actor ServiceActor(absl::string_view service, absl::string_view role) {
  v1::Actor actor;
  actor.set_id(std::string(service));
  actor.set_role(std::string(role));
  return actor;
}

std::string TimelinePrefix(absl::string_view complaint_id, int partitions) {
  return absl::StrCat(ComplaintKey(complaint_id, partitions), absl::string_view("\0", 1));
}

std::string TimelineKey(const v1::Envelope& event, int partitions) {
  const int64_t micros = absl::ToUnixMicros(FromProto(event.recorded_at()));
  // Writers in the order a complaint passes them, so an event never sorts
  // before the one it follows when both carry the same time (an imported
  // case's events all carry its opening time).
  const char writer_rank =
      static_cast<char>('0' + std::clamp(static_cast<int>(event.writer()), 0, 9));
  return absl::StrCat(
      TimelinePrefix(event.complaint_id(), partitions),
      EncodeOrderedKey(static_cast<uint64_t>(micros)), absl::string_view(&writer_rank, 1),
      EncodeOrderedKey(static_cast<uint64_t>(std::max<int64_t>(event.sequence(), 0))),
      event.event_id());
}

namespace {

std::string PayloadName(const v1::Envelope& event) {
  const google::protobuf::FieldDescriptor* field =
      v1::Envelope::descriptor()->FindFieldByNumber(static_cast<int>(event.payload_case()));
  return field == nullptr ? "event" : field->name();
}

// The id of the rule that decided `event`: its payload's `rule` (a RuleRef),
// or empty when the payload has none.
std::string RuleOf(const v1::Envelope& event) {
  const google::protobuf::Reflection* reflection = event.GetReflection();
  const google::protobuf::FieldDescriptor* payload =
      v1::Envelope::descriptor()->FindFieldByNumber(static_cast<int>(event.payload_case()));
  if (payload == nullptr || payload->message_type() == nullptr) return "";
  const google::protobuf::Message& message = reflection->GetMessage(event, payload);
  const google::protobuf::FieldDescriptor* rule = message.GetDescriptor()->FindFieldByName("rule");
  if (rule == nullptr || rule->message_type() != v1::RuleRef::descriptor() ||
      !message.GetReflection()->HasField(message, rule)) {
    return "";
  }
  return static_cast<const v1::RuleRef&>(message.GetReflection()->GetMessage(message, rule)).id();
}

ComplaintLogFields FieldsOf(const v1::Envelope& event) {
  return {.complaint_id = event.complaint_id(),
          .event_id = event.event_id(),
          .causation_id = event.causation_id()};
}

}  // namespace

UnitOfWork::UnitOfWork(Store* store, Outbox* outbox, Timeline timeline, RecordHook on_record,
                       ViewParts parts)
    : store_(store),
      outbox_(outbox),
      timeline_(timeline),
      parts_(parts),
      on_record_(std::move(on_record)) {}

UnitOfWork::~UnitOfWork() = default;

absl::StatusOr<const v1::ComplaintView*> UnitOfWork::View(const std::string& complaint_id) {
  return Load(complaint_id);
}

absl::StatusOr<v1::ComplaintView*> UnitOfWork::Load(const std::string& complaint_id) {
  if (auto it = views_.find(complaint_id); it != views_.end()) return it->second;
  ASSIGN_OR_RETURN(std::optional<std::string> stored,
                   store_->Get(Family::kState, ComplaintKey(complaint_id, store_->partitions())));
  auto* view = google::protobuf::Arena::CreateMessage<v1::ComplaintView>(&arena_);
  if (stored.has_value() && !view->ParseFromString(*stored)) {
    return absl::DataLossError(absl::StrCat("stored view of ", complaint_id, " is corrupt"));
  }
  views_.emplace(complaint_id, view);
  return view;
}

absl::StatusOr<bool> UnitOfWork::ApplyConsumed(const v1::Envelope& event,
                                               absl::string_view published) {
  ASSIGN_OR_RETURN(v1::ComplaintView * view, Load(event.complaint_id()));
  if (AlreadyApplied(*view, event)) return false;
  EvolveInPlace(*view, event, parts_);
  dirty_[event.complaint_id()] = true;
  AppendTimeline(event, published);
  // Per event: debug. Commands and errors are what info tells.
  if (log::Enabled(log::Level::kDebug)) {
    Note(log::Level::kDebug, FieldsOf(event),
         absl::StrCat("applied ", PayloadName(event), " of ", v1::Writer_Name(event.writer()), " #",
                      event.sequence()));
  }
  return true;
}

absl::StatusOr<std::vector<v1::Envelope>> UnitOfWork::Record(const std::string& complaint_id,
                                                             v1::Writer writer,
                                                             absl::string_view topic,
                                                             std::vector<v1::Envelope> decided,
                                                             const EventContext& context) {
  ASSIGN_OR_RETURN(v1::ComplaintView * view, Load(complaint_id));
  int64_t sequence = AppliedSequence(*view, writer);
  std::string chain = ChainHead(*view, writer);
  std::vector<std::string> serialized;
  for (v1::Envelope& event : decided) {
    event.set_complaint_id(complaint_id);
    event.set_writer(writer);
    event.set_sequence(++sequence);
    event.set_event_id(EventId(complaint_id, writer, sequence));
    if (!event.has_occurred_at()) *event.mutable_occurred_at() = ToProto(context.occurred_at);
    // A decider may date an event itself: an imported case's history.
    if (!event.has_recorded_at()) *event.mutable_recorded_at() = ToProto(context.recorded_at);
    *event.mutable_actor() = context.actor;
    event.set_causation_id(context.causation_id);
    if (!context.origin.idempotency_key().empty()) *event.mutable_origin() = context.origin;
    chain = ChainHash(chain, event);
    event.set_chain(chain);
    serialized.push_back(event.SerializeAsString());
    if (serialized.back().size() > outbox_->max_record_bytes()) {
      return Rejection(absl::ResourceExhaustedError(
          absl::StrCat(PayloadName(event), ": the event would be ", serialized.back().size(),
                       " bytes, above the ceiling of ", outbox_->max_record_bytes())));
    }
  }
  const bool debug = log::Enabled(log::Level::kDebug);
  for (size_t i = 0; i < decided.size(); ++i) {
    EvolveInPlace(*view, decided[i], parts_);
    dirty_[complaint_id] = true;
    staged_.push_back({std::string(topic), complaint_id, std::move(serialized[i])});
    // Counted in the metrics always; the line itself is per event: debug.
    notes_.push_back({log::Level::kDebug, FieldsOf(decided[i]),
                      debug ? absl::StrCat("recorded ", PayloadName(decided[i]), " #",
                                           decided[i].sequence(), " on ", topic)
                            : std::string(),
                      PayloadName(decided[i]), RuleOf(decided[i])});
    AppendTimeline(decided[i], staged_.back().payload);
    if (on_record_) RETURN_IF_ERROR(on_record_(*this, decided[i], *view));
  }
  return decided;
}

UnitOfWork::Savepoint UnitOfWork::Mark(const std::string& complaint_id) {
  Savepoint savepoint{complaint_id, nullptr, false, batch_.size(), staged_.size(), notes_.size()};
  if (auto it = views_.find(complaint_id); it != views_.end()) {
    marked_ = *it->second;
    savepoint.view = &marked_;
  }
  if (auto it = dirty_.find(complaint_id); it != dirty_.end()) savepoint.dirty = it->second;
  return savepoint;
}

void UnitOfWork::Rollback(const Savepoint& savepoint) {
  if (savepoint.view != nullptr) {
    v1::ComplaintView*& view = views_[savepoint.complaint_id];
    if (view == nullptr) view = google::protobuf::Arena::CreateMessage<v1::ComplaintView>(&arena_);
    *view = *savepoint.view;
  } else {
    views_.erase(savepoint.complaint_id);
  }
  dirty_[savepoint.complaint_id] = savepoint.dirty;
  batch_.Truncate(savepoint.batch_size);
  staged_.resize(std::min(staged_.size(), savepoint.staged));
  notes_.resize(std::min(notes_.size(), savepoint.notes));
}

namespace {
constexpr char kRejectionPayload[] = "complaints.v1/rejection";
}  // namespace

absl::Status Rejection(absl::Status status) {
  if (!status.ok()) status.SetPayload(kRejectionPayload, absl::Cord("1"));
  return status;
}

bool IsRejection(const absl::Status& status) {
  return status.GetPayload(kRejectionPayload).has_value();
}

void UnitOfWork::AppendTimeline(const v1::Envelope& event, absl::string_view bytes) {
  if (timeline_ != Timeline::kKeep) return;
  // Without its authentication (checked when it was consumed): an event is
  // kept alike whether recorded here or read back from the topic.
  if (const std::optional<SignedRecord> split = SplitSigned(bytes); split.has_value()) {
    bytes = split->body;
  }
  batch_.Put(Family::kTimeline, TimelineKey(event, store_->partitions()), bytes);
}

absl::Status UnitOfWork::Publish(OutboxRecord record) {
  if (record.payload.size() > outbox_->max_record_bytes()) {
    return absl::ResourceExhaustedError(
        absl::StrCat("a record for ", record.topic, " would be ", record.payload.size(),
                     " bytes, above the ceiling of ", outbox_->max_record_bytes()));
  }
  staged_.push_back(std::move(record));
  return absl::OkStatus();
}

void UnitOfWork::Note(log::Level level, ComplaintLogFields fields, std::string message) {
  notes_.push_back({level, std::move(fields), std::move(message), ""});
}

absl::Status UnitOfWork::Commit(Durability durability) {
  for (const auto& [id, dirty] : dirty_) {
    // A view is dirty only while loaded (Rollback unloads it clean).
    if (auto view = views_.find(id); dirty && view != views_.end()) {
      batch_.Put(Family::kState, ComplaintKey(id, store_->partitions()),
                 view->second->SerializeAsString());
    }
  }
  // Behind only when nothing is told before it lands: no record for the
  // relay to publish, no log line.
  if (durability == Durability::kBehind && (!staged_.empty() || !notes_.empty())) {
    durability = Durability::kBuffered;
  }
  Outbox::Ticket ticket = outbox_->Stage(batch_, staged_);
  absl::Status status = durability == Durability::kBehind
                            ? store_->Write(std::move(batch_), durability)
                            : store_->Write(batch_, durability);
  outbox_->Settle(ticket, status.ok(), durability);
  if (status.ok()) {
    for (const PendingNote& note : notes_) {
      if (!note.recorded_payload.empty()) {
        RecordedEvents::Add(note.recorded_payload, note.recorded_rule);
      }
      if (note.message.empty() || !log::Enabled(note.level)) continue;
      const ComplaintLogScope scope(note.fields);
      log::At(note.level, "{}", note.message);
    }
  }
  notes_.clear();
  views_.clear();
  arena_.Reset();
  dirty_.clear();
  staged_.clear();
  batch_ = Batch();
  return status;
}

}  // namespace complaints
