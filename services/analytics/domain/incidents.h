#pragma once
// §3.1 / §5.1 incidents: thirty calls about one burst pipe are one incident.
// Complaints of the same category at the same place (community and building,
// or public area) are sightings of a group; a complaint that names only its
// community has no place specific enough to group by (a community's worth of
// unrelated complaints is not one matter). On event time (occurred-at), so
// a replay or an import detects what live traffic would:
// - a complaint within `join_gap` of an open incident of its group joins it;
// - otherwise, when some `window` holding the new sighting holds at least
//   `min_complaints` sightings not yet in an incident, and so many are
//   improbable under the group's background rate (Poisson upper tail below
//   `max_p_value`), they found a new incident.
// Sightings are kept for `memory` of event time behind the newest one; an
// incident stops taking members `join_gap` after its last. Pure and
// deterministic; the state is a proto so the shell can store it.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"

namespace complaints::analytics {

struct DetectorOptions {
  absl::Duration window = absl::Hours(1);
  int min_complaints = 3;
  // 1e-2 flags every replayed burst whose reports allow it within the hour
  // with no false alarm on the real background (bench/incident_replay);
  // 1e-3 missed one at a busy address.
  double max_p_value = 1e-2;
  absl::Duration join_gap = absl::Hours(6);
  absl::Duration memory = absl::Hours(48);
  size_t max_sightings = 500;  // per group; the oldest go first
  size_t max_incidents = 50;   // open ones per group; the oldest go first
};

// What is known of one complaint when it can be grouped (received and classified).
struct Sighting {
  std::string complaint_id;
  absl::Time occurred_at;
  std::string category, community, building, public_area;
};

// The group a sighting belongs to; empty without a category, or without a
// building (with its community) or a public area.
std::string GroupKey(const Sighting& sighting);

struct IncidentDecision {
  enum class Kind { kNone, kDetected, kJoined };
  Kind kind = Kind::kNone;
  std::string incident_id;
  // Detected: every founding complaint (the new one included); joined: the new one.
  std::vector<std::string> complaint_ids;
  int size = 0;                  // members after this decision
  absl::Time first_occurred_at;  // of the incident
  double expected = 0;           // background complaints expected in the window
  double p_value = 1;
};

// Observes `sighting` into `group` (its group's state). `background_per_hour`
// is the group's usual rate of complaints. A sighting seen before decides nothing.
IncidentDecision Observe(v1::IncidentGroupState& group, const Sighting& sighting,
                         double background_per_hour, const DetectorOptions& options);

// The events `decision` records: IncidentDetected on each founding complaint,
// or IncidentGrown on the new member — each naming its complaint
// (complaint_id) and dated when that complaint occurred (from `group`'s
// sightings, else the new sighting's time). None for Kind::kNone.
std::vector<v1::Envelope> IncidentEvents(const IncidentDecision& decision, const Sighting& sighting,
                                         const v1::IncidentGroupState& group);

// Restores what an incident event recorded (analytics' own events read
// back): `sighting` is a member of `incident_id`, which has `size` members.
void RestoreMember(v1::IncidentGroupState& group, const Sighting& sighting,
                   const std::string& incident_id, int size, const DetectorOptions& options);

// P(X >= k) for X ~ Poisson(mean).
double PoissonUpperTail(int k, double mean);

}  // namespace complaints::analytics
