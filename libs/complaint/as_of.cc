#include "libs/complaint/as_of.h"

#include "libs/complaint/view.h"
#include "libs/core/time_util.h"

namespace complaints {

v1::ComplaintView ViewAsOf(const std::vector<v1::Envelope>& events, absl::Time as_of) {
  v1::ComplaintView view;
  for (const v1::Envelope& event : events) {
    const auto& known = event.has_recorded_at() ? event.recorded_at() : event.occurred_at();
    if (FromProto(known) <= as_of) view = Evolve(std::move(view), event);
  }
  return view;
}

}  // namespace complaints
