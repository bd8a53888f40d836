// Poison: records that no writer of ours produced, or that break the rules of
// consumption, are written straight into the topics on every partition; a
// 1.2 MB field is submitted through gRPC. Afterwards ordinary complaints must
// flow as if nothing had happened, every poison record must sit in the dead
// letters with its reason, and GetStatus must say so.
#include <cstdio>
#include <map>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "libs/complaint/audit_chain.h"
#include "libs/core/clock.h"
#include "libs/core/ids.h"
#include "libs/eventlog/kafka_config.h"
#include "libs/runner/partitioning.h"
#include "libs/runner/record_auth.h"
#include "libs/runner/test_records.h"
#include "libs/runner/topics.h"
#include "libs/store/store.h"
#include "libs/testing/events.h"
#include "tests/scenario.h"
#include "tests/store_compare.h"

namespace complaints::testing {
namespace {

constexpr int kPartitions = 6;
constexpr int kOrdinary = 100;

v1::Envelope Event(const std::string& complaint_id, v1::Writer writer, int64_t sequence) {
  v1::Envelope event = EnvelopeOf(complaint_id, writer, sequence);
  event.mutable_recorded_at()->set_seconds(1'795'000'000);
  return event;
}

std::map<std::string, uint64_t> DeadLettersByKind(Cluster& cluster, Service service) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(5)));
  v1::GetStatusResponse status;
  if (!cluster.admin(service).GetStatus(&context, {}, &status).ok()) return {};
  return {status.dead_letters_by_kind().begin(), status.dead_letters_by_kind().end()};
}

uint64_t Total(const std::map<std::string, uint64_t>& by_kind) {
  uint64_t total = 0;
  for (const auto& [kind, count] : by_kind) total += count;
  return total;
}

std::vector<v1::DeadLetter> AllDeadLetters(Cluster& cluster, Service service) {
  std::vector<v1::DeadLetter> all;
  v1::ListDeadLettersRequest request;
  request.set_page_size(7);  // several pages
  for (;;) {
    grpc::ClientContext context;
    v1::ListDeadLettersResponse page;
    if (!cluster.admin(service).ListDeadLetters(&context, request, &page).ok()) return all;
    all.insert(all.end(), page.dead_letters().begin(), page.dead_letters().end());
    if (page.next_page_token().empty()) return all;
    request.set_page_token(page.next_page_token());
  }
}

// A complaint id starting with `stem` that Kafka's partitioner puts on `partition`.
std::string IdOn(const std::string& stem, int partition) {
  for (int suffix = 0;; ++suffix) {
    std::string id = stem + "-" + std::to_string(suffix);
    if (PartitionOf(id, kPartitions) == partition) return id;
  }
}

