#pragma once
// A service declared: what it takes as commands, how it reacts to other
// services' events, and which projections it keeps. The runtime (SpecRunner;
// SpecService for gRPC) executes the declaration the same way for every
// service:
//  - a command: its RPC (a proto method), validation of the request into a
//    decision, and the decider behind it. The runtime checks the idempotency
//    key and the complaint, admits the actor (ServiceSpec::admit), decides,
//    records the events and answers with the complaint's CommandOutcome;
//  - a policy: a consumed event to an optional decision (a command for the
//    decider), recorded as the service, caused by the event;
//  - a projection: a fold over each complaint a unit of work changed, run on
//    the command path and on the consumer path alike.
// Decisions are pure apart from what they read from the unit's projections;
// all writing is the runtime's.

#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <typeinfo>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"
#include "google/protobuf/descriptor.h"
#include "libs/runner/unit_of_work.h"

namespace complaints {

// The events of one change, in order, read-only. It points at them rather
// than holding copies: a consumed event is lent by the applier for its
// reaction (a copy per consumed event, and its destruction, were 8 % of
// analytics' replay), decided ones are held by the unit's change.
class ChangeEvents {
 public:
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = v1::Envelope;
    using difference_type = std::ptrdiff_t;
    using pointer = const v1::Envelope*;
    using reference = const v1::Envelope&;

    const_iterator() = default;
    explicit const_iterator(std::vector<const v1::Envelope*>::const_iterator at) : at_(at) {}
    reference operator*() const { return **at_; }
    pointer operator->() const { return *at_; }
    const_iterator& operator++() {
      ++at_;
      return *this;
    }
    const_iterator operator++(int) {
      const const_iterator was = *this;
      ++at_;
      return was;
    }
    bool operator==(const const_iterator& other) const = default;

   private:
    std::vector<const v1::Envelope*>::const_iterator at_;
  };

  // `event` must outlive every use of this.
  void Add(const v1::Envelope* event) { events_.push_back(event); }

  size_t size() const { return events_.size(); }
  bool empty() const { return events_.empty(); }
  const v1::Envelope& operator[](size_t index) const { return *events_[index]; }
  const v1::Envelope& front() const { return *events_.front(); }
  const_iterator begin() const { return const_iterator(events_.begin()); }
  const_iterator end() const { return const_iterator(events_.end()); }

 private:
  std::vector<const v1::Envelope*> events_;
};

// One complaint a unit of work changed: its view before and after, and the
// events that moved it (the consumed one, then those decided from it). A
// decision that records events on other complaints changes them too; each
// is folded as a change of its own.
struct ChangedComplaint {
  const std::string& complaint_id;
  const v1::ComplaintView& before;
  const v1::ComplaintView& after;
  const ChangeEvents& events;
  // How many of `events`, from the first, were consumed (read from a topic,
  // the service's own included) rather than decided in this unit.
  size_t consumed = 0;
  bool Decided(size_t index) const { return index >= consumed; }
};

// A projection's work within one unit (a command, or a consumed batch): what
// it loaded once for the unit, and the fold that stages its changes.
class ProjectionFold {
 public:
  virtual ~ProjectionFold() = default;
  virtual absl::Status Fold(Batch& batch, const ChangedComplaint& change) = 0;
  // What the projection publishes beside its writes since the last call (a
  // new data key to its compacted topic), staged with them in the unit.
  virtual std::vector<OutboxRecord> TakePublications() { return {}; }
};

struct ProjectionSpec {
  std::string name;
  // Starts the projection's work for one unit of work.
  std::function<absl::StatusOr<std::unique_ptr<ProjectionFold>>()> begin;
  // True when its state is shared by many complaints (a workload): commands
  // then run one at a time, never beside a consumed batch.
  bool spans_complaints = false;
};

