#pragma once
// The §3.2 configuration tracking's tests run with, built here rather than
// read from config/: a test states what it runs on, and an operator's edit
// of the shipped files cannot change what a test asserts (config_test checks
// the shipped files themselves). The values are those the centre ships.

#include "absl/status/statusor.h"
#include "complaints/v1/config.pb.h"
#include "libs/core/config.h"

namespace complaints::tracking {

// Limits, warnings and escalations per priority and complexity.
inline absl::StatusOr<v1::SlaPolicies> TestSlaPolicies() {
  v1::SlaPolicies config;
  absl::Status parsed = ParseTextProto(
      "TestSlaPolicies", R"pb(
        policies {
          id: "sla.p1.simple"
          version: 1
          priority: PRIORITY_P1
          complexity: COMPLEXITY_SIMPLE
          limits { target: SLA_TARGET_RESPOND minutes: 15 basis: TIME_BASIS_CALENDAR }
          limits { target: SLA_TARGET_RESOLVE minutes: 240 basis: TIME_BASIS_CALENDAR }
          limits { target: SLA_TARGET_COMMUNICATE minutes: 300 basis: TIME_BASIS_CALENDAR }
          limits { target: SLA_TARGET_FOLLOW_UP minutes: 4320 basis: TIME_BASIS_CALENDAR }
          warning_percent: 75
          escalation { level: 1 role: "handler" minutes_after_breach: 0 }
          escalation { level: 2 role: "supervisor" minutes_after_breach: 60 }
          escalation { level: 3 role: "manager" minutes_after_breach: 240 }
          escalation { level: 4 role: "centre-director" minutes_after_breach: 480 }
        }
        policies {
          id: "sla.p1.ordinary"
          version: 1
          priority: PRIORITY_P1
          complexity: COMPLEXITY_ORDINARY
          limits { target: SLA_TARGET_RESPOND minutes: 15 basis: TIME_BASIS_CALENDAR }
          limits { target: SLA_TARGET_RESOLVE minutes: 480 basis: TIME_BASIS_CALENDAR }
          limits { target: SLA_TARGET_COMMUNICATE minutes: 540 basis: TIME_BASIS_CALENDAR }
          limits { target: SLA_TARGET_FOLLOW_UP minutes: 4320 basis: TIME_BASIS_CALENDAR }
          warning_percent: 75
          escalation { level: 1 role: "handler" minutes_after_breach: 0 }
          escalation { level: 2 role: "supervisor" minutes_after_breach: 60 }
          escalation { level: 3 role: "manager" minutes_after_breach: 240 }
          escalation { level: 4 role: "centre-director" minutes_after_breach: 480 }
        }
        policies {
          id: "sla.p1.complex"
          version: 1
          priority: PRIORITY_P1
          complexity: COMPLEXITY_COMPLEX
          limits { target: SLA_TARGET_RESPOND minutes: 15 basis: TIME_BASIS_CALENDAR }
          limits { target: SLA_TARGET_RESOLVE minutes: 1440 basis: TIME_BASIS_CALENDAR }
          limits { target: SLA_TARGET_COMMUNICATE minutes: 1500 basis: TIME_BASIS_CALENDAR }
          limits { target: SLA_TARGET_FOLLOW_UP minutes: 10080 basis: TIME_BASIS_CALENDAR }
          warning_percent: 75
          escalation { level: 1 role: "handler" minutes_after_breach: 0 }
          escalation { level: 2 role: "supervisor" minutes_after_breach: 60 }
          escalation { level: 3 role: "manager" minutes_after_breach: 240 }
          escalation { level: 4 role: "centre-director" minutes_after_breach: 480 }
        }
        policies {
          id: "sla.p2.simple"
          version: 1
          priority: PRIORITY_P2
          complexity: COMPLEXITY_SIMPLE
          limits { target: SLA_TARGET_RESPOND minutes: 60 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_RESOLVE minutes: 480 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_COMMUNICATE minutes: 720 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_FOLLOW_UP minutes: 10080 basis: TIME_BASIS_CALENDAR }
          warning_percent: 75
          escalation { level: 1 role: "handler" minutes_after_breach: 0 }
          escalation { level: 2 role: "supervisor" minutes_after_breach: 240 }
          escalation { level: 3 role: "manager" minutes_after_breach: 960 }
          escalation { level: 4 role: "centre-director" minutes_after_breach: 1920 }
        }
        policies {
          id: "sla.p2.ordinary"
          version: 1
          priority: PRIORITY_P2
          complexity: COMPLEXITY_ORDINARY
          limits { target: SLA_TARGET_RESPOND minutes: 60 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_RESOLVE minutes: 960 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_COMMUNICATE minutes: 1200 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_FOLLOW_UP minutes: 10080 basis: TIME_BASIS_CALENDAR }
          warning_percent: 75
          escalation { level: 1 role: "handler" minutes_after_breach: 0 }
          escalation { level: 2 role: "supervisor" minutes_after_breach: 240 }
          escalation { level: 3 role: "manager" minutes_after_breach: 960 }
          escalation { level: 4 role: "centre-director" minutes_after_breach: 1920 }
        }
        policies {
          id: "sla.p2.complex"
          version: 1
          priority: PRIORITY_P2
          complexity: COMPLEXITY_COMPLEX
          limits { target: SLA_TARGET_RESPOND minutes: 60 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_RESOLVE minutes: 2400 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_COMMUNICATE minutes: 2640 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_FOLLOW_UP minutes: 20160 basis: TIME_BASIS_CALENDAR }
          warning_percent: 75
          escalation { level: 1 role: "handler" minutes_after_breach: 0 }
          escalation { level: 2 role: "supervisor" minutes_after_breach: 240 }
          escalation { level: 3 role: "manager" minutes_after_breach: 960 }
          escalation { level: 4 role: "centre-director" minutes_after_breach: 1920 }
        }
        policies {
          id: "sla.p3.simple"
          version: 1
          priority: PRIORITY_P3
          complexity: COMPLEXITY_SIMPLE
          limits { target: SLA_TARGET_RESPOND minutes: 240 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_RESOLVE minutes: 960 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_COMMUNICATE minutes: 1440 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_FOLLOW_UP minutes: 10080 basis: TIME_BASIS_CALENDAR }
          warning_percent: 75
          escalation { level: 1 role: "handler" minutes_after_breach: 0 }
          escalation { level: 2 role: "supervisor" minutes_after_breach: 480 }
          escalation { level: 3 role: "manager" minutes_after_breach: 1440 }
          escalation { level: 4 role: "centre-director" minutes_after_breach: 2880 }
        }
        policies {
          id: "sla.p3.ordinary"
          version: 1
          priority: PRIORITY_P3
          complexity: COMPLEXITY_ORDINARY
          limits { target: SLA_TARGET_RESPOND minutes: 240 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_RESOLVE minutes: 1920 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_COMMUNICATE minutes: 2400 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_FOLLOW_UP minutes: 10080 basis: TIME_BASIS_CALENDAR }
          warning_percent: 75
          escalation { level: 1 role: "handler" minutes_after_breach: 0 }
          escalation { level: 2 role: "supervisor" minutes_after_breach: 480 }
          escalation { level: 3 role: "manager" minutes_after_breach: 1440 }
          escalation { level: 4 role: "centre-director" minutes_after_breach: 2880 }
        }
        policies {
          id: "sla.p3.complex"
          version: 1
          priority: PRIORITY_P3
          complexity: COMPLEXITY_COMPLEX
          limits { target: SLA_TARGET_RESPOND minutes: 240 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_RESOLVE minutes: 4800 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_COMMUNICATE minutes: 5280 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_FOLLOW_UP minutes: 20160 basis: TIME_BASIS_CALENDAR }
          warning_percent: 75
          escalation { level: 1 role: "handler" minutes_after_breach: 0 }
          escalation { level: 2 role: "supervisor" minutes_after_breach: 480 }
          escalation { level: 3 role: "manager" minutes_after_breach: 1440 }
          escalation { level: 4 role: "centre-director" minutes_after_breach: 2880 }
        }
        policies {
          id: "sla.p4.simple"
          version: 1
          priority: PRIORITY_P4
          complexity: COMPLEXITY_SIMPLE
          limits { target: SLA_TARGET_RESPOND minutes: 480 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_RESOLVE minutes: 1920 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_COMMUNICATE minutes: 2400 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_FOLLOW_UP minutes: 10080 basis: TIME_BASIS_CALENDAR }
          warning_percent: 75
          escalation { level: 1 role: "handler" minutes_after_breach: 0 }
          escalation { level: 2 role: "supervisor" minutes_after_breach: 960 }
          escalation { level: 3 role: "manager" minutes_after_breach: 2400 }
          escalation { level: 4 role: "centre-director" minutes_after_breach: 4800 }
        }
        policies {
          id: "sla.p4.ordinary"
          version: 1
          priority: PRIORITY_P4
          complexity: COMPLEXITY_ORDINARY
          limits { target: SLA_TARGET_RESPOND minutes: 480 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_RESOLVE minutes: 3840 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_COMMUNICATE minutes: 4320 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_FOLLOW_UP minutes: 20160 basis: TIME_BASIS_CALENDAR }
          warning_percent: 75
          escalation { level: 1 role: "handler" minutes_after_breach: 0 }
          escalation { level: 2 role: "supervisor" minutes_after_breach: 960 }
          escalation { level: 3 role: "manager" minutes_after_breach: 2400 }
          escalation { level: 4 role: "centre-director" minutes_after_breach: 4800 }
        }
        policies {
          id: "sla.p4.complex"
          version: 1
          priority: PRIORITY_P4
          complexity: COMPLEXITY_COMPLEX
          limits { target: SLA_TARGET_RESPOND minutes: 480 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_RESOLVE minutes: 9600 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_COMMUNICATE minutes: 10080 basis: TIME_BASIS_BUSINESS }
          limits { target: SLA_TARGET_FOLLOW_UP minutes: 20160 basis: TIME_BASIS_CALENDAR }
          warning_percent: 75
          escalation { level: 1 role: "handler" minutes_after_breach: 0 }
          escalation { level: 2 role: "supervisor" minutes_after_breach: 960 }
          escalation { level: 3 role: "manager" minutes_after_breach: 2400 }
          escalation { level: 4 role: "centre-director" minutes_after_breach: 4800 }
        }
      )pb",
      &config);
  if (!parsed.ok()) return parsed;
  return config;
}

