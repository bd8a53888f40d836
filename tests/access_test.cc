// §4.2 confidentiality, end to end over mTLS: every role calls every RPC of
// the four services and gets exactly what the rule table (docs/security.md) says; callers without a
// good certificate are refused at the handshake; the actor recorded is the certificate's identity;
// a handler sees only what they or their department hold, with the contact to call back but not the
// identity number.
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "complaints/v1/access.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "gtest/gtest.h"
#include "libs/complaint/redaction.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"
#include "libs/runner/topics.h"
#include "libs/security/rules.h"
#include "libs/security/token.h"
#include "tests/scenario.h"

namespace complaints::testing {
namespace {

// One identity per role, from config/access.textproto.
const std::map<std::string, std::string>& IdentityOfRole() {
  static const auto* const kIdentities =
      new std::map<std::string, std::string>{{"clerk", "staff/li"},
                                             {"handler", "staff/eng.zhang"},
                                             {"supervisor", "staff/zhao"},
                                             {"manager", "staff/qian"},
                                             {"analyst", "staff/he"},
                                             {"auditor", "staff/luo"},
                                             {"integration", "system/engineering-app"},
                                             {"service", "service/intake"},
                                             {"operator", "ops/oncall"}};
  return *kIdentities;
}

// The rule table as docs/security.md states it, written out here independently of
// libs/security/rules.cc: method -> the roles that may call it.
const std::map<std::string, std::set<std::string>>& Allowed() {
  static const auto* const kAllowed = new std::map<std::string, std::set<std::string>>{
      {"IntakeService/SubmitComplaint", {"clerk", "integration"}},
      {"IntakeService/RecordVerification", {"clerk", "supervisor"}},
      {"IntakeService/Reclassify", {"supervisor", "manager"}},
      {"IntakeService/RequestErasure", {"manager"}},
      {"IntakeService/Withdraw", {"clerk", "supervisor"}},
      {"IntakeService/AttachEvidence", {"clerk", "handler", "supervisor", "integration"}},
      {"IntakeService/GetEvidence", {"handler", "supervisor", "manager"}},
      {"IntakeService/GetPersonalData", {"clerk", "handler", "supervisor", "manager"}},
      {"IntakeService/ExportPersonalData", {"manager"}},
      {"TrackingService/GetComplaint", {"clerk", "handler", "supervisor", "manager", "auditor"}},
      {"TrackingService/ListComplaints", {"clerk", "handler", "supervisor", "manager", "auditor"}},
      {"TrackingService/AddNote", {"clerk", "handler", "supervisor"}},
      {"TrackingService/RecordEvidence", {"clerk", "handler", "supervisor", "integration"}},
      {"TrackingService/Pause", {"handler", "supervisor"}},
      {"TrackingService/Resume", {"handler", "supervisor"}},
      {"TrackingService/RequestExtension", {"handler", "supervisor"}},
      {"TrackingService/DecideExtension", {"supervisor", "manager"}},
      {"TrackingService/Resolve", {"handler", "supervisor"}},
      {"TrackingService/ResolveIncident", {"handler", "supervisor"}},
      {"TrackingService/LinkDuplicate", {"handler", "supervisor"}},
      {"TrackingService/UnlinkDuplicate", {"handler", "supervisor"}},
      {"TrackingService/RecordCommunication", {"clerk", "handler", "supervisor"}},
      {"TrackingService/RecordFollowUp", {"clerk", "supervisor"}},
      {"TrackingService/RecordLongTermCheck", {"clerk", "supervisor"}},
      {"TrackingService/RecordFeedback", {"clerk", "integration"}},
      {"TrackingService/GetAuditTrail", {"manager", "auditor"}},
      {"DispatchService/Assign", {"supervisor", "manager"}},
      {"DispatchService/Transfer", {"handler", "supervisor"}},
      {"DispatchService/Reject", {"handler", "supervisor"}},
      {"DispatchService/Accept", {"handler", "supervisor"}},
      {"DispatchService/ListAssignments",
       {"clerk", "handler", "supervisor", "manager", "integration"}},
      {"DispatchService/WatchAssignments",
       {"clerk", "handler", "supervisor", "manager", "integration"}},
      {"AnalyticsService/GetCounts", {"supervisor", "manager", "analyst"}},
      {"AnalyticsService/GetFigures", {"supervisor", "manager", "analyst"}},
      {"AnalyticsService/IssueToken", {"supervisor", "manager", "analyst"}},
      {"AnalyticsService/GetProjection", {"supervisor", "manager", "analyst"}},
      {"AnalyticsService/GetHotIssues", {"supervisor", "manager", "analyst"}},
      {"AnalyticsService/ListIncidents", {"supervisor", "manager", "analyst"}},
      {"AnalyticsService/ListReports", {"supervisor", "manager", "analyst"}},
      {"AnalyticsService/GetReport", {"supervisor", "manager", "analyst"}},
      {"AdminService/GetStatus", {"auditor", "service", "operator"}},
      {"AdminService/ListDeadLetters", {"operator"}},
      {"AdminService/GetDeadLetter", {"operator"}},
      {"AdminService/RetryDeadLetter", {"operator"}},
      {"AdminService/AdvanceClock", {"operator"}},
      {"AdminService/GetCentre",
       {"clerk", "handler", "supervisor", "manager", "analyst", "auditor", "integration", "service",
        "operator"}},
      {"IntakeService/ImportCase", {"operator"}},
      {"DispatchService/TrainRoutingModel", {"manager", "operator"}},
      {"DispatchService/ListRoutingModels", {"manager", "operator"}},
      {"DispatchService/ActivateRoutingModel", {"manager", "operator"}},
      {"DispatchService/BacktestRouting", {"manager", "operator"}},
      {"AdminService/CreateBackup", {"operator"}},
      {"AdminService/ListBackups", {"operator"}},
  };
  return *kAllowed;
}

// Calls `method` with an empty request as `identity`: admitted callers get
// whatever the empty request deserves (INVALID_ARGUMENT, mostly), refused
// ones PERMISSION_DENIED. Streams are opened generically too: the client
// half-closes at once, and a server stream is cut after a second.
grpc::Status CallEmpty(Cluster& cluster, Service service,
                       const google::protobuf::MethodDescriptor& method,
                       const std::string& identity) {
  grpc::GenericStub stub(
      grpc::CreateChannel(cluster.address(service), cluster.credentials(identity)));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(2)));
  const std::string path = absl::StrCat("/", method.service()->full_name(), "/", method.name());
  grpc::CompletionQueue queue;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(&context, path, &queue);
  void* tag = nullptr;
  bool ok = false;
  int step = 0;
  auto next = [&] {
    EXPECT_TRUE(queue.Next(&tag, &ok));
    return ok;
  };
  call->StartCall(reinterpret_cast<void*>(++step));
  next();
  grpc::ByteBuffer empty;
  grpc::Slice nothing("");
  empty = grpc::ByteBuffer(&nothing, 1);
  call->WriteLast(empty, grpc::WriteOptions(), reinterpret_cast<void*>(++step));
  next();
  grpc::ByteBuffer answer;
  for (int reads = 0; reads < 8; ++reads) {  // a server stream's first few messages
    call->Read(&answer, reinterpret_cast<void*>(++step));
    if (!next()) break;
  }
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(++step));
  next();
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  return status;
}

