// §3.1 / §5.1 incidents in the analytics shell. When a complaint first
// becomes groupable (received and classified), the detector observes it in
// its group's state (family kIncidents, one key per group: the detector sees
// every partition's complaints, so this family is not partitioned); a new
// incident is recorded on each founding complaint (IncidentDetected), a new
// member on its own (IncidentGrown: domain IncidentEvents), written by
// analytics to its topic in the same batch as the state. Analytics' own events read back (a
// rebuild) restore the groups and summaries without deciding anything.
//
// Keys: "G<group key>" -> IncidentGroupState; "I<incident id>" -> Incident;
// "B…" the background's daily counts (category_days.h).
#include "services/analytics/app/incident_fold.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/complaint/view.h"
#include "libs/core/status_macros.h"
#include "libs/core/time_util.h"
#include "services/analytics/app/analytics_families.h"
#include "services/analytics/domain/hot_issues.h"
#include "services/analytics/domain/metrics.h"

namespace complaints::analytics {
namespace {

constexpr int kMaxListedMembers = 500;

Sighting SightingOf(const v1::ComplaintView& view) {
  const v1::IntakeState& intake = view.intake();
  return Sighting{view.complaint_id(),
                  FromProto(intake.received_at()),
                  intake.category(),
                  intake.location().community(),
                  intake.location().building(),
                  intake.location().public_area()};
}

// Adds `id` to the incident's listed complaints, kept sorted so that a
// rebuild, which reads them back in another order, stores the same bytes.
void List(v1::Incident& incident, const std::string& id) {
  auto* ids = incident.mutable_complaint_ids();
  auto at = std::lower_bound(ids->begin(), ids->end(), id);
  if ((at != ids->end() && *at == id) || ids->size() >= kMaxListedMembers) return;
  const int position = static_cast<int>(at - ids->begin());
  ids->Add(std::string(id));
  for (int i = ids->size() - 1; i > position; --i) ids->SwapElements(i, i - 1);
}

template <typename Message>
absl::StatusOr<std::optional<Message>> Load(const Store* store, const std::string& key) {
  ASSIGN_OR_RETURN(std::optional<std::string> stored, store->Get(kIncidentsFamily, key));
  if (!stored.has_value()) return std::optional<Message>();
  Message message;
  if (!message.ParseFromString(*stored)) {
    return absl::DataLossError(absl::StrCat("incidents: stored ", key.substr(0, 1), " is corrupt"));
  }
  return std::optional<Message>(std::move(message));
}

}  // namespace

bool Groupable(const v1::ComplaintView& view) {
  return view.intake().received() && !view.intake().category().empty() && !Imported(view);
}

absl::StatusOr<v1::IncidentGroupState*> IncidentsFold::Group(const std::string& key) {
  auto it = groups_.find(key);
  if (it == groups_.end()) {
    ASSIGN_OR_RETURN(std::optional<v1::IncidentGroupState> stored,
                     Load<v1::IncidentGroupState>(store_, "G" + key));
    it = groups_.emplace(key, stored.value_or(v1::IncidentGroupState())).first;
  }
  return &it->second;
}

absl::StatusOr<v1::Incident*> IncidentsFold::IncidentOf(const std::string& id) {
  auto it = incidents_.find(id);
  if (it == incidents_.end()) {
    ASSIGN_OR_RETURN(std::optional<v1::Incident> stored, Load<v1::Incident>(store_, "I" + id));
    v1::Incident incident = stored.value_or(v1::Incident());
    incident.set_incident_id(id);
    it = incidents_.emplace(id, std::move(incident)).first;
  }
  return &it->second;
}

// The usual complaints an hour of this category in this community (or
// public area): its daily counts over the 4 weeks before the day, at least
// one in those 4 weeks, so an empty history never makes 3 complaints certain.
absl::StatusOr<double> IncidentsFold::BackgroundPerHour(const Sighting& sighting) {
  constexpr int kBaselineDays = 28;
  const std::string& place = sighting.community.empty() ? sighting.public_area : sighting.community;
  const absl::CivilDay day = absl::ToCivilDay(sighting.occurred_at, zone_);
  ASSIGN_OR_RETURN(const int64_t total,
                   days_.Sum(place, sighting.category, day - kBaselineDays, day));
  return static_cast<double>(std::max<int64_t>(total, 1)) / (kBaselineDays * 24.0);
}

absl::StatusOr<std::vector<v1::Envelope>> IncidentsFold::Detect(const v1::ComplaintView& view,
                                                                absl::Time now) {
  const Sighting sighting = SightingOf(view);
  const std::string key = GroupKey(sighting);
  if (key.empty()) return std::vector<v1::Envelope>{};
  ASSIGN_OR_RETURN(const double rate, BackgroundPerHour(sighting));
  ASSIGN_OR_RETURN(v1::IncidentGroupState * group, Group(key));
  // Observed in place, not on a copy (the group holds every sighting it
  // remembers: copying it per sighting was 3 % of analytics' CPU under
  // load). Should loading the incident below fail, the unit fails, and its
  // folds with their groups are dropped with it (each try of a consumed
  // batch, and each command, begins folds of its own).
  const IncidentDecision decision = Observe(*group, sighting, rate, detector_);
  dirty_groups_.insert(key);
  if (decision.kind == IncidentDecision::Kind::kNone) return std::vector<v1::Envelope>{};
  ASSIGN_OR_RETURN(v1::Incident * incident, IncidentOf(decision.incident_id));
  if (decision.kind == IncidentDecision::Kind::kDetected) {
    incident->set_category(sighting.category);
    incident->set_community(sighting.community);
    incident->set_building(sighting.building);
    incident->set_public_area(sighting.public_area);
    *incident->mutable_detected_at() = ToProto(now);
    incident->set_expected(decision.expected);
    incident->set_p_value(decision.p_value);
  }
  for (const std::string& id : decision.complaint_ids) List(*incident, id);
  incident->set_size(decision.size);
  *incident->mutable_first_occurred_at() = ToProto(decision.first_occurred_at);
  for (const v1::OpenIncident& open : group->incidents()) {
    if (open.incident_id() == decision.incident_id) {
      *incident->mutable_last_occurred_at() = open.last_occurred_at();
    }
  }
  dirty_incidents_.insert(decision.incident_id);
  return IncidentEvents(decision, sighting, *group);
}

absl::Status IncidentsFold::Fold(Batch& batch, const ChangedComplaint& change) {
  for (const auto& [key, delta] : HotCategoryChanges(change.before, change.after, zone_)) {
    if (absl::StatusOr<HotKey> hot = ParseHotKey(key); hot.ok()) {
      RETURN_IF_ERROR(days_.Add(hot->community, hot->item, hot->day, delta));
    }
  }
  days_.Stage(batch);
  const v1::Envelope& consumed = change.events.front();
  if (consumed.writer() == v1::WRITER_ANALYTICS) RETURN_IF_ERROR(ReadBack(consumed));
  for (const std::string& key : dirty_groups_) {
    batch.Put(kIncidentsFamily, "G" + key, groups_.at(key).SerializeAsString());
  }
  for (const std::string& id : dirty_incidents_) {
    batch.Put(kIncidentsFamily, "I" + id, incidents_.at(id).SerializeAsString());
  }
  dirty_groups_.clear();
  dirty_incidents_.clear();
  return absl::OkStatus();
}

absl::Status IncidentsFold::ReadBack(const v1::Envelope& event) {
  // The payload alone names the place and time: on a rebuild the complaint's
  // intake events may not have been read yet.
  std::string incident_id;
  int size = 0;
  Sighting sighting;
  if (event.has_incident_detected()) {
    const v1::IncidentDetected& detected = event.incident_detected();
    incident_id = detected.incident_id();
    size = detected.complaint_ids_size();
    sighting = Sighting{event.complaint_id(), FromProto(detected.occurred_at()),
                        detected.category(),  detected.community(),
                        detected.building(),  detected.public_area()};
  } else if (event.has_incident_grown()) {
    const v1::IncidentGrown& grown = event.incident_grown();
    incident_id = grown.incident_id();
    size = grown.size();
    sighting = Sighting{event.complaint_id(), FromProto(grown.occurred_at()),
                        grown.category(),     grown.community(),
                        grown.building(),     grown.public_area()};
  } else {
    return absl::OkStatus();
  }
  const std::string key = GroupKey(sighting);
  if (key.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(v1::IncidentGroupState * group, Group(key));
  ASSIGN_OR_RETURN(v1::Incident * incident, IncidentOf(incident_id));
  RestoreMember(*group, sighting, incident_id, size, detector_);
  List(*incident, sighting.complaint_id);
  if (event.has_incident_grown()) {
    const v1::IncidentGrown& grown = event.incident_grown();
    incident->set_category(grown.category());
    incident->set_community(grown.community());
    incident->set_building(grown.building());
    incident->set_public_area(grown.public_area());
    *incident->mutable_first_occurred_at() = grown.first_occurred_at();
  }
  if (event.has_incident_detected()) {
    const v1::IncidentDetected& detected = event.incident_detected();
    incident->set_category(detected.category());
    incident->set_community(detected.community());
    incident->set_building(detected.building());
    incident->set_public_area(detected.public_area());
    *incident->mutable_first_occurred_at() = detected.first_occurred_at();
    *incident->mutable_detected_at() = event.recorded_at();
    incident->set_expected(detected.expected());
    incident->set_p_value(detected.p_value());
  }
  incident->set_size(std::max(incident->size(), size));
  if (!incident->has_last_occurred_at() ||
      FromProto(incident->last_occurred_at()) < sighting.occurred_at) {
    *incident->mutable_last_occurred_at() = ToProto(sighting.occurred_at);
  }
  dirty_groups_.insert(key);
  dirty_incidents_.insert(incident_id);
  return absl::OkStatus();
}

}  // namespace complaints::analytics
