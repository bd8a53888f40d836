#include "tests/walk.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "libs/testing/eventually.h"

namespace complaints::testing {

v1::ResolveRequest ResolveOf(const std::string& id) {
  v1::ResolveRequest request;
  request.set_complaint_id(id);
  request.set_outcome("repaired");
  request.set_solution("the fault was found and repaired on site");
  request.set_prevention("added to the quarterly inspection round");
  return request;
}
v1::RecordCommunicationRequest CommunicationOf(const std::string& id) {
  v1::RecordCommunicationRequest request;
  request.set_complaint_id(id);
  request.set_channel(v1::CHANNEL_PHONE);
  request.set_complainant_response("thanks");
  return request;
}
v1::RecordFollowUpRequest FollowUpOf(const std::string& id, int satisfaction) {
  v1::RecordFollowUpRequest request;
  request.set_complaint_id(id);
  request.set_satisfaction(satisfaction);
  request.set_comments(satisfaction >= 3 ? "fine now" : "it still happens");
  return request;
}
v1::RecordLongTermCheckRequest LongTermCheckOf(const std::string& id, bool recurred) {
  v1::RecordLongTermCheckRequest request;
  request.set_complaint_id(id);
  request.set_recurred(recurred);
  request.set_note(recurred ? "the leak is back" : "no recurrence in a month");
  return request;
}

v1::RecordVerificationRequest VerificationOf(const std::string& id,
                                             v1::VerificationOutcome outcome) {
  v1::RecordVerificationRequest request;
  request.set_complaint_id(id);
  request.set_outcome(outcome);
  request.set_unanswered(outcome == v1::VERIFICATION_OUTCOME_UNSPECIFIED);
  request.set_explanation(request.unanswered() ? "no answer" : "called back");
  return request;
}

v1::AcceptRequest AcceptOf(const std::string& id) {
  v1::AcceptRequest request;
  request.set_complaint_id(id);
  return request;
}

std::string SupervisorOf(const std::string& department) {
  return department == "engineering" ? "staff/zhao" : "staff/duty.supervisor";
}

std::string HolderIdentity(const std::string& department, const std::string& handler) {
  if (!handler.empty()) return "staff/" + handler;
  static const auto* const kMember = new std::map<std::string, std::string>{
      {"engineering", "staff/eng.zhang"},      {"security", "staff/sec.chen"},
      {"cleaning", "staff/cln.huang"},         {"landscaping", "staff/lnd.wu"},
      {"customer-service", "staff/cs.xu"},     {"finance", "staff/fin.ma"},
      {"duty-office", "staff/duty.supervisor"}};
  auto it = kMember->find(department);
  return it == kMember->end() ? "staff/duty.supervisor" : it->second;
}

std::string Walk::HolderOf(const std::string& id, const std::string& department) {
  std::string holder;
  EXPECT_TRUE(Eventually(
      [&] {
        v1::GetComplaintRequest request;
        request.set_complaint_id(id);
        request.set_page_size(1);
        grpc::ClientContext context;
        v1::GetComplaintResponse response;
        if (!cluster_.tracking().GetComplaint(&context, request, &response).ok()) return false;
        const v1::DispatchState& held = response.view().dispatch();
        if (held.department().empty()) return false;
        if (!department.empty() && held.department() != department) return false;
        holder = HolderIdentity(held.department(), held.handler());
        return true;
      },
      absl::Seconds(30), kPoll))
      << id << ": tracking never saw it held" << (department.empty() ? "" : " by ") << department;
  return holder;
}

void Close(Walk& walk, const std::string& id, int satisfaction, int round,
           const std::string& department) {
  const std::string k = absl::StrCat(id, "/", round);
  STEP(walk.Do(&v1::TrackingService::Stub::Resolve, ResolveOf(id), k + "/resolve",
               walk.HolderOf(id, department)));
  STEP(walk.Do(&v1::TrackingService::Stub::RecordCommunication, CommunicationOf(id), k + "/tell",
               "staff/li"));
  STEP(walk.Do(&v1::TrackingService::Stub::RecordFollowUp, FollowUpOf(id, satisfaction),
               k + "/survey", "staff/li"));
}

std::string PayloadName(const v1::Envelope& event) {
  const google::protobuf::FieldDescriptor* field =
      v1::Envelope::descriptor()->FindFieldByNumber(static_cast<int>(event.payload_case()));
  return field == nullptr ? "?" : field->name();
}

// §3.4/§5.2 the complainants' e-mail: every e-mail notification on the
// topic arrived at the SMTP server once, at its complainant's address, and
// intake recorded it sent. `email_of`: complaint id -> address.
void ExpectMailedOnce(Walk& walk, SmtpServer& smtp, const std::vector<v1::Notification>& told,
                      const std::map<std::string, std::string>& email_of, absl::Duration settle) {
  std::map<std::string, int> expected;  // address -> messages
  std::set<std::string> mailed_complaints;
  size_t total = 0;
  for (const v1::Notification& notification : told) {
    if (notification.recipient() != v1::RECIPIENT_ROLE_COMPLAINANT ||
        notification.channel() != v1::NOTIFICATION_CHANNEL_EMAIL) {
      continue;
    }
    ASSERT_TRUE(email_of.count(notification.complaint_id())) << notification.complaint_id();
    ++expected[email_of.at(notification.complaint_id())];
    mailed_complaints.insert(notification.complaint_id());
    ++total;
  }
  ASSERT_GT(total, 0u) << "complaints that came by e-mail are answered by e-mail";
  std::vector<std::string> messages;
  EXPECT_TRUE(Eventually(
      [&] {
        messages = smtp.Messages();
        return messages.size() >= total;
      },
      settle, absl::Milliseconds(500)))
      << messages.size() << " of " << total << " e-mails arrived";
  absl::SleepFor(absl::Seconds(1));  // nothing more may come
  messages = smtp.Messages();
  std::map<std::string, int> received;
  std::set<std::string> message_ids;
  for (const std::string& message : messages) {
    ++received[HeaderOf(message, "X-RcptTo")];
    EXPECT_TRUE(message_ids.insert(HeaderOf(message, "Message-ID")).second)
        << "mailed twice: " << HeaderOf(message, "Message-ID");
  }
  EXPECT_EQ(received, expected);
  size_t sent = 0;
  for (const std::string& id : mailed_complaints) {
    for (const v1::Envelope& event : walk.Timeline(id)) {
      sent += event.has_notification_delivery() &&
              event.notification_delivery().outcome() == v1::DELIVERY_OUTCOME_SENT;
    }
  }
  EXPECT_EQ(sent, total) << "intake recorded each e-mail sent once";
  std::printf("procedure walk: %zu e-mails to %zu complainants, each once\n", total,
              mailed_complaints.size());
}

}  // namespace complaints::testing