TEST(Poison, NothingAProducerWritesCanStopTheFlow) {
  Cluster cluster({"--park_timeout=5s"});
  ASSERT_TRUE(cluster.Start());
  Nyc311Complaints data;
  const absl::Time now = complaints::WallNow();

  // Complaints that exist before the poison, for the gap and re-sent records.
  // One on every partition (ids[p] is on p); ids are random, so submit until
  // each partition has one.
  std::vector<std::string> ids(kPartitions);
  for (int i = 0, covered = 0; covered < kPartitions; ++i) {
    ASSERT_LT(i, 300) << "300 complaints did not cover " << kPartitions << " partitions";
    Submitted before = Submit(cluster.intake(), data.Valid(i, "before", now));
    ASSERT_TRUE(before.status.ok()) << before.status.error_message();
    std::string& slot = ids[PartitionOf(before.response.complaint_id(), kPartitions)];
    if (slot.empty()) ++covered;
    if (slot.empty())
      slot = before.response.complaint_id();
    else
      ids.push_back(before.response.complaint_id());
  }

  // They are through before the poison arrives (a re-sent old event must find
  // its original applied, not race it).
  const std::vector<std::string> late = WaitUntilComplete(cluster, ids, absl::Seconds(30));
  ASSERT_TRUE(late.empty()) << late.size() << " incomplete, first: " << late[0];

  // A 1.2 MB field is refused at the edge: it never becomes a record.
  v1::SubmitComplaintRequest huge = data.Valid(0, "huge", now);
  huge.mutable_complainant()->set_email(std::string(1'200'000, 'a') + "@example.cn");
  EXPECT_EQ(Submit(cluster.intake(), huge).status.error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);

  // Records that break the rules of consumption, as a buggy writer would
  // publish them: signed with the writer's key, so only those rules stop them.
  RawProducer poison(cluster.broker().Client("admin", "poisoner"));
  const auto send = [&](absl::string_view topic, int partition, const std::string& key,
                        const std::string& bytes) {
    return poison.Send(topic, partition, key, SignedFor(topic, key, bytes));
  };
  for (int p = 0; p < kPartitions; ++p) {
    const std::string n = std::to_string(p);
    // Garbage bytes.
    ASSERT_TRUE(poison.Send(topics::kIntake, p, "garbage-" + n, "\xff\x00 not an envelope " + n));
    // A payload this release does not know (field 100).
    v1::Envelope unknown = Event(IdOn("CPOISON-U", p), v1::WRITER_INTAKE, 1);
    ASSERT_TRUE(send(topics::kIntake, p, unknown.complaint_id(),
                     unknown.SerializeAsString() + std::string("\xa2\x06\x02\x08\x01", 5)));
    // An orphan: classified, never received.
    v1::Envelope orphan = Event(IdOn("CPOISON-O", p), v1::WRITER_INTAKE, 1);
    orphan.mutable_classified()->set_category("safety");
    ASSERT_TRUE(send(topics::kIntake, p, orphan.complaint_id(), orphan.SerializeAsString()));
    // An assignment of a complaint that is never received.
    v1::Envelope assigned = Event(IdOn("CPOISON-A", p), v1::WRITER_DISPATCH, 1);
    assigned.mutable_assigned()->set_department("security");
    ASSERT_TRUE(send(topics::kDispatch, p, assigned.complaint_id(), assigned.SerializeAsString()));
    // A forged writer: tracking's event on intake's topic.
    v1::Envelope forged = Event(IdOn("CPOISON-W", p), v1::WRITER_TRACKING, 1);
    forged.mutable_closed()->set_reason("forged");
    ASSERT_TRUE(send(topics::kIntake, p, forged.complaint_id(), forged.SerializeAsString()));
    // A key that is not the complaint id.
    v1::Envelope rekeyed = Event(ids[p], v1::WRITER_INTAKE, 3);
    rekeyed.mutable_reclassified()->set_category("safety");
    ASSERT_TRUE(send(topics::kIntake, p, "someone-else", rekeyed.SerializeAsString()));
    // A sequence gap on a real complaint: a forged high sequence.
    v1::Envelope gap = Event(ids[p], v1::WRITER_INTAKE, 7);
    gap.mutable_reclassified()->set_category("noise");
    ASSERT_TRUE(send(topics::kIntake, p, ids[p], gap.SerializeAsString()));
    // A good event on another partition than its key gives.
    v1::Envelope misplaced = Event(IdOn("CPOISON-M", (p + 1) % kPartitions), v1::WRITER_INTAKE, 1);
    misplaced.mutable_received()->set_content("misplaced");
    ASSERT_TRUE(send(topics::kIntake, p, misplaced.complaint_id(), misplaced.SerializeAsString()));
    // A re-sent old event: skipped, not a dead letter.
    v1::Envelope resent = Event(ids[p], v1::WRITER_INTAKE, 1);
    resent.mutable_received()->set_content("re-sent");
    ASSERT_TRUE(send(topics::kIntake, p, ids[p], resent.SerializeAsString()));
  }
  ASSERT_TRUE(poison.Flush());
  const absl::Time last_poison = complaints::WallNow();

  // Ordinary complaints flow as if nothing had happened.
  for (int i = 0; i < kOrdinary; ++i) {
    Submitted after = Submit(cluster.intake(), data.Valid(100 + i, "after", now));
    ASSERT_TRUE(after.status.ok()) << after.status.error_message();
    ids.push_back(after.response.complaint_id());
  }
  std::vector<std::string> incomplete = WaitUntilComplete(cluster, ids, absl::Seconds(30));
  EXPECT_TRUE(incomplete.empty()) << incomplete.size() << " incomplete, first: " << incomplete[0];
  ASSERT_TRUE(WaitUntilCounted(cluster, static_cast<int64_t>(ids.size()), absl::Seconds(30)))
      << "analytics total " << Totals(cluster).total;
  const absl::Duration recovered = complaints::WallNow() - last_poison;
  EXPECT_LT(recovered, absl::Seconds(30));

  // Every poison record is a dead letter, with its reason, in every reader.
  // dispatch reads intake's topic: 7 poison records per partition; tracking
  // and analytics read dispatch's too: the orphan assignment, dead once its
  // wait runs out.
  const std::map<Service, uint64_t> expected = {{Service::kDispatch, 7 * kPartitions},
                                                {Service::kTracking, 8 * kPartitions},
                                                {Service::kAnalytics, 8 * kPartitions}};
  for (const auto& [service, count] : expected) {
    EXPECT_TRUE(Eventually([&] { return Total(DeadLettersByKind(cluster, service)) >= count; },
                           absl::Seconds(30)))
        << NameOf(service) << " has " << Total(DeadLettersByKind(cluster, service))
        << " dead letters";
    const std::map<std::string, uint64_t> kinds = DeadLettersByKind(cluster, service);
    EXPECT_EQ(Total(kinds), count) << NameOf(service);
    EXPECT_EQ(kinds.at("DEAD_LETTER_KIND_UNDECODABLE"), kPartitions) << NameOf(service);
    EXPECT_EQ(kinds.at("DEAD_LETTER_KIND_UNKNOWN_PAYLOAD"), kPartitions) << NameOf(service);
    EXPECT_EQ(kinds.at("DEAD_LETTER_KIND_FAILED_CHECK"), 4 * kPartitions) << NameOf(service);
    EXPECT_EQ(kinds.at("DEAD_LETTER_KIND_GAP_TIMEOUT"), kPartitions) << NameOf(service);
    if (service != Service::kDispatch) {
      EXPECT_EQ(kinds.at("DEAD_LETTER_KIND_PREREQUISITE_TIMEOUT"), kPartitions) << NameOf(service);
    }
    const std::vector<v1::DeadLetter> letters = AllDeadLetters(cluster, service);
    EXPECT_EQ(letters.size(), count) << NameOf(service) << ": paging lists each once";
    for (const v1::DeadLetter& letter : letters) {
      EXPECT_FALSE(letter.reason().empty()) << letter.id();
      EXPECT_FALSE(letter.record().payload().empty()) << letter.id();
    }
  }
  // Intake reads its own topic back while it publishes to it: the poison
  // written there by another producer is checked (and dead-lettered) like
  // any record, though intake passes its own records by
  // (libs/runner/published_offsets.h). It reads dispatch's topic too, so
  // it waits for the orphan assignment's receipt as tracking does.
  EXPECT_TRUE(Eventually(
      [&] { return Total(DeadLettersByKind(cluster, Service::kIntake)) >= 8u * kPartitions; },
      absl::Seconds(30)));
  const std::map<std::string, uint64_t> intake_kinds = DeadLettersByKind(cluster, Service::kIntake);
  EXPECT_EQ(Total(intake_kinds), 8u * kPartitions);
  EXPECT_EQ(intake_kinds.at("DEAD_LETTER_KIND_UNDECODABLE"), kPartitions);
  EXPECT_EQ(intake_kinds.at("DEAD_LETTER_KIND_UNKNOWN_PAYLOAD"), kPartitions);
  EXPECT_EQ(intake_kinds.at("DEAD_LETTER_KIND_FAILED_CHECK"), 4u * kPartitions);
  EXPECT_EQ(intake_kinds.at("DEAD_LETTER_KIND_GAP_TIMEOUT"), kPartitions);
  EXPECT_EQ(intake_kinds.at("DEAD_LETTER_KIND_PREREQUISITE_TIMEOUT"), kPartitions);

  grpc::ClientContext context;
  v1::GetStatusResponse status;
  ASSERT_TRUE(cluster.admin(Service::kTracking).GetStatus(&context, {}, &status).ok());
  EXPECT_EQ(status.dead_letters(), 8u * kPartitions);
  EXPECT_TRUE(status.consumer().assigned());
  EXPECT_FALSE(status.consumer().stuck());
  EXPECT_EQ(status.consumer().parked(), 0u) << "every wait ended";

  // Re-drive: the orphan assignment applies once its complaint's receipt exists.
  RawProducer mend(cluster.broker().Client("admin", "mender"));
  const std::string orphan_id = IdOn("CPOISON-A", 0);
  v1::Envelope receipt = Event(orphan_id, v1::WRITER_INTAKE, 1);
  receipt.mutable_received()->set_content("the receipt that was missing");
  ASSERT_TRUE(
      mend.Send(topics::kIntake, 0, receipt.complaint_id(),
                SignedFor(topics::kIntake, receipt.complaint_id(), receipt.SerializeAsString())));
  ASSERT_TRUE(mend.Flush());
  std::string orphan_letter;
  for (const v1::DeadLetter& letter : AllDeadLetters(cluster, Service::kTracking)) {
    if (letter.record().key() == orphan_id) orphan_letter = letter.id();
  }
  ASSERT_FALSE(orphan_letter.empty());
  // Once tracking has read the receipt, the re-driven assignment applies at once.
  ASSERT_TRUE(Eventually(
      [&] {
        grpc::ClientContext known_context;
        v1::GetComplaintRequest known;
        known.set_complaint_id(orphan_id);
        v1::GetComplaintResponse timeline;
        return cluster.tracking().GetComplaint(&known_context, known, &timeline).ok();
      },
      absl::Seconds(20)));
  v1::RetryDeadLetterRequest retry;
  retry.set_id(orphan_letter);
  std::string last_answer;
  EXPECT_TRUE(Eventually(
      [&] {
        grpc::ClientContext retry_context;
        v1::RetryDeadLetterResponse outcome;
        grpc::Status answer =
            cluster.admin(Service::kTracking).RetryDeadLetter(&retry_context, retry, &outcome);
        last_answer = answer.ok() ? outcome.outcome() : answer.error_message();
        return answer.ok() && outcome.outcome() == "APPLIED";
      },
      absl::Seconds(20)))
      << "last answer: " << last_answer;
  EXPECT_EQ(Total(DeadLettersByKind(cluster, Service::kTracking)), 8u * kPartitions - 1);

  std::printf(
      "[figures] poison: %d records poisoned on %d partitions (+1 field of 1.2 MB refused at the "
      "edge)\n",
      poison.sent(), kPartitions);
  std::printf(
      "[figures] poison: %d ordinary complaints delivered after it, all complete %.2f s after the "
      "last poison record\n",
      kOrdinary, absl::ToDoubleSeconds(recovered));
  std::printf("[figures] poison: dead letters: dispatch %lu, tracking %lu, analytics %lu\n",
              static_cast<unsigned long>(expected.at(Service::kDispatch)),
              static_cast<unsigned long>(expected.at(Service::kTracking)),
              static_cast<unsigned long>(expected.at(Service::kAnalytics)));
}

