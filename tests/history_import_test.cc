// §4.2 day one with history, and §3.1 routing learned from it: public
// complaint data (tests/data/history) through `complaintctl import-history`
// into the whole platform. What the platform then holds is checked against
// the file itself, read here independently: analytics' counts per day (the
// centre's zone), category and department equal the file's; tracking's
// verdicts equal on time / overdue computed from the file's closed and due
// times; a second import adds nothing; bad rows are reported by row, column
// and reason; nothing is sent to a complainant about history. Dispatch
// then learns routing from it, is backtested against the simple rules a
// centre would otherwise write, routes new complaints with the model's
// version and confidence on record (else the rules, saying why), yields to
// a pinning rule and rolls back by version. NYC 311 (agency follows
// complaint type: the model must match the majority rule) and the CFPB
// narratives (the product from the text: it must beat the majorities).
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"
#include "libs/core/time_util.h"
#include "libs/runner/topics.h"
#include "libs/testing/process.h"
#include "tests/scenario.h"

namespace complaints::testing {
namespace {

using ::testing::HasSubstr;

const std::string kSample = "/tests/data/history/nyc311-2011-03-sample.csv";
const std::string kMapping = "/tools/complaintctl/mappings/nyc311.textproto";
constexpr char kOperator[] = "ops/oncall";

// One line of the sample, split on commas outside double quotes (the file
// has no line breaks inside fields).
std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

// The file's own view of each case, by its Unique Key.
struct SourceCase {
  absl::Time created, due, closed;
  bool has_due = false, is_closed = false;
  std::string category, agency;
};

absl::Time NewYork(const std::string& text) {
  static const absl::TimeZone zone = [] {
    absl::TimeZone z;
    EXPECT_TRUE(absl::LoadTimeZone("America/New_York", &z));
    return z;
  }();
  absl::Time time;
  std::string error;
  EXPECT_TRUE(absl::ParseTime("%m/%d/%Y %I:%M:%S %p", text, zone, &time, &error)) << text;
  return time;
}

std::map<std::string, SourceCase> ReadSample() {
  std::ifstream in(SourceDir() + kSample);
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = SplitCsvLine(line);
  std::map<std::string, int> at;
  for (size_t i = 0; i < header.size(); ++i) at[header[i]] = static_cast<int>(i);
  std::map<std::string, SourceCase> cases;
  while (std::getline(in, line)) {
    const std::vector<std::string> f = SplitCsvLine(line);
    EXPECT_EQ(f.size(), header.size()) << line;
    SourceCase c;
    c.created = NewYork(f[at["Created Date"]]);
    c.has_due = !f[at["Due Date"]].empty();
    if (c.has_due) c.due = NewYork(f[at["Due Date"]]);
    c.is_closed = f[at["Status"]] == "Closed";
    if (c.is_closed) c.closed = NewYork(f[at["Closed Date"]]);
    c.category = f[at["Complaint Type"]];
    c.agency = f[at["Agency"]];
    cases[f[at["Unique Key"]]] = c;
  }
  return cases;
}

int Ctl(const Cluster& cluster, const TempDir& dir, const std::vector<std::string>& args,
        std::string* output) {
  return RunComplaintctl(cluster, dir, kOperator, args, output);
}

std::vector<v1::WorkItem> ListAll(Cluster& cluster, const v1::ListComplaintsRequest& request) {
  return ListAllComplaints(cluster, request);
}

// The NYC 311 ids the complaints were imported with (other sources left out).
std::set<std::string> SourceIds(Cluster& cluster, const std::vector<v1::WorkItem>& items) {
  std::set<std::string> ids;
  for (const v1::WorkItem& item : items) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(10)));
    v1::GetComplaintRequest request;
    request.set_complaint_id(item.complaint_id());
    request.set_page_size(1);
    v1::GetComplaintResponse complaint;
    EXPECT_TRUE(cluster.tracking().GetComplaint(&context, request, &complaint).ok());
    const v1::HistoricalCase& history = complaint.view().intake().history();
    if (history.source_system() == "nyc311") ids.insert(history.source_id());
  }
  return ids;
}