// Business hours, holidays and make-up working days.
inline absl::StatusOr<v1::BusinessCalendar> TestCalendarConfig() {
  v1::BusinessCalendar config;
  absl::Status parsed =
      ParseTextProto("TestCalendarConfig", R"pb(
                       id: "mainland-2026"
                       version: 1
                       weekly {
                         weekday: 1
                         periods { start_minute: 510 end_minute: 720 }
                         periods { start_minute: 810 end_minute: 1080 }
                       }
                       weekly {
                         weekday: 2
                         periods { start_minute: 510 end_minute: 720 }
                         periods { start_minute: 810 end_minute: 1080 }
                       }
                       weekly {
                         weekday: 3
                         periods { start_minute: 510 end_minute: 720 }
                         periods { start_minute: 810 end_minute: 1080 }
                       }
                       weekly {
                         weekday: 4
                         periods { start_minute: 510 end_minute: 720 }
                         periods { start_minute: 810 end_minute: 1080 }
                       }
                       weekly {
                         weekday: 5
                         periods { start_minute: 510 end_minute: 720 }
                         periods { start_minute: 810 end_minute: 1080 }
                       }
                       holidays { date: "2026-01-01" name: "元旦 New Year's Day" }
                       holidays { date: "2026-01-02" name: "元旦 New Year's Day" }
                       holidays { date: "2026-01-03" name: "元旦 New Year's Day" }
                       make_up_working_days { date: "2026-01-04" name: "元旦调休" }
                       holidays { date: "2026-02-15" name: "春节 Spring Festival" }
                       holidays { date: "2026-02-16" name: "春节 Spring Festival" }
                       holidays { date: "2026-02-17" name: "春节 Spring Festival" }
                       holidays { date: "2026-02-18" name: "春节 Spring Festival" }
                       holidays { date: "2026-02-19" name: "春节 Spring Festival" }
                       holidays { date: "2026-02-20" name: "春节 Spring Festival" }
                       holidays { date: "2026-02-21" name: "春节 Spring Festival" }
                       holidays { date: "2026-02-22" name: "春节 Spring Festival" }
                       holidays { date: "2026-02-23" name: "春节 Spring Festival" }
                       make_up_working_days { date: "2026-02-14" name: "春节调休" }
                       make_up_working_days { date: "2026-02-28" name: "春节调休" }
                       holidays { date: "2026-04-04" name: "清明节 Qingming" }
                       holidays { date: "2026-04-05" name: "清明节 Qingming" }
                       holidays { date: "2026-04-06" name: "清明节 Qingming" }
                       holidays { date: "2026-05-01" name: "劳动节 Labour Day" }
                       holidays { date: "2026-05-02" name: "劳动节 Labour Day" }
                       holidays { date: "2026-05-03" name: "劳动节 Labour Day" }
                       holidays { date: "2026-05-04" name: "劳动节 Labour Day" }
                       holidays { date: "2026-05-05" name: "劳动节 Labour Day" }
                       make_up_working_days { date: "2026-05-09" name: "劳动节调休" }
                       holidays { date: "2026-06-19" name: "端午节 Dragon Boat Festival" }
                       holidays { date: "2026-06-20" name: "端午节 Dragon Boat Festival" }
                       holidays { date: "2026-06-21" name: "端午节 Dragon Boat Festival" }
                       holidays { date: "2026-09-25" name: "中秋节 Mid-Autumn Festival" }
                       holidays { date: "2026-09-26" name: "中秋节 Mid-Autumn Festival" }
                       holidays { date: "2026-09-27" name: "中秋节 Mid-Autumn Festival" }
                       holidays { date: "2026-10-01" name: "国庆节 National Day" }
                       holidays { date: "2026-10-02" name: "国庆节 National Day" }
                       holidays { date: "2026-10-03" name: "国庆节 National Day" }
                       holidays { date: "2026-10-04" name: "国庆节 National Day" }
                       holidays { date: "2026-10-05" name: "国庆节 National Day" }
                       holidays { date: "2026-10-06" name: "国庆节 National Day" }
                       holidays { date: "2026-10-07" name: "国庆节 National Day" }
                       make_up_working_days { date: "2026-09-20" name: "国庆节调休" }
                       make_up_working_days { date: "2026-10-10" name: "国庆节调休" }
                     )pb",
                     &config);
  if (!parsed.ok()) return parsed;
  return config;
}

