// §3.1 / §5.1 incidents in the analytics shell. When a complaint first
// becomes groupable (received and classified), the detector observes it in
// its group's state (family kIncidents, one key per group: the detector sees
// every partition's complaints, so this family is not partitioned); a new
// incident is recorded on each founding complaint (IncidentDetected), a new
// member on its own (IncidentGrown), written by analytics to its topic in
// the same batch as the state. Analytics' own events read back (a rebuild)
// restore the groups and summaries without deciding anything.
//
// Keys: "G<group key>" -> IncidentGroupState; "I<incident id>" -> Incident.
#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/complaint/view.h"
#include "libs/core/status_macros.h"
#include "libs/core/time_util.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/topics.h"
#include "services/analytics/app/analytics_app.h"
#include "services/analytics/domain/hot_issues.h"
#include "services/analytics/domain/metrics.h"

namespace complaints::analytics {
namespace {

constexpr int kBaselineDays = 28;
constexpr int kMaxListedMembers = 500;
constexpr int kDefaultIncidents = 100;
constexpr int kMaxIncidents = 500;

// §4.2 imported history is the background bursts are measured against, not
// a burst to act on now.
bool Groupable(const v1::ComplaintView& view) {
  return view.intake().received() && !view.intake().category().empty() && !Imported(view);
}

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
  ASSIGN_OR_RETURN(std::optional<std::string> stored, store->Get(Family::kIncidents, key));
  if (!stored.has_value()) return std::optional<Message>();
  Message message;
  if (!message.ParseFromString(*stored)) {
    return absl::DataLossError(absl::StrCat("incidents: stored ", key.substr(0, 1), " is corrupt"));
  }
  return std::optional<Message>(std::move(message));
}

}  // namespace

// This batch's groups and incidents as last written (the batch's last Put wins).
struct AnalyticsApp::IncidentCache {
  std::map<std::string, v1::IncidentGroupState> groups;
  std::map<std::string, v1::Incident> incidents;
  std::map<std::string, double> rates;
};

std::shared_ptr<AnalyticsApp::IncidentCache> AnalyticsApp::NewIncidentCache() {
  return std::make_shared<IncidentCache>();
}

absl::StatusOr<v1::IncidentGroupState*> AnalyticsApp::Group(IncidentCache& cache,
                                                            const std::string& key) const {
  auto it = cache.groups.find(key);
  if (it == cache.groups.end()) {
    ASSIGN_OR_RETURN(std::optional<v1::IncidentGroupState> stored,
                     Load<v1::IncidentGroupState>(options_.parts.store, "G" + key));
    it = cache.groups.emplace(key, stored.value_or(v1::IncidentGroupState())).first;
  }
  return &it->second;
}

absl::StatusOr<v1::Incident*> AnalyticsApp::IncidentOf(IncidentCache& cache,
                                                       const std::string& id) const {
  auto it = cache.incidents.find(id);
  if (it == cache.incidents.end()) {
    ASSIGN_OR_RETURN(std::optional<v1::Incident> stored,
                     Load<v1::Incident>(options_.parts.store, "I" + id));
    v1::Incident incident = stored.value_or(v1::Incident());
    incident.set_incident_id(id);
    it = cache.incidents.emplace(id, std::move(incident)).first;
  }
  return &it->second;
}

// The usual complaints an hour of this category in this community (or
// public area): its daily counts over the 4 weeks before the day, at least
// one in those 4 weeks, so an empty history never makes 3 complaints certain.
absl::StatusOr<double> AnalyticsApp::BackgroundPerHour(IncidentCache& cache,
                                                       const Sighting& sighting) const {
  const std::string place = sighting.community.empty() ? sighting.public_area : sighting.community;
  const absl::CivilDay day = absl::ToCivilDay(sighting.occurred_at, options_.zone);
  const std::string key =
      absl::StrCat(place, "\x1f", sighting.category, "\x1f", absl::FormatCivilTime(day));
  auto cached = cache.rates.find(key);
  if (cached != cache.rates.end()) return cached->second;
  int64_t total = 0;
  for (int32_t partition = 0; partition < options_.parts.store->partitions(); ++partition) {
    for (absl::CivilDay d = day - kBaselineDays; d < day; ++d) {
      ASSIGN_OR_RETURN(
          std::optional<std::string> stored,
          options_.parts.store->Get(
              Family::kSeries, absl::StrCat(PartitionPrefix(partition), HotDayKey(place, d), "\x1f",
                                            std::string(1, kHotCategory), sighting.category)));
      int64_t count = 0;
      if (stored.has_value() && absl::SimpleAtoi(*stored, &count)) total += count;
    }
  }
  const double rate = static_cast<double>(std::max<int64_t>(total, 1)) / (kBaselineDays * 24.0);
  cache.rates.emplace(key, rate);
  return rate;
}