// Analytics' counts of 2011 (the sample's year) summed over priority:
// (day, category, department) -> complaints.
std::map<std::string, int64_t> CountsByDayCategoryDepartment(Cluster& cluster) {
  std::map<std::string, int64_t> counts;
  v1::GetCountsRequest request;
  do {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(10)));
    v1::GetCountsResponse page;
    if (!cluster.analytics().GetCounts(&context, request, &page).ok()) return {};
    for (const v1::CountRow& row : page.rows()) {
      if (!absl::StartsWith(row.day(), "2011-")) continue;
      counts[absl::StrCat(row.day(), "|", row.category(), "|", row.department())] += row.count();
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return counts;
}

bool Import(Cluster& cluster, const TempDir& dir, const std::string& mapping,
            const std::string& file) {
  std::string output;
  const int code = RunComplaintctl(
      cluster, dir, kOperator,
      {"import-history", "--mapping=" + SourceDir() + "/tools/complaintctl/mappings/" + mapping,
       SourceDir() + "/tests/data/history/" + file},
      &output);
  std::printf("%s", output.c_str());
  return code <= 1;  // 1: some rows were reported bad; the rest are in
}

// Waits until tracking has closed `closed` imported cases, so that dispatch
// (which follows tracking's events) holds them as resolved.
bool WaitClosed(Cluster& cluster, size_t closed) {
  v1::ListComplaintsRequest request;
  request.add_statuses(v1::HANDLING_STATUS_CLOSED);
  request.set_imported(true);
  return Eventually([&] { return ListAllComplaints(cluster, request).size() >= closed; },
                    absl::Seconds(120), kPoll);
}

// The backtest over every one of `closed` cases (dispatch follows tracking's
// closings a moment later), then its table as complaintctl prints it.
v1::BacktestRoutingResponse Backtest(Cluster& cluster, const TempDir& dir, const std::string& cut,
                                     int closed) {
  v1::BacktestRoutingRequest request;
  absl::Time until;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, cut, &until, &error)) << cut;
  *request.mutable_train_until() = ToProto(until);
  v1::BacktestRoutingResponse response;
  EXPECT_TRUE(Eventually(
      [&] {
        grpc::ClientContext context;
        context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Minutes(5)));
        const grpc::Status status =
            cluster.dispatch(kOperator).BacktestRouting(&context, request, &response);
        EXPECT_TRUE(status.ok()) << status.error_message();
        return !status.ok() || response.train_cases() + response.test_cases() == closed;
      },
      absl::Seconds(60), absl::Seconds(1)))
      << response.train_cases() << " + " << response.test_cases();
  std::string text;
  EXPECT_EQ(RunComplaintctl(cluster, dir, kOperator,
                            {"routing", "backtest", "--train_until=" + cut}, &text),
            0)
      << text;
  std::printf("routing backtest --train_until=%s\n%s", cut.c_str(), text.c_str());
  return response;
}

double Department(const v1::BacktestRoutingResponse& response, const std::string& method) {
  for (const v1::RouteAccuracy& accuracy : response.methods()) {
    if (accuracy.method() == method) return accuracy.department();
  }
  ADD_FAILURE() << "no " << method;
  return 0;
}
double Team(const v1::BacktestRoutingResponse& response, const std::string& method) {
  for (const v1::RouteAccuracy& accuracy : response.methods()) {
    if (accuracy.method() == method) return accuracy.team();
  }
  return 0;
}

// The model's version from `routing train`'s or `routing activate`'s line.
std::string VersionIn(const std::string& line) {
  return std::string(absl::StripAsciiWhitespace(line.substr(0, line.find_first_of(" ("))));
}

// The complaint's ComplaintAssigned, once tracking has it.
std::optional<v1::ComplaintAssigned> AssignedOf(Cluster& cluster, const std::string& id) {
  std::optional<v1::ComplaintAssigned> assigned;
  Eventually(
      [&] {
        grpc::ClientContext context;
        context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(5)));
        v1::GetComplaintRequest request;
        request.set_complaint_id(id);
        v1::GetComplaintResponse timeline;
        if (!cluster.tracking().GetComplaint(&context, request, &timeline).ok()) return false;
        for (const v1::Envelope& event : timeline.events()) {
          if (event.has_assigned()) assigned = event.assigned();
        }
        return assigned.has_value();
      },
      absl::Seconds(30), kPoll);
  return assigned;
}