Service ServiceOf(const std::string& service_name) {
  if (service_name == "IntakeService") return Service::kIntake;
  if (service_name == "DispatchService") return Service::kDispatch;
  if (service_name == "TrackingService") return Service::kTracking;
  return Service::kAnalytics;
}

TEST(Access, EveryRoleGetsExactlyWhatTheRuleTableSaysOnEveryRpc) {
  Cluster cluster;
  ASSERT_TRUE(cluster.Start());
  const google::protobuf::FileDescriptor* files[] = {
      v1::SubmitComplaintRequest::descriptor()->file(),
      v1::GetComplaintRequest::descriptor()->file(), v1::AssignRequest::descriptor()->file(),
      v1::GetCountsRequest::descriptor()->file(), v1::GetStatusRequest::descriptor()->file()};
  int checked = 0;
  std::set<std::string> seen;
  for (const google::protobuf::FileDescriptor* file : files) {
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const google::protobuf::MethodDescriptor& method = *service->method(m);
        const std::string name = absl::StrCat(service->name(), "/", method.name());
        seen.insert(name);
        auto rule = Allowed().find(name);
        ASSERT_NE(rule, Allowed().end()) << name << " has no line in the rule table";
        const std::string permission =
            PermissionName(method.options().GetExtension(v1::required_permission));
        // The Admin API is on every service: ask each of them.
        std::vector<Service> targets = {ServiceOf(service->name())};
        if (service->name() == "AdminService") targets.assign(kServices.begin(), kServices.end());
        for (Service target : targets) {
          for (const auto& [role, identity] : IdentityOfRole()) {
            const grpc::Status status = CallEmpty(cluster, target, method, identity);
            const bool admitted = status.error_code() != grpc::StatusCode::PERMISSION_DENIED &&
                                  status.error_code() != grpc::StatusCode::UNAUTHENTICATED;
            EXPECT_EQ(admitted, rule->second.count(role) > 0)
                << name << " on " << NameOf(target) << " as " << role << ": " << status.error_code()
                << " " << status.error_message();
            if (!admitted) {
              EXPECT_TRUE(absl::StartsWith(status.error_message(),
                                           absl::StrCat("permission ", permission, " required")))
                  << name << " as " << role << ": " << status.error_message();
            }
            ++checked;
          }
        }
      }
    }
  }
  EXPECT_EQ(seen.size(), Allowed().size()) << "the table names a method the services lack";
  std::printf("[figures] access matrix: %d calls, %zu methods x %zu roles\n", checked, seen.size(),
              IdentityOfRole().size());
}