// Each writer's payloads, by the name of their field in Envelope.payload.
const std::map<v1::Writer, std::vector<std::string>>& PayloadsOf() {
  static const auto* payloads = new std::map<v1::Writer, std::vector<std::string>>{
      {v1::WRITER_INTAKE,
       {"received", "classified", "reclassified", "callback_scheduled", "callback_unanswered",
        "verification_recorded", "evidence_attached", "erasure_requested", "withdrawn",
        "notification_delivery", "personal_data_read"}},
      {v1::WRITER_DISPATCH,
       {"assigned", "transferred", "assignment_rejected", "assignment_accepted",
        "receiver_briefed"}},
      {v1::WRITER_TRACKING,
       {"deadlines_set",
        "clock_paused",
        "clock_resumed",
        "deadline_warning",
        "deadline_breached",
        "escalated",
        "note_added",
        "evidence_collected",
        "extension_requested",
        "extension_decided",
        "resolved",
        "result_communicated",
        "follow_up_recorded",
        "long_term_check_recorded",
        "reopened",
        "closed",
        "archived",
        "status_reported",
        "feedback_recorded",
        "long_term_check_due",
        "receiver_notified"}},
      {v1::WRITER_ANALYTICS, {"incident_detected", "incident_grown"}}};
  return *payloads;
}

