#include "libs/server/grpc_status.h"

#include "gtest/gtest.h"

namespace complaints {
namespace {

TEST(GrpcStatus, KeepsCodeAndMessage) {
  grpc::Status status =
      ToGrpcStatus(absl::InvalidArgumentError("complainant.phone: not a valid phone number"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "complainant.phone: not a valid phone number");
  EXPECT_EQ(FromGrpcStatus(status).code(), absl::StatusCode::kInvalidArgument);
}

TEST(GrpcStatus, OkStaysOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST(GrpcStatus, EveryCodeMapsToTheSameNumber) {
  for (int code = 1; code <= 16; ++code) {
    absl::Status status(static_cast<absl::StatusCode>(code), "x");
    EXPECT_EQ(static_cast<int>(ToGrpcStatus(status).error_code()), code);
  }
}

}  // namespace
}  // namespace complaints
