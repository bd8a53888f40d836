// Every release's readers fold every older release's events to the same
// views (proto/COMPATIBILITY.md). Each tests/data/events/<release>/ holds the
// event topics that release wrote (complaints-topics archives), the views it
// folded from them (views.jsonl) and its schema (descriptor.binpb). Today's
// fold of those events must give, for every field that release's schema
// had, exactly the frozen value; fields added since are free.
//
// scripts/make_event_fixture.sh freezes a new release's fixture by running
// this test with COMPLAINTS_FREEZE_FIXTURE=<its folder>.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/state.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "libs/complaint/scheduled_timers.h"
#include "libs/complaint/view.h"
#include "libs/core/config.h"
#include "libs/core/time_util.h"
#include "libs/runner/consumption.h"
#include "libs/runner/record_auth.h"
#include "libs/runner/test_records.h"
#include "tools/topic_backup/archive.h"

namespace complaints {
namespace {

namespace fs = std::filesystem;
using google::protobuf::util::MessageDifferencer;

constexpr const char* kEventTopics[] = {"complaints.intake.v1", "complaints.dispatch.v1",
                                        "complaints.tracking.v1", "complaints.analytics.v1"};

std::string SourceDir() {
  const char* dir = std::getenv("COMPLAINTS_SOURCE_DIR");
  return dir != nullptr ? dir : ".";
}

// Every event of the fixture's topics, in the order they were recorded.
std::vector<v1::Envelope> ReadEvents(const fs::path& fixture) {
  std::vector<v1::Envelope> events;
  for (const char* topic : kEventTopics) {
    if (!fs::is_directory(fixture / topic)) continue;
    for (const fs::directory_entry& file : fs::directory_iterator(fixture / topic)) {
      auto reader = topic_backup::ArchiveReader::Open(file.path().string());
      EXPECT_TRUE(reader.ok()) << reader.status();
      if (!reader.ok()) continue;
      for (;;) {
        auto next = (*reader)->Next();
        EXPECT_TRUE(next.ok()) << next.status();
        if (!next.ok() || !next->has_value() || !(*next)->value.has_value()) break;
        v1::Envelope event;
        EXPECT_TRUE(event.ParseFromString(*(*next)->value)) << file.path();
        events.push_back(std::move(event));
      }
    }
  }
  std::stable_sort(events.begin(), events.end(), [](const v1::Envelope& a, const v1::Envelope& b) {
    return std::make_tuple(FromProto(a.recorded_at()), a.writer(), a.sequence()) <
           std::make_tuple(FromProto(b.recorded_at()), b.writer(), b.sequence());
  });
  return events;
}

std::map<std::string, v1::ComplaintView> Fold(const std::vector<v1::Envelope>& events) {
  std::map<std::string, v1::ComplaintView> views;
  for (const v1::Envelope& event : events) {
    v1::ComplaintView& view = views[event.complaint_id()];
    if (!AlreadyApplied(view, event)) view = Evolve(std::move(view), event);
  }
  // As a client reads it: the timers a view stores packed are the same
  // timers an earlier release stored as messages.
  for (auto& [id, view] : views) UnpackScheduled(view);
  return views;
}

std::string ToJson(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(message, &json, options).ok());
  return json;
}

// The schema a release froze, to tell which fields it had.
class FrozenSchema {
 public:
  explicit FrozenSchema(const std::string& path) {
    google::protobuf::FileDescriptorSet files;
    std::ifstream in(path, std::ios::binary);
    loaded_ = files.ParseFromIstream(&in);
    Build(files);
  }
  explicit FrozenSchema(const google::protobuf::FileDescriptorSet& files) : loaded_(true) {
    Build(files);
  }
  bool loaded() const { return loaded_; }

  bool Had(const google::protobuf::FieldDescriptor* field) const {
    const google::protobuf::Descriptor* then =
        pool_.FindMessageTypeByName(field->containing_type()->full_name());
    return then != nullptr && then->FindFieldByNumber(field->number()) != nullptr;
  }

 private:
  void Build(const google::protobuf::FileDescriptorSet& files) {
    for (const google::protobuf::FileDescriptorProto& file : files.file()) {
      loaded_ = loaded_ && pool_.BuildFile(file) != nullptr;
    }
  }

  google::protobuf::DescriptorPool pool_;
  bool loaded_ = false;
};

// A field the frozen release did not have is not compared.
class FieldsAddedSince final : public MessageDifferencer::IgnoreCriteria {
 public:
  explicit FieldsAddedSince(const FrozenSchema& schema) : schema_(schema) {}
  bool IsIgnored(const google::protobuf::Message&, const google::protobuf::Message&,
                 const google::protobuf::FieldDescriptor* field,
                 const std::vector<MessageDifferencer::SpecificField>&) override {
    return !schema_.Had(field);
  }