std::string SubmitOne(Cluster& cluster, v1::SubmitComplaintRequest request) {
  const Submitted submitted = Submit(cluster.intake(), request);
  EXPECT_TRUE(submitted.status.ok()) << submitted.status.error_message();
  return submitted.response.complaint_id();
}

// The NYC 311 sample, imported once into one platform that every test of
// the suite reads (and adds to: live complaints, other sources). The centre
// is in New York (COMPLAINTS_TIME_ZONE), and March 2011 has its change to
// daylight time on the 13th: every day is New York's across it.
class Nyc311History : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cluster_ = new Cluster();
    dir_ = new TempDir();
    for (Service service : kServices) cluster_->AddFlags(service, {"--time_zone=America/New_York"});
    if (!cluster_->Start()) return;
    started_ = complaints::WallNow();
    output_ = new std::string();
    code_ = Ctl(*cluster_, *dir_,
                {"import-history", "--mapping=" + SourceDir() + kMapping, SourceDir() + kSample},
                output_);
    took_ = complaints::WallNow() - started_;
    std::printf("%simported in %s\n", output_->c_str(), absl::FormatDuration(took_).c_str());
  }
  static void TearDownTestSuite() {
    delete output_;
    delete dir_;
    delete cluster_;
  }
  void SetUp() override { ASSERT_NE(output_, nullptr) << "the platform did not start"; }

  static inline Cluster* cluster_ = nullptr;
  static inline TempDir* dir_ = nullptr;
  static inline std::string* output_ = nullptr;
  static inline int code_ = -1;
  static inline absl::Time started_;
  static inline absl::Duration took_;
};

