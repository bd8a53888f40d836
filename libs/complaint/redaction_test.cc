#include "libs/complaint/redaction.h"

#include "gtest/gtest.h"

namespace complaints {
namespace {

v1::GetComplaintResponse Answer() {
  v1::GetComplaintResponse response;
  v1::ComplaintReceived* received = response.add_events()->mutable_received();
  received->mutable_complainant()->set_name("王芳");
  received->mutable_complainant()->set_phone("13800138000");
  received->mutable_complainant()->set_email("wang@example.com");
  received->mutable_complainant()->set_identity_type(v1::IDENTITY_TYPE_RESIDENT_ID_CARD);
  received->mutable_complainant()->set_identity_number("110101199003071234");
  received->mutable_location()->set_community("阳光花园");
  received->mutable_location()->set_building("3");
  received->mutable_location()->set_unit("1202");
  response.add_events()->mutable_classified()->set_category("plumbing");
  response.mutable_view()->mutable_intake()->mutable_location()->set_unit("1202");
  response.mutable_view()->mutable_intake()->mutable_location()->set_building("3");
  return response;
}

TEST(RedactionTest, AHandlerSeesTheContactButNotTheIdentityNumber) {
  v1::GetComplaintResponse response = Answer();
  Redact({.contact = true, .identity = false}, &response);
  const v1::Complainant& complainant = response.events(0).received().complainant();
  EXPECT_EQ(complainant.name(), "王芳");
  EXPECT_EQ(complainant.phone(), "13800138000");
  EXPECT_EQ(complainant.identity_number(), kRedacted);
  EXPECT_EQ(complainant.identity_type(), v1::IDENTITY_TYPE_RESIDENT_ID_CARD)
      << "the kind is no secret";
  EXPECT_EQ(response.view().intake().location().unit(), "1202");
}

TEST(RedactionTest, WithoutPersonalDataPermissionsOnlyCommunityAndBuildingRemain) {
  v1::GetComplaintResponse response = Answer();
  Redact({}, &response);
  const v1::ComplaintReceived& received = response.events(0).received();
  for (const std::string& field :
       {received.complainant().name(), received.complainant().phone(),
        received.complainant().email(), received.complainant().identity_number(),
        received.location().unit(), response.view().intake().location().unit()}) {
    EXPECT_EQ(field, kRedacted);
  }
  EXPECT_EQ(received.location().community(), "阳光花园");
  EXPECT_EQ(received.location().building(), "3");
  EXPECT_EQ(response.events(1).classified().category(), "plumbing");
}

TEST(RedactionTest, EmptyFieldsStayEmpty) {
  v1::Envelope event;
  event.mutable_received()->mutable_complainant()->set_phone("13800138000");
  Redact({}, &event);
  EXPECT_EQ(event.received().complainant().email(), "");
  EXPECT_EQ(event.received().complainant().phone(), kRedacted);
}

}  // namespace
}  // namespace complaints