 private:
  const FrozenSchema& schema_;
};

void Freeze(const fs::path& fixture, const std::map<std::string, v1::ComplaintView>& views) {
  ASSERT_FALSE(fs::exists(fixture / "views.jsonl")) << fixture << " is frozen already";
  std::ofstream out(fixture / "views.jsonl");
  for (const auto& [id, view] : views) out << ToJson(view) << "\n";
  fs::copy_file(fs::path(SourceDir()) / "proto" / "image.binpb", fixture / "descriptor.binpb");
}

// `file` and everything it imports, imports first.
void AddWithImports(const google::protobuf::FileDescriptor* file, std::set<std::string>& added,
                    google::protobuf::FileDescriptorSet& files) {
  if (!added.insert(file->name()).second) return;
  for (int i = 0; i < file->dependency_count(); ++i) {
    AddWithImports(file->dependency(i), added, files);
  }
  file->CopyTo(files.add_file());
}

TEST(Upgrade, AFieldAnOldReleaseHadMustMatchAndOneAddedSinceNeedNot) {
  // Today's schema without ComplaintView.analytics: an "older release".
  google::protobuf::FileDescriptorSet files;
  std::set<std::string> added;
  AddWithImports(v1::ComplaintView::descriptor()->file(), added, files);
  for (google::protobuf::FileDescriptorProto& file : *files.mutable_file()) {
    for (google::protobuf::DescriptorProto& message : *file.mutable_message_type()) {
      if (message.name() != "ComplaintView") continue;
      auto* fields = message.mutable_field();
      fields->erase(std::remove_if(fields->begin(), fields->end(),
                                   [](const auto& field) { return field.name() == "analytics"; }),
                    fields->end());
    }
  }
  const FrozenSchema older(files);
  ASSERT_TRUE(older.loaded());
  v1::ComplaintView then;
  then.set_complaint_id("C1");
  then.mutable_tracking()->set_applied_sequence(3);
  auto same = [&](const v1::ComplaintView& now) {
    MessageDifferencer differencer;
    differencer.AddIgnoreCriteria(new FieldsAddedSince(older));
    return differencer.Compare(then, now);
  };
  v1::ComplaintView added_since = then;
  added_since.mutable_analytics()->set_incident_id("I1");
  EXPECT_TRUE(same(added_since)) << "a field added since is free";
  v1::ComplaintView changed = then;
  changed.mutable_tracking()->set_applied_sequence(4);
  EXPECT_FALSE(same(changed)) << "a field the older release had must match";
  v1::ComplaintView cleared = then;
  cleared.mutable_tracking()->clear_applied_sequence();
  EXPECT_FALSE(same(cleared)) << "a value the older release set must still be set";
}

TEST(Upgrade, EveryReleasesEventsFoldToTheViewsThatReleaseFolded) {
  const fs::path root = fs::path(SourceDir()) / "tests" / "data" / "events";
  ASSERT_TRUE(fs::is_directory(root)) << root;
  const char* freeze = std::getenv("COMPLAINTS_FREEZE_FIXTURE");
  int releases = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(root)) {
    const fs::path fixture = entry.path();
    const std::vector<v1::Envelope> events = ReadEvents(fixture);
    const std::map<std::string, v1::ComplaintView> views = Fold(events);
    if (freeze != nullptr && fs::equivalent(fixture, freeze)) {
      Freeze(fixture, views);
      continue;
    }
    ++releases;
    const std::string release = fixture.filename().string();
    std::set<std::string> payloads;
    for (const v1::Envelope& event : events) {
      ASSERT_NE(event.payload_case(), v1::Envelope::PAYLOAD_NOT_SET)
          << release << ": every payload of an older release is known today";
      payloads.insert(
          event.GetDescriptor()->FindFieldByNumber(static_cast<int>(event.payload_case()))->name());
    }
    EXPECT_GE(payloads.size(), 20u) << release << ": the fixture walks the procedure";

    FrozenSchema schema((fixture / "descriptor.binpb").string());
    ASSERT_TRUE(schema.loaded()) << release << ": descriptor.binpb";
    absl::StatusOr<std::string> frozen = ReadFile((fixture / "views.jsonl").string());
    ASSERT_TRUE(frozen.ok()) << frozen.status();
    size_t compared = 0;
    for (absl::string_view line : absl::StrSplit(*frozen, '\n', absl::SkipEmpty())) {
      v1::ComplaintView then;
      ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(std::string(line), &then).ok())
          << release << ": a frozen view no longer parses: " << line.substr(0, 200);
      auto now = views.find(then.complaint_id());
      ASSERT_NE(now, views.end()) << release << ": " << then.complaint_id() << " is not folded";
      MessageDifferencer differencer;
      std::string report;
      differencer.ReportDifferencesToString(&report);
      differencer.AddIgnoreCriteria(new FieldsAddedSince(schema));  // takes ownership
      EXPECT_TRUE(differencer.Compare(then, now->second))
          << release << ": " << then.complaint_id() << " folds differently today:\n"
          << report;
      ++compared;
    }
    EXPECT_EQ(compared, views.size()) << release << ": every complaint was frozen";
    std::printf("[figures] upgrade: %s: %zu events of %zu payload kinds fold to its %zu views\n",
                release.c_str(), events.size(), payloads.size(), compared);
  }
  if (freeze == nullptr) {
    EXPECT_GE(releases, 1) << "no release has frozen a fixture";
  }
}

