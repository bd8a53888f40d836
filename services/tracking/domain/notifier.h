#pragma once
// §2.1–§5.2 what tracking tells people: the notifications an event it decides
// calls for, with their texts rendered from the templates in every language
// (config/notifications.textproto). A notification names the complaint, the
// recipient's role (for staff, the department or person) and the channel,
// never an address or a number; its texts carry the matter, never personal
// data. Pure.

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/config.pb.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"

namespace complaints::tracking {

class Notifier {
 public:
  // INVALID_ARGUMENT naming the field path: every kind needs a text in each
  // language any template uses; times are shown in `zone` (the centre's).
  static absl::StatusOr<Notifier> Create(v1::NotificationTemplates templates, absl::TimeZone zone);

  // The notifications `event` (just decided by tracking) calls for, given the
  // complaint's view after it:
  //   the clock started (first DeadlinesSet)  -> acknowledgement, complainant
  //   DeadlineWarning / DeadlineBreached      -> supervisor of the department
  //   Escalated                               -> the level's role
  //   Resolved                                -> the result, complainant
  //   StatusReported                          -> status report, complainant
  //   ResultCommunicated                      -> follow-up survey, complainant
  //   LongTermCheckDue                        -> reminder, receiver
  // and nothing for an imported case's history: none for a case imported
  // closed, and for one imported open none recorded or occurring before its
  // import, no acknowledgement and no briefing of its first holder (its
  // department's backlog summary covers it).
  std::vector<v1::Notification> For(const v1::Envelope& event,
                                    const v1::ComplaintView& after) const;

  // §4.2 the backlog summary of `tally`'s department, to its supervisor:
  // id "backlog/<department>/<n>" (n: the summaries before it, plus one), no
  // complaint, recorded at `now`.
  v1::Notification Summary(const v1::BacklogTally& tally, absl::Time now) const;

 private:
  Notifier(v1::NotificationTemplates templates, absl::TimeZone zone)
      : templates_(std::move(templates)), zone_(zone) {}

  // Fills the texts of `notification`'s kind, placeholders replaced.
  void Render(v1::Notification& notification,
              const std::map<std::string, std::string>& values) const;

  v1::NotificationTemplates templates_;
  absl::TimeZone zone_;
};

}  // namespace complaints::tracking