// What a decision sees of its unit of work besides the complaint's view.
class DecisionUnit {
 public:
  DecisionUnit(absl::Time now, std::vector<std::unique_ptr<ProjectionFold>>* folds,
               UnitOfWork* unit, const std::string& complaint_id)
      : now_(now), folds_(folds), unit_(unit), complaint_id_(complaint_id) {}
  absl::Time now() const { return now_; }
  // The complaint decided about (a new one's id, which its empty view lacks).
  const std::string& complaint_id() const { return complaint_id_; }
  // Another complaint's view as of this unit (a link's primary); an empty
  // view for an unknown id.
  absl::StatusOr<v1::ComplaintView> ViewOf(const std::string& complaint_id) const {
    absl::StatusOr<const v1::ComplaintView*> view = unit_->View(complaint_id);
    if (!view.ok()) return view.status();
    return **view;
  }
  // The unit's fold of type `Fold` (as its ProjectionSpec::begin made it).
  template <typename Fold>
  Fold& projection() const {
    for (const std::unique_ptr<ProjectionFold>& fold : *folds_) {
      if (auto* typed = dynamic_cast<Fold*>(fold.get())) return *typed;
    }
    Missing(typeid(Fold).name());
  }

 private:
  [[noreturn]] static void Missing(const char* type);
  absl::Time now_;
  std::vector<std::unique_ptr<ProjectionFold>>* folds_;
  UnitOfWork* unit_;
  const std::string& complaint_id_;
};

// An act of the service on its own (a timer fired, a mail sent): a decision
// about one complaint, recorded as the service in `role`, caused by
// `causation_id`. An act a person asked for (a read of personal data) names
// them as `actor` and is synced before the caller sees anything.
struct Act {
  std::string complaint_id;
  std::string role = "";
  std::string causation_id = "";
  std::optional<v1::Actor> actor = std::nullopt;
};

// A decision about one complaint: the events decided from its view (payloads
// only; the runtime completes the envelopes), or why not. An event that
// names another complaint (complaint_id set) is recorded on that one (an
// incident's founding complaints). INVALID_ARGUMENT, FAILED_PRECONDITION,
// NOT_FOUND, ALREADY_EXISTS, PERMISSION_DENIED and OUT_OF_RANGE are the
// decider's refusal (a consumed record that asked for it becomes a dead
// letter); any other error is a failure (the batch is retried).
using Decision = std::function<absl::StatusOr<std::vector<v1::Envelope>>(
    const v1::ComplaintView& view, const DecisionUnit& unit)>;

// A decider's Decide(command, view) as a Decision.
template <typename Decider, typename Command>
Decision Decide(const Decider* decider, Command command) {
  return
      [decider, command = std::move(command)](const v1::ComplaintView& view, const DecisionUnit&) {
        return decider->Decide(command, view);
      };
}

// What the request of a command that opens a complaint validates into.
struct Opened {
  std::string key;          // its idempotency key: the request's, or derived from it
  bool key_expires = true;  // false: a key naming another system's record
  std::string causation;    // recorded as the events' cause
  Decision decision;        // about the new complaint, from its empty view
  // Decided next, on the view `decision` left (a submission's call-back);
  // null: nothing.
  Decision then = nullptr;
};

// Fills a command's answer (its CommandOutcome; an opening command's whole
// response) from the complaint's view after it, so the answer a rebuild
// restores is the one first given.
using Answer =
    std::function<void(const v1::ComplaintView& view, google::protobuf::Message* answer)>;

struct CommandSpec {
  // The RPC; its request has `idempotency_key` and `complaint_id`, its
  // response a CommandOutcome `outcome`.
  const google::protobuf::MethodDescriptor* method = nullptr;
  // Validates the request (INVALID_ARGUMENT naming the field) into the
  // decision, before anything is read or written.
  std::function<absl::StatusOr<Decision>(const google::protobuf::Message& request,
                                         const v1::Actor& actor)>
      validate = nullptr;
  // A command that opens a complaint instead (validate is then null): the
  // runtime names the complaint (ServiceSpec::name_complaint), decides on its
  // empty view and answers the whole response through `answer`, with its
  // `duplicate` set for a repeat.
  std::function<absl::StatusOr<Opened>(const google::protobuf::Message& request,
                                       const v1::Actor& actor)>
      open = nullptr;
  // Null: the CommandOutcome as the view gives it (OutcomeOf).
  Answer answer = nullptr;
};

