// Learned routing with the real fastText library, on a small set where the
// words decide the department and the team.
#include "services/dispatch/app/fasttext_route_model.h"

#include <set>

#include "gtest/gtest.h"
#include "libs/core/time_util.h"
#include "libs/testing/temp_dir.h"

namespace complaints::dispatch {
namespace {

std::vector<LabeledCase> Cases(int per_kind) {
  struct Kind {
    const char* text;
    const char* department;
    const char* team;
  };
  const Kind kinds[] = {
      {"厨房漏水 kitchen pipe leak water dripping", "engineering", "plumbers"},
      {"电梯故障 elevator stuck lift broken", "engineering", "lifts"},
      {"楼下噪音 loud music party noise at night", "security", "night patrol"},
      {"垃圾没有清理 garbage not collected rubbish smell", "cleaning", "sweepers"},
  };
  std::vector<LabeledCase> cases;
  for (int i = 0; i < per_kind; ++i) {
    for (const Kind& kind : kinds) {
      cases.push_back({"C" + std::to_string(cases.size()),
                       {std::string(kind.text) + " case " + std::to_string(i % 7), "", "Garden",
                        v1::CHANNEL_PHONE},
                       kind.department,
                       kind.team});
    }
  }
  return cases;
}

// Security's burst pipes name no team; the team classifier only knows pipes
// from engineering's plumbers. A burst pipe goes to security, and so its team
// is security's own, never engineering's plumbers.
TEST(RouteModel, TheTeamIsChosenWithinTheDepartmentNamed) {
  complaints::testing::TempDir dir;
  TrainOptions options;
  options.scratch_dir = dir.path();
  std::vector<LabeledCase> cases;
  auto add = [&](const char* text, const char* department, const char* team) {
    cases.push_back({"C" + std::to_string(cases.size()),
                     {std::string(text) + " case " + std::to_string(cases.size() % 7), "", "Garden",
                      v1::CHANNEL_PHONE, "Main Street, Springfield, 12345"},
                     department,
                     team});
  };
  for (int i = 0; i < 40; ++i) {
    add("pipe burst basement flooding", "security", "");
    add("pipe leak kitchen dripping", "engineering", "plumbers");
    add("party noise music night", "security", "night patrol");
    add("lift stuck elevator broken", "engineering", "lifts");
  }
  const absl::Time now = absl::FromUnixSeconds(1'795'000'000);
  auto model = RouteModel::Train(cases, options, now, now);
  ASSERT_TRUE(model.ok()) << model.status();
  const v1::StoredRoutingModel& stored = (*model)->stored();
  ASSERT_EQ(stored.team_departments_size(), stored.teams_size());
  for (int i = 0; i < stored.teams_size(); ++i) {
    EXPECT_EQ(
        stored.team_departments(i),
        stored.teams(i) == "plumbers" || stored.teams(i) == "lifts" ? "engineering" : "security");
  }
  const ModelAnswer burst =
      (*model)->Predict({"pipe burst basement flooding", "", "Garden", v1::CHANNEL_PHONE});
  EXPECT_EQ(burst.department, "security");
  EXPECT_EQ(burst.team, "night patrol");
  const ModelAnswer leak =
      (*model)->Predict({"pipe leak kitchen dripping", "", "Garden", v1::CHANNEL_PHONE});
  EXPECT_EQ(leak.department, "engineering");
  EXPECT_EQ(leak.team, "plumbers");
}

TEST(RouteModel, PlainFastTextNamesADepartmentAndATeamForEveryTestCase) {
  complaints::testing::TempDir dir;
  const std::vector<LabeledCase> train = Cases(40);
  std::vector<LabeledCase> test = {
      {"T1", {"elevator stuck again", "", "Garden", v1::CHANNEL_PHONE}, "engineering", "lifts"},
      {"T2", {"garbage smell", "", "Garden", v1::CHANNEL_PHONE}, "cleaning", "sweepers"},
  };
  absl::StatusOr<PlainAnswers> plain = PlainFastText(train, test, dir.path());
  ASSERT_TRUE(plain.ok()) << plain.status();
  ASSERT_EQ(plain->departments.size(), 2u);
  ASSERT_EQ(plain->teams.size(), 2u);
  // Five epochs at a tenth of the rate learn little from 160 cases: every
  // answer is one of the labels it saw, and the most frequent words decide.
  const std::set<std::string> departments = {"engineering", "security", "cleaning"};
  const std::set<std::string> teams = {"plumbers", "lifts", "night patrol", "sweepers"};
  for (size_t i = 0; i < test.size(); ++i) {
    EXPECT_TRUE(departments.count(plain->departments[i])) << plain->departments[i];
    EXPECT_TRUE(teams.count(plain->teams[i])) << plain->teams[i];
  }
  EXPECT_EQ(plain->departments[0], "engineering");
}

TEST(RouteModel, LearnsDepartmentsAndTeamsAndIsNamedByItsContent) {
  complaints::testing::TempDir dir;
  TrainOptions options;
  options.scratch_dir = dir.path();
  const absl::Time now = absl::FromUnixSeconds(1'795'000'000);
  auto model = RouteModel::Train(Cases(40), options, now, now);
  ASSERT_TRUE(model.ok()) << model.status();
  const ModelAnswer answer =
      (*model)->Predict({"电梯又坏了 the lift is stuck", "", "Garden", v1::CHANNEL_PHONE});
  EXPECT_EQ(answer.department, "engineering");
  EXPECT_EQ(answer.team, "lifts");
  EXPECT_GT(answer.confidence, 0.5);
  EXPECT_LE(answer.confidence, 1.0);
  EXPECT_EQ(answer.version, (*model)->version());
  EXPECT_EQ((*model)->version().size(), 16u);
  const v1::RoutingModel& meta = (*model)->stored().model();
  EXPECT_EQ(meta.departments(), 3);
  EXPECT_EQ(meta.teams(), 4);
  EXPECT_GT(meta.calibration_accuracy(), 0.9);

  // The same cases make the same model; it loads back and answers alike.
  auto again = RouteModel::Train(Cases(40), options, now, now);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->version(), (*model)->version());
  auto loaded = RouteModel::Load((*model)->stored());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  const ModelAnswer reloaded =
      (*loaded)->Predict({"电梯又坏了 the lift is stuck", "", "Garden", v1::CHANNEL_PHONE});
  EXPECT_EQ(reloaded.department, answer.department);
  EXPECT_DOUBLE_EQ(reloaded.confidence, answer.confidence);

  // A matter none of whose words it has seen: no answer.
  const ModelAnswer unknown =
      (*model)->Predict({"xylophone quartz zebra", "", "Garden", v1::CHANNEL_PHONE});
  EXPECT_EQ(unknown.department, "");
  EXPECT_EQ(unknown.team, "");
  EXPECT_EQ(unknown.version, (*model)->version());
}

TEST(RouteModel, RefusesTooFewCasesAndDamagedModels) {
  complaints::testing::TempDir dir;
  TrainOptions options;
  options.scratch_dir = dir.path();
  const absl::Time now = absl::FromUnixSeconds(1'795'000'000);
  EXPECT_EQ(RouteModel::Train(Cases(5), options, now, now).status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto model = RouteModel::Train(Cases(40), options, now, now);
  ASSERT_TRUE(model.ok());
  // fastText trusts what it reads; the content hash is checked first.
  v1::StoredRoutingModel damaged = (*model)->stored();
  damaged.set_department_model(damaged.department_model().substr(0, 100));
  EXPECT_EQ(RouteModel::Load(damaged).status().code(), absl::StatusCode::kDataLoss);
  damaged = (*model)->stored();
  damaged.set_department_calibration(3, 0.99);
  EXPECT_EQ(RouteModel::Load(damaged).status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace complaints::dispatch