TEST_F(Nyc311History, FiguresVerdictsAndOpenCasesAgreeWithTheFile) {
  Cluster& cluster = *cluster_;
  const std::map<std::string, SourceCase> source = ReadSample();
  ASSERT_EQ(source.size(), 2000u);

  // The file's own figures. A case closed before it was opened would be
  // reported and left out (one "Assigned" case has a closed date of
  // 1900-01-01: open, so its closed date is not read).
  absl::TimeZone new_york;
  ASSERT_TRUE(absl::LoadTimeZone("America/New_York", &new_york));
  std::map<std::string, int64_t> expected_counts;
  std::set<std::string> on_time, overdue, no_target, open, refused;
  std::set<std::string> open_overdue;  // open with a due time, long past (2011)
  for (const auto& [id, c] : source) {
    if (c.is_closed && c.closed < c.created) {
      refused.insert(id);
      continue;
    }
    expected_counts[absl::StrCat(absl::FormatTime("%Y-%m-%d", c.created, new_york), "|", c.category,
                                 "|", c.agency)] += 1;
    if (!c.is_closed) {
      open.insert(id);
      if (c.has_due) open_overdue.insert(id);
    } else if (c.has_due) {
      (c.closed > c.due ? overdue : on_time).insert(id);
    } else {
      no_target.insert(id);
    }
  }
  ASSERT_EQ(open.size(), 44u);
  const int64_t imported = static_cast<int64_t>(source.size() - refused.size());
  EXPECT_EQ(code_, refused.empty() ? 0 : 1) << *output_;
  EXPECT_THAT(*output_, HasSubstr(absl::StrCat("rows 2000: imported ", imported,
                                               ", already imported 0, changed since imported 0, "
                                               "bad ",
                                               refused.size(), ", failed 0")));

  // Figures: the file's counts, day by day in the centre's zone.
  EXPECT_TRUE(Eventually([&] { return CountsByDayCategoryDepartment(cluster) == expected_counts; },
                         absl::Seconds(120), kPoll));
  EXPECT_EQ(CountsByDayCategoryDepartment(cluster), expected_counts);

  // Verdicts, once tracking has closed every closed case.
  v1::ListComplaintsRequest closed;
  closed.add_statuses(v1::HANDLING_STATUS_CLOSED);
  closed.set_imported(true);
  const size_t closing = source.size() - open.size() - refused.size();
  ASSERT_TRUE(Eventually([&] { return ListAll(cluster, closed).size() >= closing; },
                         absl::Seconds(60), kPoll));
  v1::ListComplaintsRequest late = closed;
  late.set_verdict(v1::SLA_VERDICT_OVERDUE);
  EXPECT_EQ(SourceIds(cluster, ListAll(cluster, late)), overdue);
  v1::ListComplaintsRequest in_time = closed;
  in_time.set_verdict(v1::SLA_VERDICT_ON_TIME);
  EXPECT_EQ(SourceIds(cluster, ListAll(cluster, in_time)), on_time);
  v1::ListComplaintsRequest untimed = closed;
  untimed.set_verdict(v1::SLA_VERDICT_NO_TARGET);
  EXPECT_EQ(SourceIds(cluster, ListAll(cluster, untimed)), no_target);
  ASSERT_FALSE(no_target.empty()) << "the sample has cases without a due time";

  // The figures count the same three verdicts (an open case past its source
  // due time is overdue from the import on), and compliance leaves the
  // no-target cases out.
  ASSERT_FALSE(open_overdue.empty()) << "the sample has open cases with a due time";
  const size_t all_overdue = overdue.size() + open_overdue.size();
  v1::MetricsRow figures;
  EXPECT_TRUE(Eventually(
      [&] {
        const std::optional<v1::MetricsRow> all = FiguresOfAll(cluster);
        if (!all.has_value()) return false;
        figures = *all;
        return figures.on_time() + figures.overdue() + figures.no_target() ==
               static_cast<int64_t>(on_time.size() + all_overdue + no_target.size());
      },
      absl::Seconds(60), kPoll))
      << figures.ShortDebugString();
  EXPECT_EQ(figures.on_time(), static_cast<int64_t>(on_time.size()));
  EXPECT_EQ(figures.overdue(), static_cast<int64_t>(all_overdue));
  EXPECT_EQ(figures.no_target(), static_cast<int64_t>(no_target.size()));
  EXPECT_DOUBLE_EQ(figures.sla_compliance(),
                   static_cast<double>(on_time.size()) / (on_time.size() + all_overdue));

  // Cases still open are live from the import on. One with a source due
  // time keeps it, and is overdue at once; one without gets the policy's
  // deadline from the import.
  v1::ListComplaintsRequest in_hand;
  in_hand.add_statuses(v1::HANDLING_STATUS_OPEN);
  in_hand.set_imported(true);
  const std::vector<v1::WorkItem> open_items = ListAll(cluster, in_hand);
  EXPECT_EQ(SourceIds(cluster, open_items), open);
  std::set<std::string> open_ids;
  for (const v1::WorkItem& item : open_items) {
    auto found = source.find(item.source_id());
    ASSERT_NE(found, source.end()) << item.source_id();
    const SourceCase& c = found->second;
    if (c.has_due) {
      EXPECT_EQ(FromProto(item.resolve_by()), c.due) << item.complaint_id();
      EXPECT_EQ(item.verdict(), v1::SLA_VERDICT_OVERDUE) << item.complaint_id();
    } else {
      EXPECT_GE(FromProto(item.resolve_by()), started_) << item.complaint_id();
    }
    open_ids.insert(item.complaint_id());
  }
  v1::ListComplaintsRequest open_late = in_hand;
  open_late.set_verdict(v1::SLA_VERDICT_OVERDUE);
  EXPECT_EQ(SourceIds(cluster, ListAll(cluster, open_late)), open_overdue);

  // Nobody is told of an imported case one by one: no complainant about
  // history, no holder about each open case (its department's backlog
  // summary comes once the import has been quiet; tracking_backlog_test).
  std::set<std::string> imported_ids = open_ids;
  for (const v1::WorkItem& item : ListAll(cluster, closed))
    imported_ids.insert(item.complaint_id());
  for (const std::string& record : ReadTopic(cluster, topics::kNotifications)) {
    v1::Notification notification;
    ASSERT_TRUE(notification.ParseFromString(record));
    EXPECT_FALSE(imported_ids.count(notification.complaint_id()))
        << notification.ShortDebugString();
  }
}