// Records a release wrote before authentication began (docs/architecture.md invariant
// 8): with the offsets `complaints-topics mark-authentication` records at the
// upgrade, today's consumers take every one of a frozen fixture's records as
// before, and refuse an unauthenticated record written after the mark.
TEST(Upgrade, RecordsFromBeforeAuthenticationAreAcceptedBelowTheMarkOnly) {
  const fs::path root = fs::path(SourceDir()) / "tests" / "data" / "events";
  int releases = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(root)) {
    const std::string release = entry.path().filename().string();
    // What the topics held at the upgrade: each partition's records and end.
    std::vector<ConsumedRecord> records;
    v1::UnauthenticatedRecords mark;
    for (const char* topic : kEventTopics) {
      if (!fs::is_directory(entry.path() / topic)) continue;
      for (const fs::directory_entry& file : fs::directory_iterator(entry.path() / topic)) {
        const int partition = std::stoi(file.path().stem().string());
        auto reader = topic_backup::ArchiveReader::Open(file.path().string());
        ASSERT_TRUE(reader.ok()) << reader.status();
        int64_t end = 0;
        for (;;) {
          auto next = (*reader)->Next();
          ASSERT_TRUE(next.ok()) << next.status();
          if (!next->has_value()) break;
          const topic_backup::ArchivedRecord& archived = **next;
          ASSERT_TRUE(archived.value.has_value());
          records.push_back({topic, partition, archived.offset, archived.key, *archived.value});
          end = archived.offset + 1;
        }
        if (end == 0) continue;
        v1::PartitionBound& bound = *mark.add_partitions();
        bound.set_topic(topic);
        bound.set_partition(partition);
        bound.set_below_offset(end);
      }
    }
    ASSERT_FALSE(records.empty()) << release;
    const auto reader =
        *RecordAuthority::Create(v1::WRITER_TRACKING, testing::TestWriterKeys(), mark);
    const auto unmarked = *RecordAuthority::Create(v1::WRITER_TRACKING, testing::TestWriterKeys());
    size_t accepted = 0;
    for (const ConsumedRecord& record : records) {
      v1::Envelope event;
      const bool decoded = DecodeEnvelope(record, &event);
      const Verdict verdict = CheckEnvelope(record, decoded, event, 6, *reader);
      EXPECT_EQ(verdict.action, Verdict::kApply)
          << release << " " << record.topic << ":" << record.partition << ":" << record.offset
          << ": " << verdict.reason;
      accepted += verdict.action == Verdict::kApply;
      EXPECT_EQ(CheckEnvelope(record, decoded, event, 6, *unmarked).kind,
                v1::DEAD_LETTER_KIND_FORGED)
          << "without the mark an unauthenticated record is refused";
    }
    // The same bytes again after the mark: what a stolen credential could write.
    ConsumedRecord after = records.back();
    for (const v1::PartitionBound& bound : mark.partitions()) {
      if (bound.topic() == after.topic && bound.partition() == after.partition) {
        after.offset = bound.below_offset();
      }
    }
    v1::Envelope event;
    const bool decoded = DecodeEnvelope(after, &event);
    EXPECT_EQ(CheckEnvelope(after, decoded, event, 6, *reader).kind, v1::DEAD_LETTER_KIND_FORGED)
        << release;
    std::printf(
        "[figures] upgrade: %s: %zu records from before authentication accepted below "
        "the mark of %d partitions\n",
        release.c_str(), accepted, mark.partitions_size());
    ++releases;
  }
  EXPECT_GE(releases, 2);
}

}  // namespace
}  // namespace complaints