// Status reports, follow-up and archiving.
inline absl::StatusOr<v1::HandlingPolicy> TestHandlingPolicy() {
  v1::HandlingPolicy config;
  absl::Status parsed = ParseTextProto(
      "TestHandlingPolicy", R"pb(
        id: "handling"
        version: 1
        satisfied_from_score: 3         # follow-up scores 3-5 close the complaint; 1-2 reopen it
        long_term_check_after_days: 30  # §4.1 did the problem come back?
        archive_after_days: 365         # §4.2 kept in the active store for a year after closing
        status_report_after_hours: 48   # §5.2 no news for two days: tell the complainant
        max_extension_minutes: 4320     # §3.2 one extension adds at most three days
        backlog { grace_hours: 24 releases_per_hour: 30 summary_after_minutes: 10 }
      )pb",
      &config);
  if (!parsed.ok()) return parsed;
  return config;
}

// What each notification says, to whom and by which channel.
inline absl::StatusOr<v1::NotificationTemplates> TestNotificationTemplates() {
  v1::NotificationTemplates config;
  absl::Status parsed = ParseTextProto(
      "TestNotificationTemplates", R"pb(
        id: "notifications"
        version: 1
        templates {
          kind: NOTIFICATION_KIND_ACKNOWLEDGEMENT
          language: "zh"
          subject: "投诉已受理：{complaint_id}"
          body: "您的投诉（编号 {complaint_id}）已受理，我们将在 {resolve_by} 前处理完毕。"
        }
        templates {
          kind: NOTIFICATION_KIND_ACKNOWLEDGEMENT
          language: "en"
          subject: "Complaint received: {complaint_id}"
          body: "Your complaint {complaint_id} has been recorded; we will resolve it by {resolve_by}."
        }
        templates {
          kind: NOTIFICATION_KIND_RECEIVER_BRIEFING
          language: "zh"
          subject: "新工单 {complaint_id}（{priority}，{category}）"
          body: "{community} {building}：{content}。请于 {respond_by} 前响应，{resolve_by} 前处理完毕。"
        }
        templates {
          kind: NOTIFICATION_KIND_RECEIVER_BRIEFING
          language: "en"
          subject: "New work {complaint_id} ({priority}, {category})"
          body: "{community} {building}: {content}. Respond by {respond_by}, resolve by {resolve_by}."
        }
        templates {
          kind: NOTIFICATION_KIND_DEADLINE_WARNING
          language: "zh"
          subject: "即将超时：{complaint_id}"
          body: "投诉 {complaint_id}（{department}）的{target}时限 {due_at} 即将到期。"
        }
        templates {
          kind: NOTIFICATION_KIND_DEADLINE_WARNING
          language: "en"
          subject: "Deadline near: {complaint_id}"
          body: "The {target} deadline of complaint {complaint_id} ({department}) falls due at {due_at}."
        }
        templates {
          kind: NOTIFICATION_KIND_DEADLINE_BREACH
          language: "zh"
          subject: "已超时：{complaint_id}"
          body: "投诉 {complaint_id}（{department}）的{target}时限 {due_at} 已过。"
        }
        templates {
          kind: NOTIFICATION_KIND_DEADLINE_BREACH
          language: "en"
          subject: "Deadline missed: {complaint_id}"
          body: "The {target} deadline of complaint {complaint_id} ({department}) passed at {due_at}."
        }
        templates {
          kind: NOTIFICATION_KIND_ESCALATION
          language: "zh"
          subject: "升级（第 {level} 级）：{complaint_id}"
          body: "投诉 {complaint_id}（{department}）的{target}已超时，升级至 {role}，请督办。"
        }
        templates {
          kind: NOTIFICATION_KIND_ESCALATION
          language: "en"
          subject: "Escalated (level {level}): {complaint_id}"
          body: "The {target} of complaint {complaint_id} ({department}) is overdue; escalated to {role}."
        }
        templates {
          kind: NOTIFICATION_KIND_RESULT
          language: "zh"
          subject: "处理结果：{complaint_id}"
          body: "您的投诉 {complaint_id} 已处理：{solution}"
        }
        templates {
          kind: NOTIFICATION_KIND_RESULT
          language: "en"
          subject: "Result: {complaint_id}"
          body: "Your complaint {complaint_id} has been resolved: {solution}"
        }
        templates {
          kind: NOTIFICATION_KIND_STATUS_REPORT
          language: "zh"
          subject: "进度通报：{complaint_id}"
          body: "您的投诉 {complaint_id} 正在处理中，预计 {resolve_by} 前处理完毕。"
        }
        templates {
          kind: NOTIFICATION_KIND_STATUS_REPORT
          language: "en"
          subject: "Progress: {complaint_id}"
          body: "Your complaint {complaint_id} is being handled; we expect to resolve it by {resolve_by}."
        }
        templates {
          kind: NOTIFICATION_KIND_FOLLOW_UP_SURVEY
          language: "zh"
          subject: "满意度回访：{complaint_id}"
          body: "您对投诉 {complaint_id} 的处理是否满意？请回复 1（很不满意）至 5（很满意）。"
        }
        templates {
          kind: NOTIFICATION_KIND_FOLLOW_UP_SURVEY
          language: "en"
          subject: "How did we do? {complaint_id}"
          body: "Are you satisfied with how complaint {complaint_id} was handled? Reply 1 (not at all) to 5 (very)."
        }
        templates {
          kind: NOTIFICATION_KIND_LONG_TERM_CHECK
          language: "zh"
          subject: "长效回访到期：{complaint_id}"
          body: "投诉 {complaint_id} 结案已满 {days} 天，请回访问题是否复发（complaintctl long-term-check）。"
        }
        templates {
          kind: NOTIFICATION_KIND_LONG_TERM_CHECK
          language: "en"
          subject: "Long-term check due: {complaint_id}"
          body: "Complaint {complaint_id} was closed {days} days ago: check whether the problem came back (complaintctl long-term-check)."
        }
        templates {
          kind: NOTIFICATION_KIND_BACKLOG_SUMMARY
          language: "zh"
          subject: "导入积压：{department} 接收 {cases} 件未结投诉"
          body: "{department} 从旧系统接收未结投诉 {cases} 件，其中 {overdue} 件导入时已超时（升级级别：{levels}）。超时件的升级将于 {releases_from} 至 {releases_until} 之间按每小时 {per_hour} 件逐件发出。"
        }
        templates {
          kind: NOTIFICATION_KIND_BACKLOG_SUMMARY
          language: "en"
          subject: "Imported backlog: {department} took over {cases} open cases"
          body: "{department} took over {cases} open cases from the previous system; {overdue} were already overdue when imported (escalation levels: {levels}). Their escalations follow one by one from {releases_from} to {releases_until}, {per_hour} an hour."
        }
      )pb",
      &config);
  if (!parsed.ok()) return parsed;
  return config;
}

}  // namespace complaints::tracking
