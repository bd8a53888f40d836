#include "services/dispatch/domain/assignment_changes.h"

#include "gtest/gtest.h"
#include "libs/complaint/view.h"
#include "libs/testing/events.h"

namespace complaints::dispatch {
namespace {

using complaints::testing::EnvelopeOf;

v1::Envelope Assigned(int64_t sequence, const std::string& department, const std::string& handler) {
  v1::Envelope event = EnvelopeOf("C1", v1::WRITER_DISPATCH, sequence);
  event.mutable_assigned()->set_department(department);
  event.mutable_assigned()->set_handler(handler);
  return event;
}

TEST(AssignmentChanges, ATransferLeavesOneDepartmentAndReachesAnother) {
  v1::Envelope moved = EnvelopeOf("C1", v1::WRITER_DISPATCH, 2);
  moved.mutable_transferred()->set_from_department("engineering");
  moved.mutable_transferred()->set_from_handler("plumber-li");
  moved.mutable_transferred()->set_to_department("security");
  moved.mutable_transferred()->set_reason("a break-in, not a leak");
  std::vector<v1::AssignmentChange> changes =
      AssignmentChangesOf({Assigned(1, "engineering", "plumber-li"), moved}, v1::ComplaintView());
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].kind(), v1::ASSIGNMENT_CHANGE_KIND_ASSIGNED);
  EXPECT_EQ(changes[0].handler(), "plumber-li");
  EXPECT_EQ(changes[1].kind(), v1::ASSIGNMENT_CHANGE_KIND_MOVED_AWAY);
  EXPECT_EQ(changes[1].department(), "engineering");
  EXPECT_EQ(changes[2].kind(), v1::ASSIGNMENT_CHANGE_KIND_ASSIGNED);
  EXPECT_EQ(changes[2].department(), "security");
  EXPECT_EQ(changes[2].reason(), "a break-in, not a leak");
  EXPECT_EQ(changes[2].event_id(), moved.event_id());
}

TEST(AssignmentChanges, TrackingsEndingsNameTheDepartmentHoldingTheComplaint) {
  const v1::ComplaintView held = Evolve(v1::ComplaintView(), Assigned(1, "engineering", "li"));
  v1::Envelope closed = EnvelopeOf("C1", v1::WRITER_TRACKING, 5);
  closed.mutable_closed()->set_reason("satisfied");
  std::vector<v1::AssignmentChange> changes = AssignmentChangesOf(closed, held);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind(), v1::ASSIGNMENT_CHANGE_KIND_CLOSED);
  EXPECT_EQ(changes[0].department(), "engineering");
  EXPECT_EQ(changes[0].handler(), "li");
  EXPECT_TRUE(AssignmentChangesOf(closed, v1::ComplaintView()).empty())
      << "ended before anyone held it";
  v1::Envelope note = EnvelopeOf("C1", v1::WRITER_TRACKING, 6);
  note.mutable_note_added()->set_text("called");
  EXPECT_TRUE(AssignmentChangesOf(note, held).empty()) << "a note changes no assignment";
}

}  // namespace
}  // namespace complaints::dispatch