absl::string_view TopicOf(v1::Writer writer) {
  switch (writer) {
    case v1::WRITER_INTAKE:
      return topics::kIntake;
    case v1::WRITER_DISPATCH:
      return topics::kDispatch;
    case v1::WRITER_TRACKING:
      return topics::kTracking;
    default:
      return topics::kAnalytics;
  }
}

grpc::Status ReadPersonal(Cluster& cluster, const std::string& id) {
  v1::GetPersonalDataRequest request;
  request.set_complaint_id(id);
  request.set_reason("checking the forgeries changed nothing");
  v1::GetPersonalDataResponse response;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(10)));
  return cluster.intake("staff/qian").GetPersonalData(&context, request, &response);
}

v1::GetComplaintResponse Complaint(Cluster& cluster, const std::string& id) {
  v1::GetComplaintRequest request;
  request.set_complaint_id(id);
  v1::GetComplaintResponse response;
  grpc::ClientContext context;
  EXPECT_TRUE(cluster.tracking().GetComplaint(&context, request, &response).ok());
  return response;
}

// Only a writer can write (docs/architecture.md invariant 8): whoever holds a writer's
// Kafka credentials but not its key writes records every consumer refuses.
TEST(Poison, ForgeriesWithAWritersKafkaCredentialsButNotItsKeyChangeNothing) {
  Cluster cluster;
  ASSERT_TRUE(cluster.Start());
  Nyc311Complaints data;
  v1::SubmitComplaintRequest request = data.Valid(1, "forged", complaints::WallNow());
  request.mutable_complainant()->set_name("王芳");
  request.mutable_complainant()->set_phone("13800138000");
  const Submitted submitted = Submit(cluster.intake(), request);
  ASSERT_TRUE(submitted.status.ok()) << submitted.status.error_message();
  const std::string target = submitted.response.complaint_id();
  ASSERT_TRUE(WaitUntilComplete(cluster, {target}, absl::Seconds(30)).empty());
  // An audited read (itself an event of the complaint's), settled before the snapshot.
  const int events_before_read = Complaint(cluster, target).events_size();
  ASSERT_TRUE(ReadPersonal(cluster, target).ok());
  ASSERT_TRUE(
      Eventually([&] { return Complaint(cluster, target).events_size() == events_before_read + 1; },
                 absl::Seconds(30)));
  ASSERT_TRUE(Eventually([&] { return OutboxesEmpty(cluster); }, absl::Seconds(30)));
  const v1::GetComplaintResponse before = Complaint(cluster, target);

  // Each writer's last sequence and chain value: a forgery can be the next
  // event, with a chain value that recomputes (the chain is not keyed).
  std::map<v1::Writer, v1::Envelope> last;
  for (const v1::Envelope& event : before.events()) {
    if (event.sequence() > last[event.writer()].sequence()) last[event.writer()] = event;
  }
  const int partition = PartitionOf(target, kPartitions);
  std::map<v1::Writer, int> forged_on;
  int forgeries = 0;
  for (const auto& [writer, payloads] : PayloadsOf()) {
    RawProducer producer(cluster.broker().Client(WriterFileName(writer), "forger"));
    for (const std::string& payload : payloads) {
      v1::Envelope event = Event(target, writer, last[writer].sequence() + 1);
      const google::protobuf::FieldDescriptor* field =
          v1::Envelope::descriptor()->FindFieldByName(payload);
      ASSERT_NE(field, nullptr) << payload;
      event.GetReflection()->MutableMessage(&event, field);
      event.set_chain(ChainHash(last[writer].chain(), event));
      ASSERT_TRUE(producer.Send(TopicOf(writer), partition, target, event.SerializeAsString()));
      ++forged_on[writer];
      ++forgeries;
    }
    ASSERT_TRUE(producer.Flush());
  }
  // The one reported: intake's withdrawal, next in sequence, no chain value.
  RawProducer as_intake(cluster.broker().Client("intake", "forger"));
  v1::Envelope withdrawn = Event(target, v1::WRITER_INTAKE, last[v1::WRITER_INTAKE].sequence() + 1);
  withdrawn.mutable_withdrawn()->set_reason("forged");
  ASSERT_TRUE(as_intake.Send(topics::kIntake, partition, target, withdrawn.SerializeAsString()));
  ++forged_on[v1::WRITER_INTAKE];
  ++forgeries;
  // Tombstones for the complainant's live data key: on its own partition,
  // and on another one (intake reads its key topic whole).
  const std::string key_id = before.events(0).received().personal().key_id();
  ASSERT_FALSE(key_id.empty());
  const int home = PartitionOf(key_id, kPartitions);
  ASSERT_TRUE(as_intake.SendTombstone(topics::kKeys, home, key_id));
  ASSERT_TRUE(as_intake.SendTombstone(topics::kKeys, (home + 1) % kPartitions, key_id));
  ASSERT_TRUE(as_intake.Flush());

  // Every consumer refuses every forgery of the topics it reads.
  const int events_forged = forgeries;
  const std::map<Service, int> expected = {
      {Service::kIntake,
       forged_on[v1::WRITER_INTAKE] + forged_on[v1::WRITER_DISPATCH] + 2},  // + tombstones
      {Service::kDispatch, events_forged},
      {Service::kTracking, events_forged},
      {Service::kAnalytics, events_forged}};
  for (const auto& [service, count] : expected) {
    std::map<std::string, uint64_t> kinds;
    EXPECT_TRUE(Eventually(
        [&] {
          kinds = DeadLettersByKind(cluster, service);
          return Total(kinds) >= static_cast<uint64_t>(count);
        },
        absl::Seconds(30)))
        << NameOf(service) << " has " << Total(kinds);
    EXPECT_EQ(kinds["DEAD_LETTER_KIND_FORGED"], static_cast<uint64_t>(count)) << NameOf(service);
    EXPECT_EQ(Total(kinds), static_cast<uint64_t>(count)) << NameOf(service);
  }

  // Nothing changed: the complaint, its personal data, its audit chain.
  const v1::GetComplaintResponse after = Complaint(cluster, target);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(before.view(), after.view()));
  EXPECT_EQ(after.events_size(), before.events_size());
  EXPECT_TRUE(ReadPersonal(cluster, target).ok()) << "a forged tombstone erased nothing";
  v1::GetAuditTrailRequest audit;
  audit.set_complaint_id(target);
  v1::GetAuditTrailResponse trail;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(cluster.tracking("staff/luo").GetAuditTrail(&context, audit, &trail).ok());
  }
  EXPECT_TRUE(trail.intact());

  // A rebuilt intake reaches the same state: the keys, the views, the same
  // records refused (the letters' times aside).
  ASSERT_TRUE(Eventually([&] { return OutboxesEmpty(cluster); }, absl::Seconds(30)));
  const Offsets ends = EndOffsets(cluster);
  const auto without_letter_times = [](std::map<std::string, std::string> entries) {
    const std::string letters = absl::StrCat(Family::kDeadLetters.name(), "/");
    for (auto& [key, value] : entries) {
      if (absl::StartsWith(key, letters)) value.clear();
    }
    return entries;
  };
  const std::map<std::string, std::string> live =
      without_letter_times(StopAndLoseStore(cluster, Service::kIntake, ends));
  ASSERT_FALSE(live.empty());
  ASSERT_TRUE(cluster.StartService(Service::kIntake));
  ASSERT_TRUE(
      Eventually([&] { return CaughtUp(cluster, Service::kIntake, ends); }, absl::Seconds(60)));
  ASSERT_TRUE(cluster.StopService(Service::kIntake));
  EXPECT_EQ(
      Differences(live, without_letter_times(Dump(cluster.dir() + "/intake/rocksdb")), "intake"),
      0);
  ASSERT_TRUE(cluster.StartService(Service::kIntake));
  EXPECT_TRUE(Eventually([&] { return ReadPersonal(cluster, target).ok(); }, absl::Seconds(30)))
      << "the rebuilt intake still opens the complainant's data";
  std::printf(
      "[figures] forgery: %d forged events of %zu kinds and 2 tombstones refused; "
      "complaint, personal data and audit chain unchanged; rebuilt intake equal\n",
      forgeries, [] {
        size_t kinds = 0;
        for (const auto& [writer, payloads] : PayloadsOf()) kinds += payloads.size();
        return kinds;
      }());
}

}  // namespace
}  // namespace complaints::testing