absl::Status AnalyticsApp::ObserveIncident(UnitOfWork& unit, IncidentCache& cache,
                                           const v1::Envelope& event,
                                           const v1::ComplaintView& before,
                                           const v1::ComplaintView& after, absl::Time now) {
  if (Groupable(before) || !Groupable(after)) return absl::OkStatus();
  const Sighting sighting = SightingOf(after);
  const std::string key = GroupKey(sighting);
  if (key.empty()) return absl::OkStatus();
  // Every read that can fail comes before the first Record: a record refused
  // half-way would leave other complaints' events staged.
  ASSIGN_OR_RETURN(const double rate, BackgroundPerHour(cache, sighting));
  ASSIGN_OR_RETURN(v1::IncidentGroupState * group, Group(cache, key));
  v1::IncidentGroupState changed = *group;
  const IncidentDecision decision = Observe(changed, sighting, rate, options_.detector);
  v1::Incident* incident = nullptr;
  if (decision.kind != IncidentDecision::Kind::kNone) {
    ASSIGN_OR_RETURN(incident, IncidentOf(cache, decision.incident_id));
    for (const std::string& id : decision.complaint_ids) {
      RETURN_IF_ERROR(unit.View(id).status());
    }
  }
  *group = std::move(changed);
  unit.batch().Put(Family::kIncidents, "G" + key, group->SerializeAsString());
  if (incident == nullptr) return absl::OkStatus();

  const EventContext context{now, now, ServiceActor("analytics", "incident-detector"),
                             event.event_id()};
  std::map<std::string, google::protobuf::Timestamp> occurred;
  for (const v1::IncidentSighting& seen : group->sightings()) {
    occurred[seen.complaint_id()] = seen.occurred_at();
  }
  v1::Envelope decided;
  if (decision.kind == IncidentDecision::Kind::kDetected) {
    v1::IncidentDetected& detected = *decided.mutable_incident_detected();
    detected.set_incident_id(decision.incident_id);
    detected.set_category(sighting.category);
    detected.set_community(sighting.community);
    detected.set_building(sighting.building);
    detected.set_public_area(sighting.public_area);
    *detected.mutable_first_occurred_at() = ToProto(decision.first_occurred_at);
    for (const std::string& id : decision.complaint_ids) detected.add_complaint_ids(id);
    detected.set_expected(decision.expected);
    detected.set_p_value(decision.p_value);
    incident->set_category(sighting.category);
    incident->set_community(sighting.community);
    incident->set_building(sighting.building);
    incident->set_public_area(sighting.public_area);
    *incident->mutable_detected_at() = ToProto(now);
    incident->set_expected(decision.expected);
    incident->set_p_value(decision.p_value);
  } else {
    v1::IncidentGrown& grown = *decided.mutable_incident_grown();
    grown.set_incident_id(decision.incident_id);
    grown.set_size(decision.size);
    grown.set_category(sighting.category);
    grown.set_community(sighting.community);
    grown.set_building(sighting.building);
    grown.set_public_area(sighting.public_area);
    *grown.mutable_first_occurred_at() = ToProto(decision.first_occurred_at);
  }
  for (const std::string& id : decision.complaint_ids) {
    const google::protobuf::Timestamp at =
        occurred.count(id) > 0 ? occurred[id] : ToProto(sighting.occurred_at);
    if (decided.has_incident_detected())
      *decided.mutable_incident_detected()->mutable_occurred_at() = at;
    if (decided.has_incident_grown()) *decided.mutable_incident_grown()->mutable_occurred_at() = at;
    RETURN_IF_ERROR(
        unit.Record(id, v1::WRITER_ANALYTICS, topics::kAnalytics, {decided}, context).status());
    List(*incident, id);
  }
  incident->set_size(decision.size);
  *incident->mutable_first_occurred_at() = ToProto(decision.first_occurred_at);
  for (const v1::OpenIncident& open : group->incidents()) {
    if (open.incident_id() == decision.incident_id) {
      *incident->mutable_last_occurred_at() = open.last_occurred_at();
    }
  }
  unit.batch().Put(Family::kIncidents, "I" + decision.incident_id, incident->SerializeAsString());
  return absl::OkStatus();
}

absl::Status AnalyticsApp::ReadBackIncident(UnitOfWork& unit, IncidentCache& cache,
                                            const v1::Envelope& event) {
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
  ASSIGN_OR_RETURN(v1::IncidentGroupState * group, Group(cache, key));
  ASSIGN_OR_RETURN(v1::Incident * incident, IncidentOf(cache, incident_id));
  RestoreMember(*group, sighting, incident_id, size, options_.detector);
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
  unit.batch().Put(Family::kIncidents, "G" + key, group->SerializeAsString());
  unit.batch().Put(Family::kIncidents, "I" + incident_id, incident->SerializeAsString());
  return absl::OkStatus();
}

}  // namespace complaints::analytics
