#include "services/tracking/domain/notifier.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "libs/complaint/labels.h"
#include "libs/complaint/view.h"
#include "libs/core/time_util.h"
#include "services/tracking/domain/sla_decider.h"

namespace complaints::tracking {
namespace {

absl::Status Invalid(absl::string_view path, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", reason));
}

// How the complainant is reached: the way the complaint came in, where a
// message can go back that way.
v1::NotificationChannel ComplainantChannel(v1::Channel channel) {
  switch (channel) {
    case v1::CHANNEL_EMAIL:
      return v1::NOTIFICATION_CHANNEL_EMAIL;
    case v1::CHANNEL_LETTER:
      return v1::NOTIFICATION_CHANNEL_LETTER;
    default:
      return v1::NOTIFICATION_CHANNEL_SMS;
  }
}

}  // namespace

absl::StatusOr<Notifier> Notifier::Create(v1::NotificationTemplates templates,
                                          absl::TimeZone zone) {
  if (templates.id().empty()) return Invalid("id", "required");
  std::set<std::string> languages;
  std::set<std::pair<int, std::string>> seen;
  for (int i = 0; i < templates.templates_size(); ++i) {
    const v1::NotificationTemplate& t = templates.templates(i);
    const std::string path = absl::StrCat("templates[", i, "]");
    if (t.kind() == v1::NOTIFICATION_KIND_UNSPECIFIED || !v1::NotificationKind_IsValid(t.kind())) {
      return Invalid(path + ".kind", "required");
    }
    if (t.language().empty()) return Invalid(path + ".language", "required");
    if (t.body().empty()) return Invalid(path + ".body", "required");
    if (!seen.insert({t.kind(), t.language()}).second) return Invalid(path, "listed twice");
    languages.insert(t.language());
  }
  for (int kind = v1::NOTIFICATION_KIND_ACKNOWLEDGEMENT; kind <= v1::NotificationKind_MAX; ++kind) {
    for (const std::string& language : languages) {
      if (!seen.count({kind, language})) {
        return Invalid("templates", absl::StrCat("no ", language, " text for ",
                                                 v1::NotificationKind_Name(kind)));
      }
    }
  }
  if (languages.empty()) return Invalid("templates", "required");
  return Notifier(std::move(templates), zone);
}

std::vector<v1::Notification> Notifier::For(const v1::Envelope& event,
                                            const v1::ComplaintView& after) const {
  // §4.2 an imported case's history happened elsewhere: nobody is told of
  // it, and its complainant learnt of its receipt back then.
  if (ImportedClosed(after)) return {};
  if (Imported(after)) {
    const absl::Time imported = FromProto(after.intake().history().imported_at());
    if (FromProto(event.recorded_at()) < imported || FromProto(event.occurred_at()) < imported ||
        event.has_deadlines_set() ||
        (event.has_receiver_notified() && after.dispatch().hops() == 0)) {
      return {};
    }
  }
  v1::Notification notification;
  notification.set_complaint_id(event.complaint_id());
  notification.set_caused_by(event.event_id());
  *notification.mutable_recorded_at() = event.recorded_at();
  const v1::ComplaintView& view = after;
  auto time = [this](const google::protobuf::Timestamp& at) {
    return absl::FormatTime("%Y-%m-%d %H:%M", FromProto(at), zone_);
  };
  std::map<std::string, std::string> values = {
      {"{complaint_id}", event.complaint_id()},
      {"{resolve_by}", view.tracking().has_resolve_by() ? time(view.tracking().resolve_by()) : "-"},
      {"{respond_by}", view.tracking().has_respond_by() ? time(view.tracking().respond_by()) : "-"},
      {"{category}", view.intake().category()},
      {"{priority}", EnumLabel(v1::Priority_descriptor(), view.intake().priority())},
      {"{community}", view.intake().location().community()},
      {"{building}", view.intake().location().building()},
      {"{content}", view.intake().content()},
      {"{department}", view.dispatch().department()},
  };
  auto to_complainant = [&](v1::NotificationKind kind) {
    notification.set_kind(kind);
    notification.set_recipient(v1::RECIPIENT_ROLE_COMPLAINANT);
    notification.set_channel(ComplainantChannel(view.intake().channel()));
  };
  auto to_staff = [&](v1::NotificationKind kind, v1::SlaTarget target,
                      const google::protobuf::Timestamp& due_at) {
    notification.set_kind(kind);
    notification.set_recipient(v1::RECIPIENT_ROLE_SUPERVISOR);
    notification.set_department(view.dispatch().department());
    notification.set_handler(view.dispatch().handler());
    notification.set_channel(v1::NOTIFICATION_CHANNEL_STAFF_APP);
    values["{target}"] = EnumLabel(v1::SlaTarget_descriptor(), target);
    values["{due_at}"] = time(due_at);
  };
  switch (event.payload_case()) {
    case v1::Envelope::kDeadlinesSet:
      if (event.deadlines_set().reason() != kClockStartedReason) return {};
      to_complainant(v1::NOTIFICATION_KIND_ACKNOWLEDGEMENT);
      break;
    case v1::Envelope::kDeadlineWarning:
      to_staff(v1::NOTIFICATION_KIND_DEADLINE_WARNING, event.deadline_warning().target(),
               event.deadline_warning().due_at());
      break;
    case v1::Envelope::kDeadlineBreached:
      to_staff(v1::NOTIFICATION_KIND_DEADLINE_BREACH, event.deadline_breached().target(),
               event.deadline_breached().due_at());
      break;
    case v1::Envelope::kEscalated:
      to_staff(v1::NOTIFICATION_KIND_ESCALATION, event.escalated().target(), {});
      notification.set_role(event.escalated().role());
      values["{level}"] = absl::StrCat(event.escalated().level());
      values["{role}"] = event.escalated().role();
      break;
    case v1::Envelope::kResolved:
      to_complainant(v1::NOTIFICATION_KIND_RESULT);
      values["{solution}"] = event.resolved().solution();
      break;
    case v1::Envelope::kStatusReported:
      to_complainant(v1::NOTIFICATION_KIND_STATUS_REPORT);
      break;
    case v1::Envelope::kResultCommunicated:
      to_complainant(v1::NOTIFICATION_KIND_FOLLOW_UP_SURVEY);
      break;
    case v1::Envelope::kReceiverNotified:
      notification.set_kind(v1::NOTIFICATION_KIND_RECEIVER_BRIEFING);
      notification.set_recipient(v1::RECIPIENT_ROLE_RECEIVER);
      notification.set_department(event.receiver_notified().department());
      notification.set_handler(event.receiver_notified().handler());
      notification.set_channel(v1::NOTIFICATION_CHANNEL_STAFF_APP);
      break;
    case v1::Envelope::kLongTermCheckDue:
      notification.set_kind(v1::NOTIFICATION_KIND_LONG_TERM_CHECK);
      notification.set_recipient(v1::RECIPIENT_ROLE_RECEIVER);
      notification.set_department(view.dispatch().department());
      notification.set_handler(view.dispatch().handler());
      notification.set_channel(v1::NOTIFICATION_CHANNEL_STAFF_APP);
      values["{days}"] = absl::StrCat(event.long_term_check_due().after_days());
      break;
    default:
      return {};
  }
  notification.set_notification_id(absl::StrCat(
      event.event_id(), "/", EnumLabel(v1::NotificationKind_descriptor(), notification.kind())));
  Render(notification, values);
  return {std::move(notification)};
}

void Notifier::Render(v1::Notification& notification,
                      const std::map<std::string, std::string>& values) const {
  for (const v1::NotificationTemplate& t : templates_.templates()) {
    if (t.kind() != notification.kind()) continue;
    v1::NotificationText& text = *notification.add_texts();
    text.set_language(t.language());
    text.set_subject(absl::StrReplaceAll(t.subject(), values));
    text.set_body(absl::StrReplaceAll(t.body(), values));
  }
}

v1::Notification Notifier::Summary(const v1::BacklogTally& tally, absl::Time now) const {
  const v1::BacklogSummary& counts = tally.pending();
  v1::Notification notification;
  notification.set_notification_id(
      absl::StrCat("backlog/", tally.department(), "/", tally.summaries() + 1));
  notification.set_kind(v1::NOTIFICATION_KIND_BACKLOG_SUMMARY);
  notification.set_recipient(v1::RECIPIENT_ROLE_SUPERVISOR);
  notification.set_department(tally.department());
  notification.set_channel(v1::NOTIFICATION_CHANNEL_STAFF_APP);
  *notification.mutable_recorded_at() = ToProto(now);
  *notification.mutable_backlog() = counts;
  std::string levels;
  for (int i = 0; i < counts.by_level_size(); ++i) {
    if (counts.by_level(i) == 0) continue;
    absl::StrAppend(&levels, levels.empty() ? "" : ", ", "L", i + 1, " ", counts.by_level(i));
  }
  auto time = [this](const google::protobuf::Timestamp& at) {
    return absl::FormatTime("%Y-%m-%d %H:%M", FromProto(at), zone_);
  };
  Render(notification,
         {{"{department}", tally.department()},
          {"{cases}", absl::StrCat(counts.cases())},
          {"{overdue}", absl::StrCat(counts.overdue())},
          {"{levels}", levels.empty() ? "-" : levels},
          {"{releases_from}", counts.has_releases_from() ? time(counts.releases_from()) : "-"},
          {"{releases_until}", counts.has_releases_until() ? time(counts.releases_until()) : "-"},
          {"{per_hour}", absl::StrCat(counts.releases_per_hour())}});
  return notification;
}

}  // namespace complaints::tracking
