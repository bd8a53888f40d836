// §4.2 day one with history: the NYC 311 sample (tests/data/history) through
// `complaintctl import-history` into the whole platform. What the platform
// then holds is checked against the file itself, read here independently:
// analytics' counts per day (the centre's zone), category and department
// equal the file's; tracking's verdicts equal on time / overdue computed
// from the file's closed and due times; a second import adds nothing; bad
// rows are reported by row, column and reason; nothing is sent to a
// complainant about history.
#include <fstream>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
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
  return RunComplaintctl(cluster, dir, "ops/oncall", args, output);
}

std::vector<v1::WorkItem> ListAll(Cluster& cluster, const v1::ListComplaintsRequest& request) {
  return ListAllComplaints(cluster, request);
}

// The source id each complaint was imported from.
std::set<std::string> SourceIds(Cluster& cluster, const std::vector<v1::WorkItem>& items) {
  std::set<std::string> ids;
  for (const v1::WorkItem& item : items) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    v1::GetComplaintRequest request;
    request.set_complaint_id(item.complaint_id());
    request.set_page_size(1);
    v1::GetComplaintResponse complaint;
    EXPECT_TRUE(cluster.tracking().GetComplaint(&context, request, &complaint).ok());
    ids.insert(complaint.view().intake().history().source_id());
  }
  return ids;
}

// Analytics' counts summed over priority: (day, category, department) -> complaints.
std::map<std::string, int64_t> CountsByDayCategoryDepartment(Cluster& cluster) {
  std::map<std::string, int64_t> counts;
  v1::GetCountsRequest request;
  do {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    v1::GetCountsResponse page;
    if (!cluster.analytics().GetCounts(&context, request, &page).ok()) return {};
    for (const v1::CountRow& row : page.rows()) {
      counts[absl::StrCat(row.day(), "|", row.category(), "|", row.department())] += row.count();
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return counts;
}

TEST(HistoryImport, TheNyc311SampleBecomesThePlatformsHistory) {
  Cluster cluster;
  ASSERT_TRUE(cluster.Start());
  TempDir dir;
  const std::map<std::string, SourceCase> source = ReadSample();
  ASSERT_EQ(source.size(), 2000u);

  // The file's own figures. A case closed before it was opened would be
  // reported and left out (one "Assigned" case has a closed date of
  // 1900-01-01: open, so its closed date is not read).
  absl::TimeZone shanghai;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &shanghai));
  std::map<std::string, int64_t> expected_counts;
  std::set<std::string> on_time, overdue, open, refused;
  for (const auto& [id, c] : source) {
    if (c.is_closed && c.closed < c.created) {
      refused.insert(id);
      continue;
    }
    expected_counts[absl::StrCat(absl::FormatTime("%Y-%m-%d", c.created, shanghai), "|", c.category,
                                 "|", c.agency)] += 1;
    if (!c.is_closed) {
      open.insert(id);
    } else if (c.has_due) {
      (c.closed > c.due ? overdue : on_time).insert(id);
    }
  }
  ASSERT_EQ(open.size(), 44u);
  const int64_t imported = static_cast<int64_t>(source.size() - refused.size());

  std::string output;
  const absl::Time started = absl::Now();
  EXPECT_EQ(Ctl(cluster, dir,
                {"import-history", "--mapping=" + SourceDir() + kMapping, SourceDir() + kSample},
                &output),
            refused.empty() ? 0 : 1)
      << output;
  const absl::Duration took = absl::Now() - started;
  EXPECT_THAT(output, HasSubstr(absl::StrCat("rows 2000: imported ", imported,
                                             ", already imported 0, changed since imported 0, "
                                             "bad ",
                                             refused.size(), ", failed 0")))
      << output;
  ASSERT_TRUE(WaitUntilCounted(cluster, imported, absl::Seconds(120)));
  std::printf("%simported %lld cases in %s\n", output.c_str(), static_cast<long long>(imported),
              absl::FormatDuration(took).c_str());

  // Figures: the file's counts, day by day in the centre's zone.
  EXPECT_EQ(CountsByDayCategoryDepartment(cluster), expected_counts);

  // Verdicts, once tracking has closed every closed case.
  v1::ListComplaintsRequest closed;
  closed.add_statuses(v1::HANDLING_STATUS_CLOSED);
  closed.set_imported(true);
  ASSERT_TRUE(Eventually(
      [&] {
        return ListAll(cluster, closed).size() == source.size() - open.size() - refused.size();
      },
      absl::Seconds(60), kPoll));
  v1::ListComplaintsRequest late = closed;
  late.set_verdict(v1::SLA_VERDICT_OVERDUE);
  EXPECT_EQ(SourceIds(cluster, ListAll(cluster, late)), overdue);
  v1::ListComplaintsRequest in_time = closed;
  in_time.set_verdict(v1::SLA_VERDICT_ON_TIME);
  EXPECT_EQ(SourceIds(cluster, ListAll(cluster, in_time)), on_time);

  // Cases still open are live from the import on: deadlines after it.
  v1::ListComplaintsRequest in_hand;
  in_hand.add_statuses(v1::HANDLING_STATUS_OPEN);
  in_hand.set_imported(true);
  ASSERT_TRUE(Eventually([&] { return ListAll(cluster, in_hand).size() == open.size(); },
                         absl::Seconds(60), kPoll));
  const std::vector<v1::WorkItem> open_items = ListAll(cluster, in_hand);
  EXPECT_EQ(SourceIds(cluster, open_items), open);
  for (const v1::WorkItem& item : open_items) {
    EXPECT_GE(FromProto(item.resolve_by()), started) << item.complaint_id();
  }

  // A second import of the same file records nothing.
  EXPECT_EQ(Ctl(cluster, dir,
                {"import-history", "--mapping=" + SourceDir() + kMapping, SourceDir() + kSample},
                &output),
            refused.empty() ? 0 : 1);
  EXPECT_THAT(output, HasSubstr(absl::StrCat("rows 2000: imported 0, already imported ", imported,
                                             ", changed since imported 0, bad ", refused.size())))
      << output;
  absl::SleepFor(absl::Seconds(2));
  EXPECT_EQ(CountsByDayCategoryDepartment(cluster), expected_counts);

  // Nothing told any complainant: the only notifications are the open
  // cases' briefings of their new holders.
  int briefings = 0;
  for (const std::string& record : ReadTopic(cluster, topics::kNotifications)) {
    v1::Notification notification;
    ASSERT_TRUE(notification.ParseFromString(record));
    EXPECT_NE(notification.recipient(), v1::RECIPIENT_ROLE_COMPLAINANT)
        << notification.ShortDebugString();
    briefings += notification.kind() == v1::NOTIFICATION_KIND_RECEIVER_BRIEFING;
  }
  EXPECT_EQ(briefings, static_cast<int>(open.size()));
}

TEST(HistoryImport, BadRowsAreReportedByRowColumnAndReason) {
  Cluster cluster;
  ASSERT_TRUE(cluster.Start());
  TempDir dir;
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
  EXPECT_TRUE(WaitUntilCounted(cluster, 2, absl::Seconds(60)));

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
  EXPECT_TRUE(WaitUntilCounted(cluster, 3, absl::Seconds(60)));

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

}  // namespace
}  // namespace complaints::testing
