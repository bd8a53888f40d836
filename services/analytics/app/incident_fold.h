#pragma once
// §3.1 / §5.1 the incident detector's state as analytics keeps it (family
// kIncidents): one unit of work's fold. The incident policy asks Detect about
// a complaint that just became groupable; the fold restores what analytics'
// own events recorded when they are read back (a rebuild), and stages every
// group and incident that changed.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/analytics.pb.h"
#include "libs/runner/service_spec.h"
#include "libs/store/store.h"
#include "services/analytics/app/category_days.h"
#include "services/analytics/domain/incidents.h"

namespace complaints::analytics {

// Received and classified, and not imported: §4.2 imported history is the
// background bursts are measured against, not a burst to act on now.
bool Groupable(const v1::ComplaintView& view);

class IncidentsFold final : public ProjectionFold {
 public:
  // `store` must outlive the fold.
  IncidentsFold(const Store* store, absl::TimeZone zone, DetectorOptions detector)
      : store_(store), zone_(zone), detector_(detector), days_(store) {}

  // Observes the complaint `view` shows at `now`: the events to record on it
  // and on the other founding complaints (IncidentEvents), none when it
  // founds or joins no incident.
  absl::StatusOr<std::vector<v1::Envelope>> Detect(const v1::ComplaintView& view, absl::Time now);

  absl::Status Fold(Batch& batch, const ChangedComplaint& change) override;

 private:
  absl::StatusOr<v1::IncidentGroupState*> Group(const std::string& key);
  absl::StatusOr<v1::Incident*> IncidentOf(const std::string& id);
  absl::StatusOr<double> BackgroundPerHour(const Sighting& sighting);
  absl::Status ReadBack(const v1::Envelope& event);

  const Store* store_;
  absl::TimeZone zone_;
  DetectorOptions detector_;
  // This unit's groups and incidents as last changed, and which to stage.
  std::map<std::string, v1::IncidentGroupState> groups_;
  std::map<std::string, v1::Incident> incidents_;
  // The background: every category's complaints per place and day.
  CategoryDays days_;
  std::set<std::string> dirty_groups_, dirty_incidents_;
};

}  // namespace complaints::analytics
