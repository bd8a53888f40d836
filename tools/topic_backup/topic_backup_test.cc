// complaints-topics against real brokers: records written to a cluster are
// exported, imported into a second, empty cluster, and exported again — the
// two exports must hold the same records (keys, values, tombstones,
// timestamps) at the same offsets of the same partitions, in the same order.
// A second import into a cluster that holds them is refused, as is a damaged
// export, and neither writes anything.
#include <filesystem>
#include <fstream>
#include <map>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "libs/eventlog/kafka_config.h"
#include "libs/runner/topics.h"
#include "libs/testing/kafka_broker.h"
#include "libs/testing/process.h"
#include "libs/testing/temp_dir.h"
#include "tools/topic_backup/archive.h"

namespace complaints::topic_backup {
namespace {

using testing::BinaryDir;
using testing::KafkaBroker;
using testing::TempDir;

// Every archive of an export, "topic/partition" -> its records.
std::map<std::string, std::vector<ArchivedRecord>> ReadExport(const std::string& dir) {
  std::map<std::string, std::vector<ArchivedRecord>> all;
  for (absl::string_view topic : topics::kAll) {
    for (int partition = 0; partition < topics::kDefaultPartitions; ++partition) {
      const std::string name = absl::StrCat(topic, "/", partition);
      auto reader = ArchiveReader::Open(absl::StrCat(dir, "/", name, ".rec"));
      EXPECT_TRUE(reader.ok()) << reader.status();
      if (!reader.ok()) continue;
      std::vector<ArchivedRecord>& records = all[name];
      for (;;) {
        auto next = (*reader)->Next();
        EXPECT_TRUE(next.ok()) << next.status();
        if (!next.ok() || !next->has_value()) break;
        records.push_back(**next);
      }
    }
  }
  return all;
}

int RunTool(const KafkaBroker& broker, const std::string& verb, const std::string& dir,
            const std::string& log) {
  return testing::RunCommand(
      {BinaryDir() + "/tools/topic_backup/complaints-topics", "--brokers=" + broker.bootstrap(),
       "--kafka_user=admin", "--kafka_password_file=" + broker.PasswordFile("admin"), verb, dir},
      log);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(TopicBackup, AnExportRestoresIntoAnEmptyClusterRecordForRecord) {
  TempDir dir;
  auto source = KafkaBroker::Start(dir.Sub("source"));
  ASSERT_NE(source, nullptr);
  // What the platform's topics could hold: events, large evidence chunks,
  // and on the compacted key topic a key and its erasure (a tombstone).
  std::map<std::string, std::vector<ArchivedRecord>> sent;
  {
    auto conf = MakeKafkaConf(source->Client("admin", "writer"), {{"enable.idempotence", "true"}});
    ASSERT_TRUE(conf.ok()) << conf.status();
    std::string error;
    std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf->get(), error));
    ASSERT_NE(producer, nullptr) << error;
    int64_t timestamp = 1'795'000'000'000;
    auto send = [&](absl::string_view topic, int partition, const std::string& key,
                    std::optional<std::string> value) {
      std::vector<ArchivedRecord>& records = sent[absl::StrCat(topic, "/", partition)];
      records.push_back({.offset = static_cast<int64_t>(records.size()),
                         .timestamp_ms = ++timestamp,
                         .key = key,
                         .value = value});
      ASSERT_EQ(producer->produce(std::string(topic), partition, RdKafka::Producer::RK_MSG_COPY,
                                  value ? value->data() : nullptr, value ? value->size() : 0,
                                  key.data(), key.size(), timestamp, nullptr),
                RdKafka::ERR_NO_ERROR);
    };
    for (int i = 0; i < 300; ++i) {
      send(topics::kIntake, i % 6, absl::StrCat("C", i % 40),
           absl::StrCat("event ", i, "\x01\xFF"));
    }
    for (int i = 0; i < 40; ++i) send(topics::kDispatch, i % 3, absl::StrCat("C", i), "assigned");
    send(topics::kEvidence, 2, "C7", std::string(900 * 1024, '\xD8'));
    send(topics::kKeys, 1, "key-1", "wrapped key");
    send(topics::kKeys, 1, "key-1", std::nullopt);
    ASSERT_EQ(producer->flush(30'000), RdKafka::ERR_NO_ERROR);
  }
  ASSERT_EQ(RunTool(*source, "export", dir.Sub("export"), dir.Sub("export.log")), 0)
      << ReadAll(dir.Sub("export.log"));
  const auto exported = ReadExport(dir.Sub("export"));
  for (const auto& [name, records] : sent) {
    auto it = exported.find(name);
    ASSERT_NE(it, exported.end()) << name;
    ASSERT_EQ(it->second.size(), records.size()) << name;
    for (size_t i = 0; i < records.size(); ++i) {
      EXPECT_EQ(it->second[i].offset, records[i].offset) << name;
      EXPECT_EQ(it->second[i].timestamp_ms, records[i].timestamp_ms) << name;
      EXPECT_EQ(it->second[i].key, records[i].key) << name;
      EXPECT_EQ(it->second[i].value, records[i].value) << name << " #" << i;
    }
  }
  size_t empty = 0;
  for (const auto& [name, records] : exported) empty += records.empty() ? 1 : 0;
  EXPECT_EQ(exported.size() - empty, sent.size()) << "the other partitions are empty";
  source.reset();

  auto target = KafkaBroker::Start(dir.Sub("target"));
  ASSERT_NE(target, nullptr);
  ASSERT_EQ(RunTool(*target, "import", dir.Sub("export"), dir.Sub("import.log")), 0)
      << ReadAll(dir.Sub("import.log"));
  EXPECT_NE(ReadAll(dir.Sub("import.log")).find("every partition kept its offsets"),
            std::string::npos);
  ASSERT_EQ(RunTool(*target, "export", dir.Sub("again"), dir.Sub("again.log")), 0)
      << ReadAll(dir.Sub("again.log"));
  const auto reexported = ReadExport(dir.Sub("again"));
  ASSERT_EQ(reexported.size(), exported.size());
  for (const auto& [name, records] : exported) {
    const std::vector<ArchivedRecord>& back = reexported.at(name);
    ASSERT_EQ(back.size(), records.size()) << name;
    for (size_t i = 0; i < records.size(); ++i) {
      EXPECT_EQ(back[i].offset, records[i].offset) << name;
      EXPECT_EQ(back[i].timestamp_ms, records[i].timestamp_ms) << name;
      EXPECT_EQ(back[i].key, records[i].key) << name;
      EXPECT_EQ(back[i].value, records[i].value) << name << " #" << i;
    }
  }

  // Into topics that hold records: refused, nothing written.
  EXPECT_EQ(RunTool(*target, "import", dir.Sub("export"), dir.Sub("twice.log")), 1);
  EXPECT_NE(ReadAll(dir.Sub("twice.log")).find("empty topics only"), std::string::npos);
  // A damaged export: refused before anything is written.
  std::filesystem::copy(dir.Sub("export"), dir.Sub("damaged"),
                        std::filesystem::copy_options::recursive);
  {
    std::fstream file(absl::StrCat(dir.Sub("damaged"), "/", topics::kIntake, "/0.rec"),
                      std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(40);
    file.put('X');
  }
  EXPECT_EQ(RunTool(*target, "import", dir.Sub("damaged"), dir.Sub("damaged.log")), 1);
  EXPECT_NE(ReadAll(dir.Sub("damaged.log")).find("SHA-256"), std::string::npos);
  ASSERT_EQ(RunTool(*target, "export", dir.Sub("third"), dir.Sub("third.log")), 0);
  const auto unchanged = ReadExport(dir.Sub("third"));
  for (const auto& [name, records] : exported) {
    EXPECT_EQ(unchanged.at(name).size(), records.size()) << name << ": nothing was added";
  }
}

}  // namespace
}  // namespace complaints::topic_backup