// A command whose request is a `Request`.
template <typename Request>
CommandSpec Command(
    const google::protobuf::MethodDescriptor* method,
    std::function<absl::StatusOr<Decision>(const Request&, const v1::Actor&)> validate) {
  return {method, [validate = std::move(validate)](const google::protobuf::Message& request,
                                                   const v1::Actor& actor) {
            return validate(static_cast<const Request&>(request), actor);
          }};
}

// A command that opens a complaint, whose request is a `Request`.
template <typename Request>
CommandSpec Opening(const google::protobuf::MethodDescriptor* method,
                    std::function<absl::StatusOr<Opened>(const Request&, const v1::Actor&)> open,
                    Answer answer) {
  CommandSpec spec{.method = method};
  spec.open = [open = std::move(open)](const google::protobuf::Message& request,
                                       const v1::Actor& actor) {
    return open(static_cast<const Request&>(request), actor);
  };
  spec.answer = std::move(answer);
  return spec;
}

struct PolicySpec {
  // The role the service acts in (the events' actor): "routing-policy".
  std::string role;
  // The decision a consumed event calls for, given the complaint's view
  // before and after it; nullopt: none.
  std::function<std::optional<Decision>(const v1::Envelope& event, const v1::ComplaintView& before,
                                        const v1::ComplaintView& after)>
      when;
};

// Whether `actor` may act on the complaint `view` shows (OK, or
// PERMISSION_DENIED saying why not).
using Admission =
    std::function<absl::Status(const v1::Actor& actor, const v1::ComplaintView& view)>;

struct ServiceSpec {
  std::string service;  // "dispatch": the actor of policies
  v1::Writer writer = v1::WRITER_UNSPECIFIED;
  std::string topic;  // where the service's events go
  Timeline timeline = Timeline::kSkip;
  // What of each view the service keeps: kWithoutTimers unless it reads the
  // clock's scheduled timers (tracking).
  ViewParts view_parts = ViewParts::kWhole;
  std::vector<CommandSpec> commands = {};
  std::vector<PolicySpec> policies = {};  // tried in order; each may decide
  std::vector<ProjectionSpec> projections = {};
  // Whether `actor` may act on the complaint `view` shows (a handler only on
  // what they or their department hold); null: every admitted caller may.
  Admission admit = nullptr;
  // Whether the service takes commands now (UNAVAILABLE while it rebuilds,
  // or while too much waits for Kafka); null: always.
  std::function<absl::Status()> ready = nullptr;
  // The id of a complaint an opening command makes at `now`.
  std::function<std::string(absl::Time now)> name_complaint = nullptr;
  // What an event the service decides now tells the world beyond its topic
  // (tracking's notifications), given the complaint's view after it;
  // published with the events. Never called for an event read back, so a
  // rebuild tells nobody anything again. Null: nothing.
  std::function<std::vector<OutboxRecord>(const v1::Envelope& recorded,
                                          const v1::ComplaintView& after)>
      announce = nullptr;
  // True when a projection must fold every consumed event, even one the
  // service's own events answered already (read back before it in a
  // rebuild); policies still skip those. False: neither sees them.
  bool projections_see_answered = false;
};

// The method `name` of `service`; aborts when there is none, so a misspelt
// name stops the service (and every test that builds it) at start.
const google::protobuf::MethodDescriptor* MethodOf(
    const google::protobuf::ServiceDescriptor* service, const std::string& name);

}  // namespace complaints
