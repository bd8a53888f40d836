// §3.1 learned routing, the pure part: what closed cases teach.
#include "services/dispatch/domain/route_learning.h"

#include "gtest/gtest.h"
#include "libs/core/time_util.h"

namespace complaints::dispatch {
namespace {

LabeledCase Case(std::string key, std::string department, std::string team) {
  return {std::move(key), {}, std::move(department), std::move(team)};
}

// Keys that train (not the calibrating tenth), so every case counts below.
std::vector<std::string> TrainingKeys(int n) {
  std::vector<std::string> keys;
  for (int i = 0; keys.size() < static_cast<size_t>(n); ++i) {
    const std::string key = "C" + std::to_string(i);
    if (!Calibrates(Case(key, "", ""))) keys.push_back(key);
  }
  return keys;
}

TEST(RouteLearning, AboutOneCaseInTenCalibratesAndAlwaysTheSameOnes) {
  int calibrating = 0;
  for (int i = 0; i < 10'000; ++i) calibrating += Calibrates(Case("C" + std::to_string(i), "", ""));
  EXPECT_GT(calibrating, 850);
  EXPECT_LT(calibrating, 1150);
  EXPECT_EQ(Calibrates(Case("C42", "a", "")), Calibrates(Case("C42", "b", "t")));
}

TEST(RouteLearning, LabelsAreSortedNamesAndLeaveEmptyOnesOut) {
  const std::vector<LabeledCase> cases = {Case("1", "security", ""),
                                          Case("2", "engineering", "lifts"),
                                          Case("3", "security", "night patrol")};
  EXPECT_EQ(Labels(cases, false),
            (std::map<std::string, int>{{"engineering", 0}, {"security", 1}}));
  EXPECT_EQ(Labels(cases, true), (std::map<std::string, int>{{"lifts", 0}, {"night patrol", 1}}));
}

TEST(RouteLearning, ATeamBelongsToTheDepartmentItWorkedInMost) {
  const std::vector<std::string> keys = TrainingKeys(6);
  const std::vector<LabeledCase> cases = {
      Case(keys[0], "engineering", "lifts"), Case(keys[1], "engineering", "lifts"),
      Case(keys[2], "security", "lifts"),    Case(keys[3], "security", "night patrol"),
      Case(keys[4], "cleaning", "sweepers"), Case(keys[5], "security", "sweepers")};
  // Given the teams' labels, when each team's department is asked, then the
  // majority wins and a tie goes to the first department by name.
  EXPECT_EQ(TeamDepartments(cases, Labels(cases, true)),
            (std::vector<std::string>{"engineering", "security", "cleaning"}));
}

TEST(RouteLearning, TheVersionFollowsTheContentNotTheMetadata) {
  v1::StoredRoutingModel stored;
  stored.set_department_model("model bytes");
  stored.add_departments("engineering");
  const std::string version = ContentVersion(stored);
  EXPECT_EQ(version.size(), 16u);
  stored.mutable_model()->set_version("anything");
  EXPECT_EQ(ContentVersion(stored), version);
  stored.set_department_model("other bytes");
  EXPECT_NE(ContentVersion(stored), version);
}

TEST(LabeledCaseOf, TeachesTheDepartmentThatResolvedItAndItsTeamElseHandler) {
  v1::ComplaintView view;
  view.set_complaint_id("C7");
  view.mutable_intake()->set_content("leak");
  view.mutable_dispatch()->set_department("engineering");
  view.mutable_dispatch()->set_handler("eng.li");
  EXPECT_FALSE(LabeledCaseOf(view).has_value());  // not resolved yet
  *view.mutable_tracking()->mutable_handling()->mutable_resolved_at() =
      complaints::ToProto(absl::FromUnixSeconds(1'795'000'000));
  std::optional<LabeledCase> live = LabeledCaseOf(view);
  ASSERT_TRUE(live.has_value());
  EXPECT_EQ(live->key, "C7");
  EXPECT_EQ(live->department, "engineering");
  EXPECT_EQ(live->team, "eng.li");
  view.mutable_dispatch()->set_team("plumbers");
  view.mutable_intake()->mutable_history()->set_source_system("nyc311");
  view.mutable_intake()->mutable_history()->set_source_id("19937896");
  std::optional<LabeledCase> imported = LabeledCaseOf(view);
  EXPECT_EQ(imported->key, "nyc311:19937896");
  EXPECT_EQ(imported->team, "plumbers");
}

}  // namespace
}  // namespace complaints::dispatch