v1::SubmitComplaintRequest Trapped() {
  v1::SubmitComplaintRequest request;
  request.set_idempotency_key("access-1");
  request.set_channel(v1::CHANNEL_PHONE);
  request.mutable_complainant()->set_name("王芳");
  request.mutable_complainant()->set_phone("13800138000");
  request.mutable_complainant()->set_identity_type(v1::IDENTITY_TYPE_RESIDENT_ID_CARD);
  request.mutable_complainant()->set_identity_number("11010519491231002X");
  request.set_content("3号楼电梯困人");
  request.mutable_location()->set_community("阳光花园");
  request.mutable_location()->set_building("3");
  request.mutable_location()->set_unit("1202");
  return request;
}

grpc::Status Get(Cluster& cluster, const std::string& identity, const std::string& id,
                 v1::GetComplaintResponse* response) {
  v1::GetComplaintRequest request;
  request.set_complaint_id(id);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(10)));
  return cluster.tracking(identity).GetComplaint(&context, request, response);
}

TEST(Access, ActorsAreCertificatesHandlersSeeTheirHoldingsAndViewsAreRedactedByRole) {
  Cluster cluster;
  ASSERT_TRUE(cluster.Start());
  const Submitted submitted = Submit(cluster.intake(), Trapped());
  ASSERT_TRUE(submitted.status.ok()) << submitted.status.error_message();
  const std::string id = submitted.response.complaint_id();

  // The security department holds it (safety P1).
  v1::GetComplaintResponse held;
  ASSERT_TRUE(Eventually(
      [&] {
        held.Clear();
        return Get(cluster, "staff/qian", id, &held).ok() &&
               !held.view().dispatch().department().empty();
      },
      absl::Seconds(30), kPoll));
  ASSERT_EQ(held.view().dispatch().department(), "security");
  const std::string holder = "staff/" + held.view().dispatch().handler();

  // Who recorded the complaint is the certificate's identity.
  ASSERT_FALSE(held.events().empty());
  EXPECT_EQ(held.events(0).actor().id(), "call-centre");
  EXPECT_EQ(held.events(0).actor().role(), "integration");

  // A handler of another department sees nothing and can do nothing to it.
  v1::GetComplaintResponse other;
  const grpc::Status elsewhere = Get(cluster, "staff/eng.zhang", id, &other);
  EXPECT_EQ(elsewhere.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(absl::StrContains(elsewhere.error_message(), "is held by security"))
      << elsewhere.error_message();
  v1::AddNoteRequest note;
  note.set_idempotency_key("access-note");
  note.set_complaint_id(id);
  note.set_text("on my way");
  v1::AddNoteResponse noted;
  {
    grpc::ClientContext context;
    EXPECT_EQ(cluster.tracking("staff/eng.zhang").AddNote(&context, note, &noted).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    ASSERT_TRUE(cluster.tracking(holder).AddNote(&context, note, &noted).ok());
  }

  // A supervisor of another department neither acts on it nor reads its
  // personal data; the duty office's supervisor and the manager act anywhere.
  {
    grpc::ClientContext context;
    v1::AddNoteRequest by_zhao = note;
    by_zhao.set_idempotency_key("access-note-zhao");
    const grpc::Status refused = cluster.tracking("staff/zhao").AddNote(&context, by_zhao, &noted);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_TRUE(absl::StrContains(refused.error_message(),
                                  "a supervisor acts only on complaints held by their department"))
        << refused.error_message();
  }
  {
    grpc::ClientContext context;
    v1::AddNoteRequest by_duty = note;
    by_duty.set_idempotency_key("access-note-duty");
    EXPECT_TRUE(cluster.tracking("staff/duty.supervisor").AddNote(&context, by_duty, &noted).ok());
  }

  // Tracking holds the personal data only sealed: nobody reads it there.
  v1::GetComplaintResponse as_auditor;
  ASSERT_TRUE(Get(cluster, "staff/luo", id, &as_auditor).ok());
  const v1::ComplaintReceived& received = as_auditor.events(0).received();
  EXPECT_TRUE(received.complainant().name().empty());
  EXPECT_TRUE(received.complainant().phone().empty());
  EXPECT_TRUE(received.location().unit().empty());
  EXPECT_FALSE(received.personal().sealed().empty());
  EXPECT_EQ(received.location().building(), "3") << "the place stays for routing";
  EXPECT_FALSE(received.redacted_content().empty());

  // Field-level, from intake alone: the holder sees the contact to call
  // back, not the ID number; the manager both; the auditor and a handler of
  // another department nothing.
  auto personal = [&](const std::string& identity, v1::GetPersonalDataResponse* out) {
    v1::GetPersonalDataRequest request;
    request.set_complaint_id(id);
    request.set_reason("calling the complainant back");
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(10)));
    return cluster.intake(identity).GetPersonalData(&context, request, out);
  };
  v1::GetPersonalDataResponse as_holder, unsealed, refused;
  ASSERT_TRUE(
      Eventually([&] { return personal(holder, &as_holder).ok(); }, absl::Seconds(20), kPoll))
      << "intake learns the holder from dispatch's topic";
  EXPECT_EQ(as_holder.personal().complainant().phone(), "+8613800138000");
  EXPECT_EQ(as_holder.personal().complainant().identity_number(), kRedacted);
  ASSERT_TRUE(personal("staff/qian", &unsealed).ok());
  EXPECT_EQ(unsealed.personal().complainant().identity_number(), "11010519491231002X");
  EXPECT_EQ(personal("staff/luo", &refused).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(personal("staff/eng.zhang", &refused).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(personal("staff/zhao", &refused).error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << "a supervisor of engineering reads no security complaint's personal data";

  // Every unsealing is on the complaint's record: who, and why.
  v1::GetComplaintResponse as_manager;
  ASSERT_TRUE(Eventually(
      [&] {
        as_manager.Clear();
        if (!Get(cluster, "staff/qian", id, &as_manager).ok()) return false;
        int reads = 0;
        for (const v1::Envelope& event : as_manager.events()) {
          reads += event.has_personal_data_read() &&
                   event.personal_data_read().reason() == "calling the complainant back";
        }
        return reads == 2;
      },
      absl::Seconds(20), kPoll));

  // The note's actor is the holder's certificate, in the role that allowed it.
  v1::Envelope recorded;
  for (const v1::Envelope& event : as_manager.events()) {
    if (event.has_note_added() && !recorded.has_note_added()) recorded = event;
  }
  ASSERT_TRUE(recorded.has_note_added());
  EXPECT_EQ("staff/" + recorded.actor().id(), holder);
  EXPECT_EQ(recorded.actor().role(), "handler");
  EXPECT_EQ(recorded.actor().department(), "security");

  // The auditor's trail: who did what, who read the personal data and why,
  // every writer's chain intact.
  v1::GetAuditTrailRequest audit;
  audit.set_complaint_id(id);
  v1::GetAuditTrailResponse trail;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(cluster.tracking("staff/luo").GetAuditTrail(&context, audit, &trail).ok());
  }
  EXPECT_TRUE(trail.intact());
  EXPECT_GE(trail.checks_size(), 3) << "intake, dispatch and tracking each chain their events";
  for (const v1::ChainCheck& check : trail.checks()) {
    EXPECT_TRUE(check.intact()) << check.problem();
  }
  int reads = 0, notes = 0, duty_notes = 0;
  for (const v1::Envelope& entry : trail.entries()) {
    reads += entry.has_personal_data_read();
    notes += entry.has_note_added() && "staff/" + entry.actor().id() == holder;
    duty_notes += entry.has_note_added() && entry.actor().centre_wide();
    EXPECT_NE(entry.actor().role(), "service");
  }
  EXPECT_EQ(reads, 2);
  EXPECT_EQ(notes, 1);
  EXPECT_EQ(duty_notes, 1) << "the duty supervisor's note says it was made centre-wide";
  {
    grpc::ClientContext context;
    EXPECT_EQ(cluster.tracking(holder).GetAuditTrail(&context, audit, &trail).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << "a handler does not read the audit trail";
  }

  // The HTTP pages' sign-in: an analyst's token names them and their role,
  // verifies with analytics' public key, and expires.
  v1::IssueTokenRequest login;
  login.set_ttl_minutes(5);
  v1::IssueTokenResponse token;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(cluster.analytics().IssueToken(&context, login, &token).ok());
  }
  const SigningKey signer(*SecretKey::FromBytes(
      absl::HexStringToBytes("0f0e0d0c0b0a09080706050403020100f1f2f3f4f5f6f7f8f9fafbfcfdfeff00")));
  const std::map<std::string, std::string> token_keys = {{"tokens-1", signer.public_key()}};
  absl::StatusOr<v1::AccessToken> claims =
      VerifyToken(token_keys, token.token(), complaints::WallNow());
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->identity(), "staff/he");
  EXPECT_EQ(claims->roles(0), v1::ROLE_ANALYST);
  EXPECT_FALSE(
      VerifyToken(token_keys, token.token(), complaints::WallNow() + absl::Minutes(6)).ok());

  // None of the complainant's personal data reached a service's log.
  const std::string logs = cluster.ServiceLogs();
  for (const char* secret : {"王芳", "13800138000", "11010519491231002X"}) {
    EXPECT_EQ(logs.find(secret), std::string::npos) << secret << " is in a log";
  }
}

// Opens WatchAssignments for `department` as `identity` and reads until
// `wait` passes: DEADLINE_EXCEEDED when the stream was admitted and stayed
// open, the refusal otherwise.
grpc::Status WatchFor(Cluster& cluster, const std::string& identity, const std::string& department,
                      absl::Duration wait) {
  v1::WatchAssignmentsRequest request;
  request.set_department(department);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(complaints::WallNow() + wait));
  auto reader = cluster.dispatch(identity).WatchAssignments(&context, request);
  v1::WatchAssignmentsResponse change;
  while (reader->Read(&change)) {
  }
  return reader->Finish();
}

