#include "services/analytics/domain/incidents.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/core/ids.h"
#include "libs/core/time_util.h"

namespace complaints::analytics {
namespace {

using Decision = IncidentDecision;

// StableHash: the same id in every process and build.
std::string IncidentId(absl::string_view group, absl::Time first, absl::string_view first_id) {
  return absl::StrFormat(
      "INC-%016x", StableHash(absl::StrCat(group, "|", absl::ToUnixSeconds(first), "|", first_id)));
}

bool Before(const v1::IncidentSighting& a, absl::Time at, absl::string_view id) {
  const absl::Time t = FromProto(a.occurred_at());
  return t < at || (t == at && a.complaint_id() < id);
}

// Inserts a sighting in (occurred_at, id) order; returns it.
v1::IncidentSighting& Insert(v1::IncidentGroupState& group, const std::string& id, absl::Time at) {
  auto* sightings = group.mutable_sightings();
  int position = 0;
  while (position < sightings->size() && Before(sightings->Get(position), at, id)) ++position;
  v1::IncidentSighting* added = sightings->Add();
  added->set_complaint_id(id);
  *added->mutable_occurred_at() = ToProto(at);
  for (int i = sightings->size() - 1; i > position; --i) sightings->SwapElements(i, i - 1);
  return sightings->at(position);
}

// Drops sightings older than `memory` behind the newest, and the oldest beyond the cap.
void Forget(v1::IncidentGroupState& group, const DetectorOptions& options) {
  const absl::Time horizon = FromProto(group.newest()) - options.memory;
  auto* sightings = group.mutable_sightings();
  int drop = 0;
  while (drop < sightings->size() && FromProto(sightings->Get(drop).occurred_at()) < horizon)
    ++drop;
  drop = std::max(drop, sightings->size() - static_cast<int>(options.max_sightings));
  if (drop > 0) sightings->DeleteSubrange(0, drop);
  auto* incidents = group.mutable_incidents();
  int closed = 0;
  while (closed < incidents->size() &&
         FromProto(incidents->Get(closed).last_occurred_at()) + options.join_gap < horizon) {
    ++closed;
  }
  closed = std::max(closed, incidents->size() - static_cast<int>(options.max_incidents));
  if (closed > 0) incidents->DeleteSubrange(0, closed);
}

}  // namespace

std::string GroupKey(const Sighting& s) {
  if (s.category.empty()) return "";
  if (!s.community.empty() && !s.building.empty()) {
    return absl::StrCat(s.category, "\x1f", s.community, "\x1f", s.building);
  }
  if (!s.public_area.empty()) return absl::StrCat(s.category, "\x1f\x1f", s.public_area);
  return "";
}

double PoissonUpperTail(int k, double mean) {
  if (k <= 0) return 1;
  if (mean <= 0) return 0;
  // 1 - P(X < k), summed in log space from the largest term down for accuracy.
  double below = 0;
  const double log_mean = std::log(mean);
  for (int x = 0; x < k; ++x) {
    below += std::exp(static_cast<double>(x) * log_mean - mean - std::lgamma(x + 1.0));
  }
  if (below < 0.999) return std::max(0.0, 1 - below);
  // Near 1: sum the upper tail itself until its terms vanish.
  double tail = 0;
  for (int x = k; x < k + 1000; ++x) {
    const double term = std::exp(static_cast<double>(x) * log_mean - mean - std::lgamma(x + 1.0));
    tail += term;
    if (term < tail * 1e-16) break;
  }
  return tail;
}

void RestoreMember(v1::IncidentGroupState& group, const Sighting& sighting,
                   const std::string& incident_id, int size, const DetectorOptions& options) {
  const absl::Time at = FromProto(ToProto(sighting.occurred_at));
  if (!group.has_newest() || at > FromProto(group.newest())) *group.mutable_newest() = ToProto(at);
  auto* sightings = group.mutable_sightings();
  bool found = false;
  for (v1::IncidentSighting& seen : *sightings) {
    if (seen.complaint_id() != sighting.complaint_id) continue;
    seen.set_incident_id(incident_id);
    found = true;
  }
  if (!found) Insert(group, sighting.complaint_id, at).set_incident_id(incident_id);
  v1::OpenIncident* open = nullptr;
  for (v1::OpenIncident& incident : *group.mutable_incidents()) {
    if (incident.incident_id() == incident_id) open = &incident;
  }
  if (open == nullptr) {
    open = group.add_incidents();
    open->set_incident_id(incident_id);
    *open->mutable_first_occurred_at() = ToProto(at);
    *open->mutable_last_occurred_at() = ToProto(at);
  }
  if (at < FromProto(open->first_occurred_at())) *open->mutable_first_occurred_at() = ToProto(at);
  if (at > FromProto(open->last_occurred_at())) *open->mutable_last_occurred_at() = ToProto(at);
  open->set_size(std::max(open->size(), size));
  Forget(group, options);
}

IncidentDecision Observe(v1::IncidentGroupState& group, const Sighting& sighting,
                         double background_per_hour, const DetectorOptions& options) {
  Decision decision;
  const std::string key = GroupKey(sighting);
  if (key.empty()) return decision;
  // As stored (whole nanoseconds), so the new sighting compares equal to its stored self.
  const absl::Time at = FromProto(ToProto(sighting.occurred_at));
  auto* sightings = group.mutable_sightings();
  for (const v1::IncidentSighting& seen : *sightings) {
    if (seen.complaint_id() == sighting.complaint_id) return decision;  // seen before
  }
  if (!group.has_newest() || at > FromProto(group.newest())) *group.mutable_newest() = ToProto(at);
  // Too far behind the newest to found or join anything the group still tracks.
  if (at < FromProto(group.newest()) - options.memory) return decision;
  v1::IncidentSighting& mine = Insert(group, sighting.complaint_id, at);

  // Join an open incident this one is close to.
  for (v1::OpenIncident& incident : *group.mutable_incidents()) {
    const absl::Time first = FromProto(incident.first_occurred_at());
    const absl::Time last = FromProto(incident.last_occurred_at());
    if (at < first - options.join_gap || at > last + options.join_gap) continue;
    mine.set_incident_id(incident.incident_id());
    if (at < first) *incident.mutable_first_occurred_at() = ToProto(at);
    if (at > last) *incident.mutable_last_occurred_at() = ToProto(at);
    incident.set_size(incident.size() + 1);
    decision.kind = Decision::Kind::kJoined;
    decision.incident_id = incident.incident_id();
    decision.complaint_ids = {sighting.complaint_id};
    decision.size = incident.size();
    decision.first_occurred_at = FromProto(incident.first_occurred_at());
    Forget(group, options);
    return decision;
  }

  // The densest window holding the new sighting, among sightings in no incident.
  std::vector<int> free;
  for (int i = 0; i < sightings->size(); ++i) {
    const absl::Time t = FromProto(sightings->Get(i).occurred_at());
    if (sightings->Get(i).incident_id().empty() && t >= at - options.window &&
        t <= at + options.window) {
      free.push_back(i);
    }
  }
  size_t best_begin = 0, best_count = 0;
  for (size_t b = 0; b < free.size(); ++b) {
    const absl::Time start = FromProto(sightings->Get(free[b]).occurred_at());
    if (start > at) break;
    size_t e = b;
    while (e < free.size() &&
           FromProto(sightings->Get(free[e]).occurred_at()) <= start + options.window)
      ++e;
    if (FromProto(sightings->Get(free[e - 1]).occurred_at()) < at)
      continue;  // must hold the new one
    if (e - b > best_count) {
      best_count = e - b;
      best_begin = b;
    }
  }
  const double expected = std::max(background_per_hour, 0.0) * absl::ToDoubleHours(options.window);
  const double p_value = PoissonUpperTail(static_cast<int>(best_count), expected);
  if (static_cast<int>(best_count) >= options.min_complaints && p_value <= options.max_p_value) {
    const v1::IncidentSighting& first = sightings->Get(free[best_begin]);
    absl::Time first_at = FromProto(first.occurred_at());
    decision.kind = Decision::Kind::kDetected;
    decision.incident_id = IncidentId(key, first_at, first.complaint_id());
    decision.first_occurred_at = first_at;
    decision.expected = expected;
    decision.p_value = p_value;
    decision.size = static_cast<int>(best_count);
    absl::Time last_at = first_at;
    for (size_t i = best_begin; i < best_begin + best_count; ++i) {
      v1::IncidentSighting& member = sightings->at(free[i]);
      member.set_incident_id(decision.incident_id);
      decision.complaint_ids.push_back(member.complaint_id());
      last_at = std::max(last_at, FromProto(member.occurred_at()));
    }
    // Free sightings within the join gap of the founders found it too, as
    // they would have joined it had they come after: no free sighting is
    // ever left beside an incident, whatever the arrival order.
    for (bool grew = true; grew;) {
      grew = false;
      for (v1::IncidentSighting& other : *sightings) {
        const absl::Time t = FromProto(other.occurred_at());
        if (!other.incident_id().empty() || t < first_at - options.join_gap ||
            t > last_at + options.join_gap) {
          continue;
        }
        other.set_incident_id(decision.incident_id);
        first_at = std::min(first_at, t);
        last_at = std::max(last_at, t);
        grew = true;
      }
    }
    decision.complaint_ids.clear();  // every member, in event-time order
    for (const v1::IncidentSighting& member : *sightings) {
      if (member.incident_id() == decision.incident_id) {
        decision.complaint_ids.push_back(member.complaint_id());
      }
    }
    decision.size = static_cast<int>(decision.complaint_ids.size());
    decision.first_occurred_at = first_at;
    v1::OpenIncident* incident = group.add_incidents();
    incident->set_incident_id(decision.incident_id);
    *incident->mutable_first_occurred_at() = ToProto(first_at);
    *incident->mutable_last_occurred_at() = ToProto(last_at);
    incident->set_size(decision.size);
  }
  Forget(group, options);
  return decision;
}

std::vector<v1::Envelope> IncidentEvents(const IncidentDecision& decision, const Sighting& sighting,
                                         const v1::IncidentGroupState& group) {
  if (decision.kind == IncidentDecision::Kind::kNone) return {};
  std::map<std::string, google::protobuf::Timestamp> occurred;
  for (const v1::IncidentSighting& seen : group.sightings()) {
    occurred[seen.complaint_id()] = seen.occurred_at();
  }
  v1::Envelope decided;
  // What both kinds say: the incident, its place and when it began.
  auto describe = [&](auto& payload) {
    payload.set_incident_id(decision.incident_id);
    payload.set_category(sighting.category);
    payload.set_community(sighting.community);
    payload.set_building(sighting.building);
    payload.set_public_area(sighting.public_area);
    *payload.mutable_first_occurred_at() = ToProto(decision.first_occurred_at);
  };
  if (decision.kind == IncidentDecision::Kind::kDetected) {
    v1::IncidentDetected& detected = *decided.mutable_incident_detected();
    describe(detected);
    for (const std::string& id : decision.complaint_ids) detected.add_complaint_ids(id);
    detected.set_expected(decision.expected);
    detected.set_p_value(decision.p_value);
  } else {
    v1::IncidentGrown& grown = *decided.mutable_incident_grown();
    describe(grown);
    grown.set_size(decision.size);
  }
  std::vector<v1::Envelope> events;
  for (const std::string& id : decision.complaint_ids) {
    v1::Envelope event = decided;
    event.set_complaint_id(id);
    const google::protobuf::Timestamp at =
        occurred.count(id) > 0 ? occurred[id] : ToProto(sighting.occurred_at);
    if (event.has_incident_detected())
      *event.mutable_incident_detected()->mutable_occurred_at() = at;
    if (event.has_incident_grown()) *event.mutable_incident_grown()->mutable_occurred_at() = at;
    events.push_back(std::move(event));
  }
  return events;
}

}  // namespace complaints::analytics
