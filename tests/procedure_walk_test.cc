// The procedure walked end to end: the broker and the four services as
// processes in test mode; 300 complaints submitted and then worked by staff
// commands through §3.2–§5.2 — notes, evidence, pauses, extensions,
// resolution, communication, satisfied and unsatisfied follow-ups, long-term
// checks — while the services' clocks are moved ahead so that warnings,
// breaches, every escalation level, status reports and archiving fire.
// Tracking is killed with SIGKILL while timers are due; every timer must
// still fire exactly once. Prints the figures (complaints, events, timers
// fired, staff command latency, timer lag).
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "libs/core/time_util.h"
#include "libs/runner/topics.h"
#include "libs/testing/smtp_server.h"
#include "tests/scenario.h"
#include "tests/walk.h"

namespace complaints::testing {
namespace {

using Stub = v1::TrackingService::Stub;
using Dispatch = v1::DispatchService::Stub;
using Intake = v1::IntakeService::Stub;

constexpr int kComplaints = 300;
constexpr absl::Duration kSettle = absl::Seconds(90);

// Which path through the procedure complaint i takes.
enum class Path {
  kSatisfied = 0,      // accepted, note, evidence, resolve, communicate, follow-up 5, long-term
                       // check, archive
  kUnsatisfied = 1,    // transferred and accepted; follow-up 2 reopens it; resolved again,
                       // follow-up 4 closes it
  kPaused = 2,         // the clock paused for a day: no deadline fires meanwhile
  kExtended = 3,       // more time asked and approved
  kUntouched = 4,      // nobody acts: warnings, breaches, the escalation chain, status reports
  kRecurred = 5,       // rejected until the duty supervisor holds it; closed, then the
                       // long-term check finds the problem back: reopened
  kAlreadySolved = 6,  // §2.4 the call-back finds it already solved: closed
  kUnverifiable = 7,   // §2.4 three call-backs nobody answered: closed as unverifiable
  kWithdrawn = 8,      // the complainant withdraws it: closed, its handler freed
};
constexpr int kPaths = 9;
Path PathOf(int i) { return static_cast<Path>(i % kPaths); }

struct Fired {
  int count = 0;
  absl::Time fire_at = absl::InfinitePast();
  absl::Time recorded_at = absl::InfinitePast();
};

TEST(ProcedureWalk, ThreeHundredComplaintsThroughEverySectionWithTimersFiredExactlyOnce) {
  Cluster cluster({"--test_mode"}, CallBacks::kShippedPolicy);
  std::unique_ptr<SmtpServer> smtp = SmtpServer::Start(cluster.dir() + "/smtp");
  ASSERT_NE(smtp, nullptr) << "aiosmtpd did not start";
  // The walk's clock jumps months; the e-mail must not expire on the way.
  cluster.AddFlags(Service::kIntake, {"--smtp_url=" + smtp->url(), "--mail_from=centre@example.org",
                                      "--mail_give_up_after=100000h"});
  ASSERT_TRUE(cluster.Start());
  Nyc311Complaints data;
  const absl::Time started = complaints::WallNow();
  std::vector<std::string> ids;
  std::vector<v1::Complainant> complainants;
  for (int i = 0; i < kComplaints; ++i) {
    v1::SubmitComplaintRequest request = data.Valid(i, "walk", complaints::WallNow());
    // Half of those the call-back ends are building-wide (P2 at least), so
    // dispatch sends them on before the call-back; the rest wait for it.
    if ((PathOf(i) == Path::kAlreadySolved || PathOf(i) == Path::kUnverifiable) &&
        (i / kPaths) % 2 == 0) {
      request.set_impact_scope(v1::IMPACT_SCOPE_BUILDING);
    }
    // A third write in by e-mail, and are answered the same way.
    if (i % 3 == 0) {
      request.set_channel(v1::CHANNEL_EMAIL);
      request.mutable_complainant()->set_email(absl::StrCat("resident-", i, "@example.com"));
    }
    Submitted submitted = Submit(cluster.intake(), request);
    complainants.push_back(request.complainant());
    ASSERT_TRUE(submitted.status.ok()) << submitted.status.error_message();
    ids.push_back(submitted.response.complaint_id());
  }
  Walk walk(cluster);
  // §2.4 urgent complaints went to their departments at once; the others
  // wait for the call-back. Staff confirm every complaint but those whose
  // call-back ends them; then all of those are assigned, with deadlines.
  std::vector<std::string> confirmed;
  for (int i = 0; i < kComplaints; ++i) {
    if (PathOf(i) == Path::kAlreadySolved || PathOf(i) == Path::kUnverifiable) continue;
    STEP(walk.Do(&Intake::RecordVerification,
                 VerificationOf(ids[i], v1::VERIFICATION_OUTCOME_CONFIRMED), ids[i] + "/verify",
                 "staff/li"));
    confirmed.push_back(ids[i]);
  }
  const std::vector<std::string> incomplete = WaitUntilComplete(cluster, confirmed, kSettle);
  ASSERT_TRUE(incomplete.empty()) << incomplete.size() << " incomplete, first: " << incomplete[0];

  // Day 0: staff work the complaints.
  std::map<std::string, std::set<std::string>> withdrawn_from;  // department -> complaints
  for (int i = 0; i < kComplaints; ++i) {
    const std::string& id = ids[i];
    if (PathOf(i) == Path::kAlreadySolved) {
      STEP(walk.Do(&Intake::RecordVerification,
                   VerificationOf(id, v1::VERIFICATION_OUTCOME_ALREADY_RESOLVED), id + "/verify",
                   "staff/li"));
      continue;
    }
    if (PathOf(i) == Path::kUnverifiable) {
      for (int attempt = 1; attempt <= 3; ++attempt) {
        STEP(walk.Do(&Intake::RecordVerification,
                     VerificationOf(id, v1::VERIFICATION_OUTCOME_UNSPECIFIED),
                     absl::StrCat(id, "/attempt/", attempt), "staff/li"));
      }
      continue;
    }
    v1::AddNoteRequest note;
    note.set_complaint_id(id);
    note.set_text("on site: cause found");
    v1::CommandOutcome noted;
    STEP(walk.Do(&Stub::AddNote, note, id + "/note", walk.HolderOf(id), &noted));
    switch (PathOf(i)) {
      case Path::kSatisfied: {
        // The receiver takes it on (anyone from the department when nobody was free).
        const std::string receiver = HolderIdentity(noted.department(), noted.handler());
        STEP(walk.Do(&Dispatch::Accept, AcceptOf(id), id + "/accept", receiver));
        // The complainant's photo goes to intake; the handler's record of it to tracking.
        const std::string photo = PhotoBytes(120'000, i);
        v1::AttachEvidenceResponse uploaded;
        const grpc::Status attached = AttachEvidence(cluster.intake(), id, id + "/upload",
                                                     "after-repair.jpg", photo, &uploaded);
        ASSERT_TRUE(attached.ok()) << attached.error_message();
        std::string fetched;
        ASSERT_TRUE(FetchEvidence(cluster.intake("staff/qian"), id, uploaded.attachment().sha256(),
                                  &fetched)
                        .ok());
        EXPECT_TRUE(fetched == photo) << id << ": the upload comes back byte for byte";
        v1::RecordEvidenceRequest evidence;
        evidence.set_complaint_id(id);
        *evidence.mutable_attachment() = uploaded.attachment();
        STEP(walk.Do(&Stub::RecordEvidence, evidence, id + "/evidence", receiver));
        Close(walk, id, 5, 1);
        break;
      }
      case Path::kUnsatisfied: {
        v1::TransferRequest transfer;
        transfer.set_complaint_id(id);
        transfer.set_to_department(noted.department() == "customer-service" ? "engineering"
                                                                            : "customer-service");
        transfer.set_reason("the caller needs an explanation first");
        v1::CommandOutcome moved;
        STEP(walk.Do(&Dispatch::Transfer, transfer, id + "/transfer",
                     SupervisorOf(noted.department()), &moved));
        EXPECT_EQ(moved.department(), transfer.to_department());
        STEP(walk.Do(&Dispatch::Accept, AcceptOf(id), id + "/accept",
                     HolderIdentity(moved.department(), moved.handler())));
        Close(walk, id, 2, 1, moved.department());
        Close(walk, id, 4, 2);
        break;
      }
      case Path::kPaused: {
        v1::PauseRequest pause;
        pause.set_complaint_id(id);
        pause.set_reason("the owner is away until tomorrow");
        STEP(walk.Do(&Stub::Pause, pause, id + "/pause", walk.HolderOf(id)));
        break;
      }
      case Path::kExtended: {
        v1::RequestExtensionRequest ask;
        ask.set_complaint_id(id);
        ask.set_target(v1::SLA_TARGET_RESOLVE);
        ask.set_extra_minutes(120);
        ask.set_reason("a spare part is on order");
        STEP(walk.Do(&Stub::RequestExtension, ask, id + "/ask", walk.HolderOf(id)));
        v1::DecideExtensionRequest decide;
        decide.set_complaint_id(id);
        decide.set_approve(true);
        decide.set_note("the part is needed");
        decide.set_complainant_message("we need two more hours");
        STEP(walk.Do(&Stub::DecideExtension, decide, id + "/decide",
                     SupervisorOf(noted.department())));
        break;
      }
      case Path::kUntouched:
        break;
      case Path::kAlreadySolved:  // ended by their call-backs above
      case Path::kUnverifiable:
        break;
      case Path::kWithdrawn: {
        v1::WithdrawRequest withdraw;
        withdraw.set_complaint_id(id);
        withdraw.set_reason("the caretaker fixed it");
        STEP(walk.Do(&Intake::Withdraw, withdraw, id + "/withdraw", "staff/li"));
        withdrawn_from[noted.department()].insert(id);
        break;
      }
      case Path::kRecurred: {
        // Every department refuses it until the duty supervisor holds it.
        std::string department = noted.department();
        for (int hop = 0; hop < 4 && department != "duty-office"; ++hop) {
          v1::RejectRequest reject;
          reject.set_complaint_id(id);
          reject.set_department(department);
          reject.set_reason("not our trade");
          v1::CommandOutcome moved;
          STEP(walk.Do(&Dispatch::Reject, reject, absl::StrCat(id, "/reject/", hop),
                       SupervisorOf(department), &moved));
          department = moved.department();
        }
        EXPECT_EQ(department, "duty-office") << id;
        v1::RecordFeedbackRequest feedback;
        feedback.set_complaint_id(id);
        feedback.set_kind("suggestion");
        feedback.set_text("check the pipes every spring");
        STEP(walk.Do(&Stub::RecordFeedback, feedback, id + "/feedback", "staff/li"));
        Close(walk, id, 5, 1, "duty-office");
        break;
      }
    }
  }

  // Day 1: every deadline of the open complaints has passed. Tracking is
  // killed while those timers are due and restarted.
  walk.Advance(absl::Hours(24));
  cluster.KillService(Service::kTracking);
  ASSERT_TRUE(cluster.StartService(Service::kTracking));
  for (int i = 0; i < kComplaints; ++i) {
    if (PathOf(i) != Path::kPaused) continue;
    v1::ResumeRequest resume;
    resume.set_complaint_id(ids[i]);
    STEP(walk.Do(&Stub::Resume, resume, ids[i] + "/resume", walk.HolderOf(ids[i])));
  }
  // Day 3: the paused ones breach too; two silent days bring status reports.
  walk.Advance(absl::Hours(48));
  // Day 31: a month after closing, tracking reminds the long-term check of
  // the satisfied complaints; wait for those reminders before any check, so
  // a check cannot race the reminder timer.
  walk.Advance(absl::Hours(24 * 28));
  std::string unreminded;
  ASSERT_TRUE(Eventually(
      [&] {
        for (int i = 0; i < kComplaints; ++i) {
          if (PathOf(i) != Path::kSatisfied) continue;
          const std::vector<v1::Envelope> events = walk.Timeline(ids[i]);
          if (std::none_of(events.begin(), events.end(), [](const v1::Envelope& event) {
                return event.has_long_term_check_due();
              })) {
            unreminded = ids[i];
            return false;
          }
        }
        return true;
      },
      kSettle, absl::Milliseconds(500)))
      << "satisfied complaints are reminded of the long-term check; waiting for " << unreminded;
  // Day 34: the long-term checks.
  walk.Advance(absl::Hours(24 * 3));
  for (int i = 0; i < kComplaints; ++i) {
    if (PathOf(i) == Path::kSatisfied || PathOf(i) == Path::kRecurred) {
      STEP(walk.Do(&Stub::RecordLongTermCheck,
                   LongTermCheckOf(ids[i], PathOf(i) == Path::kRecurred), ids[i] + "/check",
                   "staff/li"));
    }
  }
  // Day 400: closed complaints are archived after their year.
  const absl::Time last = walk.Advance(absl::Hours(24 * 366));

  // Wait until every closed complaint is archived, then check every timeline.
  std::string waiting;  // the first complaint not archived yet, and how its timeline ends
  ASSERT_TRUE(Eventually(
      [&] {
        for (int i = 0; i < kComplaints; ++i) {
          if (PathOf(i) != Path::kSatisfied && PathOf(i) != Path::kUnsatisfied &&
              PathOf(i) != Path::kAlreadySolved && PathOf(i) != Path::kUnverifiable &&
              PathOf(i) != Path::kWithdrawn) {
            continue;
          }
          std::vector<v1::Envelope> events = walk.Timeline(ids[i]);
          if (events.empty() || !events.back().has_archived()) {
            waiting = ids[i];
            for (size_t k = events.size() > 3 ? events.size() - 3 : 0; k < events.size(); ++k) {
              absl::StrAppend(&waiting, " ", PayloadName(events[k]));
            }
            return false;
          }
        }
        return true;
      },
      kSettle, absl::Milliseconds(500)))
      << "closed complaints are archived; waiting for " << waiting;
  // Timers due by `last` fire within a few rounds of the timer loop.
  absl::SleepFor(absl::Seconds(2));

  int events_total = 0, timers_fired = 0, receivers_notified = 0;
  std::set<std::string> expected_overdue;  // from the events: open, resolve-by passed
  // §5.1 figures over all complaints, computed from the events alone.
  int64_t resolved_total = 0, escalations_total = 0;
  std::map<v1::SlaVerdict, std::set<std::string>> expected_verdicts;
  int64_t ever_resolved = 0, ever_reopened_total = 0;
  int64_t satisfaction_count = 0, satisfaction_sum = 0;
  std::vector<absl::Duration> lags;
  std::set<int> escalation_levels;
  int dispatched_unverified = 0, ended_before_dispatch = 0;
  for (int i = 0; i < kComplaints; ++i) {
    const std::vector<v1::Envelope> events = walk.Timeline(ids[i]);
    events_total += static_cast<int>(events.size());
    std::map<std::string, Fired> timers;  // by timer id, from every DeadlinesSet
    std::set<std::string> current;        // the timers of the latest DeadlinesSet
    int status_reports = 0, reopened = 0, archived = 0, closed = 0, assigned = 0, reminded = 0;
    int briefed = 0, notified = 0;
    bool dispatch_first = false, verified = false;
    for (const v1::Envelope& event : events) {
      assigned += event.has_assigned();
      briefed += event.has_receiver_briefed();
      notified += event.has_receiver_notified();
      verified |= event.has_verification_recorded();
      if (event.has_assigned() && !verified) {
        // §2.4 only the priorities dispatched first reach a department unverified.
        EXPECT_TRUE(dispatch_first) << ids[i] << " was dispatched before its call-back";
        ++dispatched_unverified;
      }
      if (event.has_callback_scheduled()) {
        dispatch_first = event.callback_scheduled().dispatch_before_verification();
      }
      if (event.has_deadlines_set()) {
        current.clear();
        for (const v1::ScheduledTimer& timer : event.deadlines_set().timers()) {
          timers[timer.timer_id()].fire_at = FromProto(timer.fire_at());
          current.insert(timer.timer_id());
        }
      }
      std::string fired_id;
      if (event.has_deadline_warning()) fired_id = event.deadline_warning().timer_id();
      if (event.has_deadline_breached()) fired_id = event.deadline_breached().timer_id();
      if (event.has_escalated()) {
        fired_id = event.escalated().timer_id();
        escalation_levels.insert(event.escalated().level());
      }
      if (!fired_id.empty()) {
        Fired& fired = timers[fired_id];
        ++fired.count;
        fired.recorded_at = FromProto(event.recorded_at());
        ++timers_fired;
        // Lag: from when the timer became due in tracking's time (its fire
        // time, or the clock move that passed it) to when it fired.
        absl::Time due = fired.fire_at;
        for (absl::Time moved : walk.advances()) {
          if (moved >= fired.fire_at) {
            due = std::max(due, moved);
            break;
          }
        }
        lags.push_back(fired.recorded_at - due);
      }
      status_reports += event.has_status_reported();
      reopened += event.has_reopened();
      archived += event.has_archived();
      closed += event.has_closed();
      reminded += event.has_long_term_check_due();
    }
    // Each holder dispatch briefed is told its deadlines once — unless the
    // complaint was closed before tracking heard of the move (staff here act
    // within milliseconds).
    EXPECT_LE(notified, briefed) << ids[i];
    if (briefed > 0) {
      EXPECT_GE(notified, 1) << ids[i] << " the first holder was told";
    }
    receivers_notified += notified;
    for (const auto& [timer, fired] : timers) {
      EXPECT_LE(fired.count, 1) << ids[i] << " fired " << timer << " twice";
    }
    bool open = false;
    absl::Time resolve_by = absl::InfiniteFuture();
    for (const v1::Envelope& event : events) {
      if (event.has_deadlines_set()) {
        open = true;
        resolve_by = FromProto(event.deadlines_set().resolve_by());
      }
      if (event.has_resolved() || event.has_closed() || event.has_archived()) open = false;
      if (event.has_reopened()) open = true;
    }
    if (open && resolve_by < last) expected_overdue.insert(ids[i]);
    bool resolved = false, resolved_once = false, ever_reopened = false, resolve_breached = false;
    int satisfaction = 0;
    for (const v1::Envelope& event : events) {
      if (event.has_resolved()) resolved = resolved_once = true;
      if (event.has_reopened()) {
        resolved = false;
        ever_reopened = true;
        satisfaction = 0;
      }
      if (event.has_follow_up_recorded()) satisfaction = event.follow_up_recorded().satisfaction();
      if (event.has_escalated()) ++escalations_total;
      if (event.has_deadline_breached() &&
          event.deadline_breached().target() == v1::SLA_TARGET_RESOLVE) {
        resolve_breached = true;
      }
    }
    if (resolved) ++resolved_total;
    // §3.2 the verdict, from the events alone.
    if (resolve_breached) {
      expected_verdicts[v1::SLA_VERDICT_OVERDUE].insert(ids[i]);
    } else if (resolved) {
      expected_verdicts[resolve_by != absl::InfiniteFuture() ? v1::SLA_VERDICT_ON_TIME
                                                             : v1::SLA_VERDICT_NO_TARGET]
          .insert(ids[i]);
    }
    ever_resolved += resolved_once;
    ever_reopened_total += ever_reopened;
    if (satisfaction > 0) {
      ++satisfaction_count;
      satisfaction_sum += satisfaction;
    }
    switch (PathOf(i)) {
      case Path::kSatisfied:
        EXPECT_EQ(archived, 1) << ids[i];
        EXPECT_EQ(reopened, 0) << ids[i];
        EXPECT_EQ(reminded, 1) << ids[i] << " the long-term check was reminded once";
        break;
      case Path::kUnsatisfied:
        EXPECT_EQ(reopened, 1) << ids[i];
        EXPECT_EQ(closed, 1) << ids[i];
        EXPECT_EQ(archived, 1) << ids[i];
        break;
      case Path::kAlreadySolved:
      case Path::kUnverifiable:
        EXPECT_EQ(closed, 1) << ids[i] << " the call-back ended it";
        EXPECT_EQ(archived, 1) << ids[i];
        EXPECT_EQ(assigned, dispatch_first ? 1 : 0) << ids[i] << " (ended by its call-back)";
        ended_before_dispatch += !dispatch_first;
        break;
      case Path::kWithdrawn:
        EXPECT_EQ(closed, 1) << ids[i] << " the withdrawal closed it";
        EXPECT_EQ(archived, 1) << ids[i];
        break;
      case Path::kRecurred:
        EXPECT_EQ(reopened, 1) << ids[i] << " the long-term check reopened it";
        EXPECT_GE(status_reports, 1) << ids[i];
        break;
      case Path::kPaused:
      case Path::kExtended:
      case Path::kUntouched: {
        // Still open: every timer of its current deadlines due by now fired once.
        EXPECT_FALSE(current.empty()) << ids[i];
        for (const std::string& timer : current) {
          if (timers[timer].fire_at <= last - absl::Seconds(1)) {
            EXPECT_EQ(timers[timer].count, 1) << ids[i] << " " << timer;
          }
        }
        EXPECT_GE(status_reports, 1) << ids[i];
        break;
      }
    }
  }
  EXPECT_EQ(escalation_levels, (std::set<int>{1, 2, 3, 4})) << "every escalation level fired";
  EXPECT_GT(dispatched_unverified, 0) << "urgent complaints went first";

  // §2.1–§5.2 what tracking told people: one acknowledgement per complaint
  // and one notice per escalation, each once although tracking was killed
  // with timers due, and no complainant's name or number in any text.
  std::map<v1::NotificationKind, int> told;
  std::set<std::string> notification_ids;
  std::vector<v1::Notification> notifications;
  int repeated = 0, revealing = 0;
  for (const std::string& payload : ReadTopic(cluster, topics::kNotifications)) {
    v1::Notification& notification = notifications.emplace_back();
    ASSERT_TRUE(notification.ParseFromString(payload));
    ++told[notification.kind()];
    repeated += !notification_ids.insert(notification.notification_id()).second;
    for (const v1::NotificationText& text : notification.texts()) {
      for (const v1::Complainant& complainant : complainants) {
        const std::string digits = complainant.phone().size() > 8
                                       ? complainant.phone().substr(complainant.phone().size() - 8)
                                       : complainant.phone();
        for (const std::string& secret : {complainant.name(), digits}) {
          if (!secret.empty() && (text.subject().find(secret) != std::string::npos ||
                                  text.body().find(secret) != std::string::npos)) {
            ++revealing;
          }
        }
      }
    }
  }
  EXPECT_EQ(told[v1::NOTIFICATION_KIND_ACKNOWLEDGEMENT], kComplaints);
  EXPECT_EQ(told[v1::NOTIFICATION_KIND_ESCALATION], escalations_total);
  EXPECT_EQ(told[v1::NOTIFICATION_KIND_RECEIVER_BRIEFING], receivers_notified);
  EXPECT_GT(receivers_notified, kComplaints / 2);
  EXPECT_GT(told[v1::NOTIFICATION_KIND_STATUS_REPORT], 0);
  EXPECT_GT(told[v1::NOTIFICATION_KIND_FOLLOW_UP_SURVEY], 0);
  EXPECT_GT(told[v1::NOTIFICATION_KIND_LONG_TERM_CHECK], 0);
  EXPECT_EQ(repeated, 0) << "a notification sent twice";
  EXPECT_EQ(revealing, 0) << "a notification text holds a complainant's name or number";
  std::printf("procedure walk: %zu notifications (%d acknowledgements, %d escalations)\n",
              notification_ids.size(), told[v1::NOTIFICATION_KIND_ACKNOWLEDGEMENT],
              told[v1::NOTIFICATION_KIND_ESCALATION]);
  EXPECT_GT(ended_before_dispatch, 0) << "others waited for their call-back, which ended them";
  std::map<std::string, std::string> email_of;
  for (int i = 0; i < kComplaints; ++i) {
    if (!complainants[i].email().empty()) email_of[ids[i]] = complainants[i].email();
  }
  ExpectMailedOnce(walk, *smtp, notifications, email_of, kSettle);

  // The work queue's overdue list: exactly the complaints the events say are
  // open with their resolve-by time passed, in resolve-by order.
  std::vector<std::string> listed_overdue;
  v1::ListComplaintsRequest overdue;
  overdue.set_overdue(true);
  overdue.set_page_size(13);
  for (int page_count = 0; page_count < 100; ++page_count) {
    grpc::ClientContext context;
    v1::ListComplaintsResponse page;
    ASSERT_TRUE(cluster.tracking().ListComplaints(&context, overdue, &page).ok());
    for (const v1::WorkItem& item : page.items()) listed_overdue.push_back(item.complaint_id());
    if (page.next_page_token().empty()) break;
    overdue.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(std::set<std::string>(listed_overdue.begin(), listed_overdue.end()), expected_overdue);
  EXPECT_EQ(listed_overdue.size(), expected_overdue.size()) << "each listed once";

  // Analytics' figures equal those computed from the events.
  v1::MetricsRow figures;
  const bool figures_match = Eventually(
      [&] {
        const std::optional<v1::MetricsRow> all = FiguresOfAll(cluster);
        if (!all.has_value()) return false;
        figures = *all;
        return figures.complaints() == kComplaints && figures.resolved() == resolved_total &&
               figures.escalations() == escalations_total &&
               figures.satisfaction_count() == satisfaction_count;
      },
      absl::Seconds(30), absl::Milliseconds(250));
  EXPECT_TRUE(figures_match) << figures.ShortDebugString();
  EXPECT_EQ(figures.complaints(), kComplaints);
  EXPECT_EQ(figures.resolved(), resolved_total);
  EXPECT_EQ(figures.escalations(), escalations_total);
  EXPECT_EQ(figures.satisfaction_count(), satisfaction_count);
  if (satisfaction_count > 0) {
    EXPECT_DOUBLE_EQ(figures.satisfaction_mean(),
                     static_cast<double>(satisfaction_sum) / satisfaction_count);
  }
  // Three verdicts, and figures and lists agree on each: compliance is on
  // time ÷ (on time + overdue), no-target cases beside it.
  const auto expected_count = [&](v1::SlaVerdict verdict) {
    return static_cast<int64_t>(expected_verdicts[verdict].size());
  };
  EXPECT_EQ(figures.on_time(), expected_count(v1::SLA_VERDICT_ON_TIME));
  EXPECT_EQ(figures.overdue(), expected_count(v1::SLA_VERDICT_OVERDUE));
  EXPECT_EQ(figures.no_target(), expected_count(v1::SLA_VERDICT_NO_TARGET));
  ASSERT_GT(figures.on_time() + figures.overdue(), 0);
  EXPECT_DOUBLE_EQ(figures.sla_compliance(), static_cast<double>(figures.on_time()) /
                                                 (figures.on_time() + figures.overdue()));
  for (const v1::SlaVerdict verdict :
       {v1::SLA_VERDICT_ON_TIME, v1::SLA_VERDICT_OVERDUE, v1::SLA_VERDICT_NO_TARGET}) {
    v1::ListComplaintsRequest request;
    request.set_verdict(verdict);
    for (int status = v1::HANDLING_STATUS_OPEN; status <= v1::HANDLING_STATUS_ARCHIVED; ++status) {
      request.add_statuses(static_cast<v1::HandlingStatus>(status));
    }
    std::set<std::string> listed;
    for (const v1::WorkItem& item : ListAllComplaints(cluster, request)) {
      listed.insert(item.complaint_id());
    }
    EXPECT_EQ(listed, expected_verdicts[verdict]) << v1::SlaVerdict_Name(verdict);
  }
  if (ever_resolved > 0) {
    EXPECT_DOUBLE_EQ(figures.reopen_rate(),
                     static_cast<double>(ever_reopened_total) / ever_resolved);
  }

  // The duty office's work list: exactly the complaints every department
  // refused, reopened by their long-term check and so open again.
  std::set<std::string> expected_duty, listed_duty;
  for (int i = 0; i < kComplaints; ++i) {
    if (PathOf(i) == Path::kRecurred) expected_duty.insert(ids[i]);
  }
  v1::ListAssignmentsRequest duty;
  duty.set_department("duty-office");
  duty.set_page_size(7);
  int pages = 0;
  do {
    grpc::ClientContext context;
    v1::ListAssignmentsResponse page;
    ASSERT_TRUE(cluster.dispatch().ListAssignments(&context, duty, &page).ok());
    for (const v1::Assignment& assignment : page.assignments()) {
      listed_duty.insert(assignment.complaint_id());
    }
    duty.set_page_token(page.next_page_token());
  } while (!duty.page_token().empty() && ++pages < 100);
  EXPECT_EQ(listed_duty, expected_duty);

  // The duty office's own system, following its work from the start, saw
  // each of those complaints arrive (and the long-term checks reopen them).
  {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(20)));
    v1::WatchAssignmentsRequest watch;
    watch.set_department("duty-office");
    auto reader = cluster.dispatch().WatchAssignments(&context, watch);
    std::set<std::string> arrived, reopened;
    v1::WatchAssignmentsResponse change;
    while ((arrived != expected_duty || reopened != expected_duty) && reader->Read(&change)) {
      if (change.change().kind() == v1::ASSIGNMENT_CHANGE_KIND_ASSIGNED)
        arrived.insert(change.change().complaint_id());
      if (change.change().kind() == v1::ASSIGNMENT_CHANGE_KIND_REOPENED)
        reopened.insert(change.change().complaint_id());
    }
    context.TryCancel();
    reader->Finish();
    EXPECT_EQ(arrived, expected_duty);
    EXPECT_EQ(reopened, expected_duty);
  }

  // A withdrawn complaint is off its department's work list (closing freed it).
  for (const auto& [department, withdrawn] : withdrawn_from) {
    v1::ListAssignmentsRequest open;
    open.set_department(department);
    open.set_page_size(500);
    grpc::ClientContext context;
    v1::ListAssignmentsResponse page;
    ASSERT_TRUE(cluster.dispatch().ListAssignments(&context, open, &page).ok());
    for (const v1::Assignment& assignment : page.assignments()) {
      EXPECT_FALSE(withdrawn.contains(assignment.complaint_id()))
          << assignment.complaint_id() << " withdrawn, still on " << department << "'s list";
    }
  }

  const std::vector<absl::Duration>& latencies = walk.latencies();
  std::printf(
      "procedure walk: %d complaints, %d events, %d deadline timers fired, %zu staff commands "
      "(p50 %.1f ms, p99 %.1f ms), timer lag p50 %.0f ms p99 %.0f ms, %.1f s in all\n",
      kComplaints, events_total, timers_fired, latencies.size(),
      absl::ToDoubleMilliseconds(Quantile(latencies, 0.5)),
      absl::ToDoubleMilliseconds(Quantile(latencies, 0.99)),
      absl::ToDoubleMilliseconds(Quantile(lags, 0.5)),
      absl::ToDoubleMilliseconds(Quantile(lags, 0.99)),
      absl::ToDoubleSeconds(complaints::WallNow() - started));
}

}  // namespace
}  // namespace complaints::testing
