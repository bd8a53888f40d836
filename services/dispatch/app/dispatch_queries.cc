// §3.1 the assignment listing and the assignment feed, as staff and the
// departments' systems read them.
#include "absl/strings/str_cat.h"
#include "libs/complaint/input.h"
#include "libs/core/status_macros.h"
#include "libs/runner/paging.h"
#include "services/dispatch/app/dispatch_app.h"
#include "services/dispatch/app/dispatch_spec.h"
#include "services/dispatch/app/open_work.h"
#include "services/dispatch/domain/assignment_changes.h"

namespace complaints::dispatch {
namespace {

// A listing page reads at most this many views, so one call stays bounded
// however few of them match; the token then resumes after the last one read.
constexpr size_t kMaxScannedPerPage = 20'000;
// How often an idle WatchAssignments looks for new changes.
constexpr absl::Duration kWatchPoll = absl::Milliseconds(200);

v1::Assignment AssignmentOf(const v1::ComplaintView& view) {
  v1::Assignment assignment;
  assignment.set_complaint_id(view.complaint_id());
  assignment.set_department(view.dispatch().department());
  assignment.set_handler(view.dispatch().handler());
  assignment.set_accepted(view.dispatch().accepted());
  assignment.set_category(view.intake().category());
  assignment.set_priority(view.intake().priority());
  *assignment.mutable_location() = view.intake().location();
  assignment.set_content(view.intake().content());
  assignment.set_incident_id(view.analytics().incident_id());
  assignment.set_status(view.tracking().handling().status());
  if (view.tracking().has_respond_by()) {
    *assignment.mutable_respond_by() = view.tracking().respond_by();
  }
  if (view.tracking().has_resolve_by()) {
    *assignment.mutable_resolve_by() = view.tracking().resolve_by();
  }
  assignment.set_hops(view.dispatch().hops());
  return assignment;
}

}  // namespace

absl::StatusOr<v1::ListAssignmentsResponse> DispatchApp::ListAssignments(
    const v1::ListAssignmentsRequest& request) const {
  ASSIGN_OR_RETURN(std::string department, CleanName("department", request.department(), true));
  ASSIGN_OR_RETURN(std::string handler, CleanName("handler", request.handler(), false));
  ASSIGN_OR_RETURN(const size_t page_size,
                   CheckPageSize("page_size", request.page_size(), {100, 500}));
  ASSIGN_OR_RETURN(const std::string begin, ResumeKey(request.page_token(), "", ""));
  v1::ListAssignmentsResponse response;
  std::string last_key;
  size_t scanned = 0;
  bool more = false;
  absl::Status corrupt = absl::OkStatus();
  RETURN_IF_ERROR(options_.parts.store->Scan(
      Family::kState, begin, "", SIZE_MAX, [&](absl::string_view key, absl::string_view value) {
        if (static_cast<size_t>(response.assignments_size()) == page_size ||
            scanned == kMaxScannedPerPage) {
          more = true;
          return false;
        }
        ++scanned;
        last_key = std::string(key);
        v1::ComplaintView view;
        if (!view.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          corrupt = absl::DataLossError("a stored view is corrupt");
          return false;
        }
        if (view.dispatch().department() != department) return true;
        if (!handler.empty() && view.dispatch().handler() != handler) return true;
        if (!request.include_closed() && !InHand(view)) return true;
        *response.add_assignments() = AssignmentOf(view);
        return true;
      }));
  RETURN_IF_ERROR(corrupt);
  if (more) response.set_next_page_token(PageToken(last_key));
  return response;
}

absl::Status DispatchApp::WatchAssignments(
    const v1::WatchAssignmentsRequest& request,
    const std::function<bool(const v1::WatchAssignmentsResponse&)>& write,
    const std::function<bool(absl::Duration)>& idle) {
  ASSIGN_OR_RETURN(std::string department, CleanName("department", request.department(), true));
  ASSIGN_OR_RETURN(std::string handler, CleanName("handler", request.handler(), false));
  if (request.cursor().size() > 64) return absl::InvalidArgumentError("cursor: not a cursor");
  std::string cursor = request.cursor();
  for (;;) {
    ASSIGN_OR_RETURN(AssignmentFeed::Page page, feed_->After(department, handler, cursor));
    for (const v1::WatchAssignmentsResponse& change : page.changes) {
      if (!write(change)) return absl::OkStatus();  // the caller went away
    }
    // Nothing new yet: wait a moment (or end, once the caller is gone).
    if (page.cursor == cursor && idle(kWatchPoll)) return absl::OkStatus();
    cursor = page.cursor;
  }
}

}  // namespace complaints::dispatch