TEST(Access, SystemsAreBoundToTheirDepartmentAndStreamsAreSharedFairly) {
  Cluster cluster;
  ASSERT_TRUE(cluster.Start());
  // The engineering department's system lists and watches engineering only.
  v1::ListAssignmentsRequest list;
  list.set_department("security");
  v1::ListAssignmentsResponse listed;
  {
    grpc::ClientContext context;
    const grpc::Status refused =
        cluster.dispatch("system/engineering-app").ListAssignments(&context, list, &listed);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_TRUE(absl::StrContains(refused.error_message(), "(engineering)"))
        << refused.error_message();
  }
  {
    grpc::ClientContext context;
    list.set_department("engineering");
    EXPECT_TRUE(
        cluster.dispatch("system/engineering-app").ListAssignments(&context, list, &listed).ok());
  }
  EXPECT_EQ(WatchFor(cluster, "system/engineering-app", "security", absl::Seconds(5)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(WatchFor(cluster, "system/call-centre", "", absl::Seconds(5)).error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "a system bound to no department watches none";

  // One system holds at most 8 streams; a manager still gets one after.
  // Engineering has work, so each watch begins with a change: proof it was let in.
  v1::SubmitComplaintRequest leak = Trapped();
  leak.set_idempotency_key("access-leak");
  leak.set_content("厨房水管漏水");
  const Submitted submitted = Submit(cluster.intake(), leak);
  ASSERT_TRUE(submitted.status.ok()) << submitted.status.error_message();
  v1::ListAssignmentsRequest engineering;
  engineering.set_department("engineering");
  ASSERT_TRUE(Eventually(
      [&] {
        grpc::ClientContext context;
        v1::ListAssignmentsResponse page;
        return cluster.dispatch("staff/qian").ListAssignments(&context, engineering, &page).ok() &&
               page.assignments_size() > 0;
      },
      absl::Seconds(30), kPoll));
  cluster.dispatch("system/engineering-app");  // the stub, made before the threads share it
  std::atomic<int> admitted{0};
  std::vector<std::thread> open;
  std::vector<grpc::Status> ended(8);
  for (int i = 0; i < 8; ++i) {
    open.emplace_back([&, i] {
      v1::WatchAssignmentsRequest request;
      request.set_department("engineering");
      grpc::ClientContext context;
      context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(15)));
      auto reader = cluster.dispatch("system/engineering-app").WatchAssignments(&context, request);
      v1::WatchAssignmentsResponse change;
      if (reader->Read(&change)) ++admitted;
      while (reader->Read(&change)) {
      }
      ended[i] = reader->Finish();
    });
  }
  ASSERT_TRUE(Eventually([&] { return admitted.load() == 8; }, absl::Seconds(10), kPoll));
  const grpc::Status ninth =
      WatchFor(cluster, "system/engineering-app", "engineering", absl::Seconds(2));
  EXPECT_EQ(ninth.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << ninth.error_message();
  EXPECT_TRUE(absl::StrContains(ninth.error_message(), "the limit per caller"))
      << ninth.error_message();
  EXPECT_EQ(WatchFor(cluster, "staff/qian", "engineering", absl::Seconds(2)).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED)
      << "the manager's stream is admitted";
  for (std::thread& thread : open) thread.join();
  for (const grpc::Status& status : ended) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
        << "each of the eight stayed open: " << status.error_message();
  }
}

TEST(Access, CallersWithoutAGoodCertificateOrWithAForgedActorAreRefused) {
  Cluster cluster;
  ASSERT_TRUE(cluster.Start());
  auto submit = [&](const std::shared_ptr<grpc::ChannelCredentials>& credentials,
                    const char* forged_actor) {
    auto stub = v1::IntakeService::NewStub(
        grpc::CreateChannel(cluster.address(Service::kIntake), credentials));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(5)));
    if (forged_actor != nullptr) context.AddMetadata("x-actor-id", forged_actor);
    v1::SubmitComplaintRequest request = Trapped();
    request.set_idempotency_key("refused");
    v1::SubmitComplaintResponse response;
    return stub->SubmitComplaint(&context, request, &response);
  };
  EXPECT_EQ(submit(grpc::InsecureChannelCredentials(), nullptr).error_code(),
            grpc::StatusCode::UNAVAILABLE)
      << "plaintext";
  grpc::SslCredentialsOptions anonymous;
  anonymous.pem_root_certs = *ReadFile(TestPki::Shared().Files("system/call-centre").ca);
  EXPECT_EQ(submit(grpc::SslCredentials(anonymous), nullptr).error_code(),
            grpc::StatusCode::UNAVAILABLE)
      << "no client certificate";
  TestPki other;
  TlsFiles foreign = other.Files("system/call-centre");
  foreign.ca = TestPki::Shared().Files("system/call-centre").ca;
  EXPECT_EQ(submit(*ChannelCredentialsFor({.files = foreign}), nullptr).error_code(),
            grpc::StatusCode::UNAVAILABLE)
      << "a certificate from another CA";
  EXPECT_EQ(submit(*ChannelCredentialsFor({.files = TestPki::Shared().Expired("system/expired")}),
                   nullptr)
                .error_code(),
            grpc::StatusCode::UNAVAILABLE)
      << "an expired certificate";
  const grpc::Status forged = submit(cluster.credentials("system/call-centre"), "director-zhang");
  EXPECT_EQ(forged.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(forged.error_message(), "x-actor-id")) << forged.error_message();

  // None of them recorded anything: intake's outbox relay published nothing.
  EXPECT_TRUE(ReadTopic(cluster, topics::kIntake).empty());
}

}  // namespace
}  // namespace complaints::testing