TEST_F(Nyc311History, ASecondImportRecordsNothing) {
  Cluster& cluster = *cluster_;
  ASSERT_TRUE(WaitClosed(cluster, 1956));
  const std::map<std::string, int64_t> before = CountsByDayCategoryDepartment(cluster);
  std::string output;
  EXPECT_EQ(Ctl(cluster, *dir_,
                {"import-history", "--mapping=" + SourceDir() + kMapping, SourceDir() + kSample},
                &output),
            0);
  EXPECT_THAT(output, HasSubstr("rows 2000: imported 0, already imported 2000, changed since "
                                "imported 0, bad 0"))
      << output;
  absl::SleepFor(absl::Seconds(2));
  EXPECT_EQ(CountsByDayCategoryDepartment(cluster), before);
}

// §3.1 learned routing from that history: agency follows complaint type,
// so the model can only match the majority-by-category rule.
TEST_F(Nyc311History, TeachesRoutingThatMatchesTheMajorityRuleAndRollsBack) {
  Cluster& cluster = *cluster_;
  const TempDir& dir = *dir_;
  ASSERT_TRUE(WaitClosed(cluster, 1956));

  // Mechanics: agency follows complaint type, so the model can only match
  // the majority-by-category rule; the configured rules know no NYC agency.
  const v1::BacktestRoutingResponse backtest =
      Backtest(cluster, dir, "2011-03-02T12:00:00-05:00", 1956);
  EXPECT_GT(backtest.test_cases(), 500);
  EXPECT_GE(Department(backtest, "model"), Department(backtest, "majority by category") - 0.02);
  EXPECT_GT(Department(backtest, "model"), Department(backtest, "majority class") + 0.3);
  EXPECT_LT(Department(backtest, "configured rules"), 0.05);
  // The team (agency name) is chosen within the agency named: never below
  // the majority by category.
  EXPECT_GE(Team(backtest, "model"), Team(backtest, "majority by category"));
  EXPECT_GE(Team(backtest, "model"), Team(backtest, "plain fastText") + 0.01);

  std::string output;
  ASSERT_EQ(RunComplaintctl(cluster, dir, kOperator, {"routing", "train", "--activate"}, &output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr("(active)"));
  const std::string first = VersionIn(output);
  ASSERT_EQ(first.size(), 16u) << output;

  // New complaints: each Assigned names the model and its confidence (at
  // least the configured 0.8), or the rule with the model's answer not taken.
  Nyc311Complaints data;
  const absl::Time now = complaints::WallNow();
  int by_model = 0, agency_right = 0;
  for (size_t i = 0; i < 30; ++i) {
    const std::string id = SubmitOne(cluster, data.Valid(i, "routed", now));
    const std::optional<v1::ComplaintAssigned> assigned = AssignedOf(cluster, id);
    ASSERT_TRUE(assigned.has_value()) << id;
    if (assigned->has_model()) {
      ++by_model;
      EXPECT_EQ(assigned->model().version(), first);
      EXPECT_GE(assigned->model().confidence(), 0.8);
      EXPECT_FALSE(assigned->has_rule());
      EXPECT_THAT(assigned->reason(), HasSubstr("learned routing"));
      agency_right += assigned->department() == data.Agency(i);
    } else {
      EXPECT_FALSE(assigned->rule().id().empty()) << assigned->ShortDebugString();
      EXPECT_THAT(assigned->reason(), ::testing::AnyOf(HasSubstr("was not taken"),
                                                       HasSubstr("knew none of its words")));
    }
  }
  EXPECT_GE(by_model, 20);
  EXPECT_GE(agency_right, by_model * 9 / 10);

  // Words the model never saw: it has no answer, and the rules decide.
  v1::SubmitComplaintRequest odd = data.Valid(100, "odd", now);
  odd.set_content("xylophone quartz zebra");
  odd.mutable_location()->set_community("Nowhere Gardens");
  const std::optional<v1::ComplaintAssigned> unsure = AssignedOf(cluster, SubmitOne(cluster, odd));
  ASSERT_TRUE(unsure.has_value());
  EXPECT_FALSE(unsure->has_model()) << unsure->ShortDebugString();
  EXPECT_THAT(unsure->reason(), HasSubstr("knew none of its words"));

  // A pinning rule wins: someone trapped in a lift is security's at once.
  v1::SubmitComplaintRequest trapped = data.Valid(101, "pinned", now);
  trapped.set_content("3号楼电梯困人 someone is trapped in the lift");
  const std::optional<v1::ComplaintAssigned> pinned =
      AssignedOf(cluster, SubmitOne(cluster, trapped));
  ASSERT_TRUE(pinned.has_value());
  EXPECT_EQ(pinned->rule().id(), "safety.urgent");
  EXPECT_EQ(pinned->department(), "security");

  // A second model, then a rollback to the first by its version.
  ASSERT_EQ(RunComplaintctl(cluster, dir, kOperator,
                            {"routing", "train", "--until=2011-03-03", "--activate"}, &output),
            0)
      << output;
  const std::string second = VersionIn(output);
  ASSERT_NE(second, first);
  std::optional<v1::ComplaintAssigned> next =
      AssignedOf(cluster, SubmitOne(cluster, data.Valid(3, "second", now)));
  ASSERT_TRUE(next.has_value() && next->has_model()) << (next ? next->ShortDebugString() : "");
  EXPECT_EQ(next->model().version(), second);
  ASSERT_EQ(RunComplaintctl(cluster, dir, kOperator, {"routing", "activate", first}, &output), 0)
      << output;
  next = AssignedOf(cluster, SubmitOne(cluster, data.Valid(3, "rolled-back", now)));
  ASSERT_TRUE(next.has_value() && next->has_model());
  EXPECT_EQ(next->model().version(), first);
  ASSERT_EQ(RunComplaintctl(cluster, dir, kOperator, {"routing", "models"}, &output), 0);
  EXPECT_THAT(output, HasSubstr(first + " (active)"));
  EXPECT_THAT(output, HasSubstr(second + "  trained"));

  // Off: the rules alone, as before any model.
  ASSERT_EQ(RunComplaintctl(cluster, dir, kOperator, {"routing", "off"}, &output), 0) << output;
  next = AssignedOf(cluster, SubmitOne(cluster, data.Valid(3, "off", now)));
  ASSERT_TRUE(next.has_value());
  EXPECT_FALSE(next->has_model());
  EXPECT_THAT(next->reason(), ::testing::Not(HasSubstr("model")));

  // Analysts may not touch the models.
  EXPECT_NE(RunComplaintctl(cluster, dir, "staff/he", {"routing", "models"}, &output), 0);
}

TEST_F(Nyc311History, BadRowsAreReportedByRowColumnAndReason) {
  Cluster& cluster = *cluster_;
  TempDir dir;
  // What the suite's other tests added, once analytics has counted it all.
  int64_t before = -1;
  ASSERT_TRUE(Eventually(
      [&] {
        const CountTotals totals = Totals(cluster);
        const bool settled = totals.total == before && totals.unassigned == 0;
        before = totals.total;
        return settled;
      },
      absl::Seconds(60), absl::Milliseconds(500)));
  const std::string file = dir.Sub("old-system.csv");
  {
    std::ofstream out(file);
    out << "id,opened,due,closed,status,type,text,team,score,where\n"
        << "A1,2019-05-01T09:00:00+08:00,,2019-05-02T09:00:00+08:00,done,Leak,\"Kitchen leak, "
           "again\",Plumbing,4,Sunshine Garden\n"
        << "A2,yesterday,,,open,Leak,Tap drips,Plumbing,,Sunshine Garden\n"
        << "A3,2019-05-01T09:00:00+08:00,,,done,Leak,Pipe burst,Plumbing,,Sunshine Garden\n"
        << ",2019-05-01T09:00:00+08:00,,,open,Leak,No id,Plumbing,,Sunshine Garden\n"
        << "A5,2019-05-01T09:00:00+08:00,2019-04-01T09:00:00+08:00,,open,Leak,Due before "
           "opened,Plumbing,,Sunshine Garden\n"
        << "A6,2019-05-01T09:00:00+08:00,,2019-05-03T09:00:00+08:00,done,Noise,Loud "
           "party,Security,9,Sunshine Garden\n"
        << "A7,2019-05-01T09:00:00+08:00,,,open,Noise,\"Drilling at night\",Security,,Sunshine "
           "Garden\n";
  }
  const std::string mapping = dir.Sub("mapping.textproto");
  {
    std::ofstream out(mapping);
    out << R"pb(source_system: "oldsys"
                source_id: "id"
                opened_at: "opened"
                target_at: "due"
                closed_at: "closed"
                status: "status"
                category: "type"
                title: "text"
                department: "team"
                satisfaction: "score"
                community: "where"
                default_channel: CHANNEL_PHONE
                closed_statuses: "done")pb";
  }
  std::string output;
  EXPECT_EQ(Ctl(cluster, dir, {"import-history", "--mapping=" + mapping, file}, &output), 1);
  EXPECT_THAT(
      output,
      HasSubstr("row 2 (line 3), column \"opened\": \"yesterday\" is not a time in RFC 3339"));
  EXPECT_THAT(
      output,
      HasSubstr("row 3 (line 4), column \"closed\": status \"done\" is closed but no closed time"));
  EXPECT_THAT(output, HasSubstr("row 4 (line 5), column \"id\": empty"));
  EXPECT_THAT(output, HasSubstr("row 5 (line 6), column \"due\": before opened_at"));
  EXPECT_THAT(output,
              HasSubstr("row 6 (line 7), column \"score\": \"9\" is not a score from 1 to 5"));
  EXPECT_THAT(output,
              HasSubstr("rows 7: imported 2, already imported 0, changed since imported 0, bad 5"));
  EXPECT_TRUE(WaitUntilCounted(cluster, before + 2, absl::Seconds(60)));

  // --strict: the first bad row stops the import; nothing after it is read.
  const std::string again = dir.Sub("again.csv");
  {
    std::ofstream out(again);
    out << "id,opened,due,closed,status,type,text,team,score,where\n"
        << "B1,2019-06-01T09:00:00+08:00,,,open,Leak,Tap,Plumbing,,Sunshine Garden\n"
        << "B2,not a time,,,open,Leak,Tap,Plumbing,,Sunshine Garden\n"
        << "B3,2019-06-01T09:00:00+08:00,,,open,Leak,Tap,Plumbing,,Sunshine Garden\n";
  }
  EXPECT_EQ(Ctl(cluster, dir,
                {"import-history", "--strict", "--concurrency=1", "--mapping=" + mapping, again},
                &output),
            1);
  EXPECT_THAT(output, HasSubstr("row 2 (line 3), column \"opened\""));
  EXPECT_THAT(output, HasSubstr("rows 2: imported 1"));
  EXPECT_TRUE(WaitUntilCounted(cluster, before + 3, absl::Seconds(60)));

  // A dry run refuses exactly the rows the import refuses, those intake's
  // own checks find included; a closed time seconds before the opening is
  // moved to it, one minutes before is refused.
  const std::string parity = dir.Sub("parity.csv");
  {
    const std::string long_name(101, 'x');
    std::ofstream out(parity);
    out << "id,opened,due,closed,status,type,text,team,score,where\n"
        << "P1,2019-07-01T09:00:00+08:00,,,open,Leak,Tap,Plumbing,,Sunshine Garden\n"
        << "P2,1999-07-01T09:00:00+08:00,,,open,Leak,Tap,Plumbing,,Sunshine Garden\n"
        << "P3,2019-07-01T09:00:00+08:00,,2099-07-01T09:00:00+08:00,done,Leak,Tap,Plumbing,,"
           "Sunshine Garden\n"
        << "P4,2019-07-01T09:00:00+08:00,,,open,Leak,Tap," << long_name << ",,Sunshine Garden\n"
        << "P5,2019-07-01T09:00:00+08:00,,2019-07-01T08:59:20+08:00,done,Leak,Tap,Plumbing,,"
           "Sunshine Garden\n"
        << "P6,2019-07-01T09:00:00+08:00,,2019-07-01T08:50:00+08:00,done,Leak,Tap,Plumbing,,"
           "Sunshine Garden\n"
        << "P7,2019-07-01T09:00:00+08:00,,,open," << long_name
        << ",Tap,Plumbing,,Sunshine "
           "Garden\n";
  }
  const auto bad_lines = [](const std::string& text) {
    std::set<std::string> lines;
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      if (absl::StartsWith(line, "row ") && absl::StrContains(line, "(line ")) {
        lines.insert(std::string(line));
      }
    }
    return lines;
  };
  std::string dry;
  EXPECT_EQ(
      Ctl(cluster, dir, {"import-history", "--dry_run", "--mapping=" + mapping, parity}, &dry), 1);
  EXPECT_THAT(dry, HasSubstr("rows 7: would import 2, already imported 0, changed since "
                             "imported 0, bad 5"));
  EXPECT_THAT(dry, HasSubstr("closed times moved to the opening 1"));
  EXPECT_THAT(dry, HasSubstr("row 2 (line 3), column \"opened\": before 2000-01-01"));
  EXPECT_THAT(dry, HasSubstr("row 3 (line 4), column \"closed\": is in the future"));
  EXPECT_THAT(dry, HasSubstr("row 4 (line 5), column \"team\""));
  EXPECT_THAT(dry, HasSubstr("row 6 (line 7), column \"closed\": before opened_at by 10m"));
  EXPECT_THAT(dry, HasSubstr("row 7 (line 8), column \"type\""));
  EXPECT_EQ(Ctl(cluster, dir, {"import-history", "--mapping=" + mapping, parity}, &output), 1);
  EXPECT_EQ(bad_lines(output), bad_lines(dry)) << "dry run:\n" << dry << "import:\n" << output;
  EXPECT_EQ(bad_lines(dry).size(), 5u);
  EXPECT_THAT(output, HasSubstr("rows 7: imported 2"));

  // The list joins back to the source: its id is shown, and found.
  EXPECT_TRUE(Eventually(
      [&] {
        return RunComplaintctl(cluster, dir, "staff/li",
                               {"list", "--source_id=P5", "--status=closed"}, &output) == 0 &&
               absl::StrContains(output, "oldsys:P5");
      },
      absl::Seconds(60), kPoll))
      << output;
  EXPECT_THAT(output, ::testing::Not(HasSubstr("oldsys:P1")));

  // A mapping naming a column the file lacks stops before any row.
  std::ofstream(dir.Sub("typo.textproto")) << R"pb(source_system: "oldsys"
                                                   source_id: "ID"
                                                   opened_at: "opened"
                                                   title: "text"
                                                   default_channel: CHANNEL_PHONE)pb";
  EXPECT_EQ(Ctl(cluster, dir, {"import-history", "--mapping=" + dir.Sub("typo.textproto"), file},
                &output),
            2);
  EXPECT_THAT(output, HasSubstr("the header has no column \"ID\" that the mapping names"));
}

