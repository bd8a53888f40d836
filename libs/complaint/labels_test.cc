#include "libs/complaint/labels.h"

#include "complaints/v1/common.pb.h"
#include "complaints/v1/state.pb.h"
#include "gtest/gtest.h"

namespace complaints {
namespace {

TEST(EnumLabel, DropsTheEnumsPrefixAndReadsInLowerCase) {
  EXPECT_EQ(EnumLabel(v1::HandlingStatus_descriptor(), v1::HANDLING_STATUS_COMMUNICATED),
            "communicated");
  EXPECT_EQ(
      EnumLabel(v1::VerificationOutcome_descriptor(), v1::VERIFICATION_OUTCOME_ALREADY_RESOLVED),
      "already_resolved");
  EXPECT_EQ(EnumLabel(v1::Priority_descriptor(), v1::PRIORITY_P2), "p2");
}

TEST(EnumLabel, AValueTheSchemaDoesNotNameIsItsNumber) {
  EXPECT_EQ(EnumLabel(v1::HandlingStatus_descriptor(), 977), "977");
}

}  // namespace
}  // namespace complaints
