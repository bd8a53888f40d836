#include "libs/core/config.h"

#include "complaints/v1/config.pb.h"
#include "gtest/gtest.h"

namespace complaints {
namespace {

TEST(Config, ParsesTextFormat) {
  v1::RoutingRules rules;
  ASSERT_TRUE(ParseTextProto(
                  "routing.textproto",
                  R"(rules { id: "r1" version: 2 category: "plumbing" department: "engineering" })",
                  &rules)
                  .ok());
  ASSERT_EQ(rules.rules_size(), 1);
  EXPECT_EQ(rules.rules(0).department(), "engineering");
}

TEST(Config, ErrorNamesFileLineAndColumn) {
  v1::RoutingRules rules;
  absl::Status status =
      ParseTextProto("routing.textproto", "rules {\n  id: \"r1\"\n  colour: 3\n}", &rules);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("routing.textproto:3:"), std::string::npos) << status;
  EXPECT_NE(status.message().find("colour"), std::string::npos) << status;
}

TEST(Config, SemanticErrorsNameTheFileToo) {
  absl::Status status =
      InFile("config/routing.textproto", absl::InvalidArgumentError("rules[2].id: required"));
  EXPECT_EQ(status.message(), "config/routing.textproto: rules[2].id: required");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(InFile("x", absl::OkStatus()).ok());
}

TEST(Config, MissingFileIsNotFound) {
  EXPECT_EQ(LoadTextProto<v1::RoutingRules>("/nonexistent/routing.textproto").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace complaints