// §3.1 learned routing on text: the CFPB narratives, the product and the
// issue from the narrative and channel alone.
TEST(CfpbHistory, NarrativesRouteFarBetterThanTheMajorityRules) {
  Cluster cluster;
  ASSERT_TRUE(cluster.Start());
  TempDir dir;
  ASSERT_TRUE(Import(cluster, dir, "cfpb.textproto", "cfpb-narratives.csv"));
  ASSERT_TRUE(WaitClosed(cluster, 1532));
  // Train on what was received before May 2019 (1,031 narratives), test on
  // the 501 after.
  const v1::BacktestRoutingResponse backtest = Backtest(cluster, dir, "2019-05-01T00:00:00Z", 1532);
  EXPECT_EQ(backtest.test_cases(), 501);
  // The product: 70-73 % over runs against 56 % for either majority rule.
  const double model = Department(backtest, "model");
  EXPECT_GT(model, Department(backtest, "majority class") + 0.10);
  EXPECT_GT(model, Department(backtest, "majority by channel") + 0.10);
  // The issue (86 of them, a few dozen cases each) is harder: 36-38 % over
  // runs against 35 %; the model must not fall below the majorities.
  EXPECT_GT(Team(backtest, "model"), Team(backtest, "majority class") - 0.02);
  EXPECT_GT(Team(backtest, "model"), Team(backtest, "majority by channel") - 0.02);
  EXPECT_GE(Team(backtest, "model"), Team(backtest, "majority by category"));
  EXPECT_GE(Team(backtest, "model"), Team(backtest, "plain fastText") + 0.01);
}

}  // namespace
}  // namespace complaints::testing
