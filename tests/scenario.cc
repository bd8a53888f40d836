#include "tests/scenario.h"

#include <algorithm>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"
#include "libs/core/time_util.h"
#include "libs/eventlog/consumer.h"
#include "libs/runner/records.h"
#include "libs/store/store.h"
#include "libs/testing/process.h"
#include "libs/testing/temp_dir.h"

namespace complaints::testing {
namespace {

// RFC 4180 fields: commas inside quotes, doubled quotes as a quote.
std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back().push_back('"');
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back().push_back(c);
    }
  }
  return fields;
}

v1::Channel ChannelOf(const std::string& nyc_channel) {
  if (nyc_channel == "PHONE") return v1::CHANNEL_PHONE;
  if (nyc_channel == "ONLINE") return v1::CHANNEL_EMAIL;
  if (nyc_channel == "MOBILE") return v1::CHANNEL_APP;
  return v1::CHANNEL_LETTER;
}

}  // namespace

Nyc311Complaints::Nyc311Complaints() {
  std::ifstream in(SourceDir() + "/tests/data/nyc311-2011-03-complaints.csv");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> fields = SplitCsvLine(line);
    if (fields.size() == 6) rows_.push_back(std::move(fields));
  }
}

v1::SubmitComplaintRequest Nyc311Complaints::Valid(size_t i, const std::string& prefix,
                                                   absl::Time now) const {
  const std::vector<std::string>& row = rows_[i % rows_.size()];
  v1::SubmitComplaintRequest request;
  request.set_idempotency_key(absl::StrCat(prefix, "-", i));
  request.set_channel(ChannelOf(row[4]));
  request.mutable_complainant()->set_name(absl::StrCat("Resident ", i));
  request.mutable_complainant()->set_phone(absl::StrCat("+1 212 555 ", 1000 + i % 9000));
  request.set_content(absl::StrCat(row[0], ": ", row[1]));
  request.set_description(absl::StrCat("Location type: ", row[2]));
  request.mutable_location()->set_community(row[3].empty() ? "UNSPECIFIED" : row[3]);
  request.mutable_location()->set_building(absl::StrCat(1 + i % 40));
  request.mutable_location()->set_unit(absl::StrCat(100 + i % 900));
  *request.mutable_occurred_at() = ToProto(now - absl::Minutes(1 + i % 600));
  return request;
}

v1::SubmitComplaintRequest Nyc311Complaints::Invalid(size_t i, const std::string& prefix,
                                                     absl::Time now) const {
  v1::SubmitComplaintRequest request = Valid(i, prefix, now);
  switch (i % 5) {
    case 0:
      request.clear_content();
      break;
    case 1:
      request.mutable_complainant()->set_phone("call me maybe");
      break;
    case 2:
      *request.mutable_occurred_at() = ToProto(now + absl::Hours(3));
      break;
    case 3:
      request.clear_location();
      break;
    default:
      request.clear_channel();
      break;
  }
  return request;
}

v1::SubmitComplaintRequest BurstPipeCall(const Nyc311Complaints& data, int i,
                                         const std::string& prefix, absl::Time now) {
  v1::SubmitComplaintRequest call = data.Valid(static_cast<size_t>(i), prefix, now);
  call.set_content("Burst pipe: water flooding the basement");
  call.clear_description();
  call.mutable_location()->set_community("Riverside Court");
  call.mutable_location()->set_building("88");
  *call.mutable_occurred_at() = ToProto(now - absl::Minutes(30 - 10 * i));
  return call;
}

RawProducer::RawProducer(const KafkaOptions& options) {
  auto conf = MakeKafkaConf(options, {});
  std::string error;
  if (conf.ok()) producer_.reset(RdKafka::Producer::create(conf->get(), error));
}

bool RawProducer::Send(absl::string_view topic, int partition, const std::string& key,
                       const std::string& payload) {
  if (!producer_) return false;
  const RdKafka::ErrorCode code = producer_->produce(
      std::string(topic), partition, RdKafka::Producer::RK_MSG_COPY,
      const_cast<char*>(payload.data()), payload.size(), key.data(), key.size(), 0, nullptr);
  ++sent_;
  return code == RdKafka::ERR_NO_ERROR;
}

bool RawProducer::SendTombstone(absl::string_view topic, int partition, const std::string& key) {
  if (!producer_) return false;
  const RdKafka::ErrorCode code =
      producer_->produce(std::string(topic), partition, RdKafka::Producer::RK_MSG_COPY, nullptr, 0,
                         key.data(), key.size(), 0, nullptr);
  ++sent_;
  return code == RdKafka::ERR_NO_ERROR;
}

bool RawProducer::Flush() { return producer_ && producer_->flush(30'000) == RdKafka::ERR_NO_ERROR; }

Submitted Submit(v1::IntakeService::Stub& intake, const v1::SubmitComplaintRequest& request) {
  Submitted result;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(30)));
  const absl::Time started = complaints::WallNow();
  result.status = intake.SubmitComplaint(&context, request, &result.response);
  result.latency = complaints::WallNow() - started;
  return result;
}

CountTotals Totals(Cluster& cluster) {
  CountTotals totals{0, 0};
  v1::GetCountsRequest request;
  do {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(5)));
    v1::GetCountsResponse counts;
    if (!cluster.analytics().GetCounts(&context, request, &counts).ok()) return {};
    totals.total += counts.total();
    for (const v1::CountRow& row : counts.rows()) {
      if (row.department() == "unassigned") totals.unassigned += row.count();
    }
    request.set_page_token(counts.next_page_token());
  } while (!request.page_token().empty());
  return totals;
}

grpc::Status AttachEvidence(v1::IntakeService::Stub& intake, const std::string& complaint_id,
                            const std::string& key, const std::string& name,
                            const std::string& bytes, v1::AttachEvidenceResponse* answer) {
  grpc::ClientContext context;
  // As a caller would set it: a base, and time for each MiB it sends.
  context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(20) +
                                          absl::Seconds(static_cast<int64_t>(bytes.size() >> 20))));
  auto writer = intake.AttachEvidence(&context, answer);
  v1::AttachEvidenceRequest part;
  part.mutable_header()->set_idempotency_key(key);
  part.mutable_header()->set_complaint_id(complaint_id);
  part.mutable_header()->set_name(name);
  bool open = writer->Write(part);
  constexpr size_t kChunk = 64 * 1024;
  for (size_t at = 0; open && at < bytes.size(); at += kChunk) {
    part.set_chunk(bytes.substr(at, kChunk));
    open = writer->Write(part);
  }
  writer->WritesDone();
  return writer->Finish();
}

grpc::Status FetchEvidence(v1::IntakeService::Stub& intake, const std::string& complaint_id,
                           const std::string& sha256, std::string* bytes) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(20)));
  v1::GetEvidenceRequest request;
  request.set_complaint_id(complaint_id);
  request.set_sha256(sha256);
  auto reader = intake.GetEvidence(&context, request);
  v1::GetEvidenceResponse message;
  while (reader->Read(&message)) bytes->append(message.chunk());
  return reader->Finish();
}

std::vector<std::string> ReadTopic(Cluster& cluster, absl::string_view topic) {
  std::vector<std::string> payloads;
  TempDir dir;
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(dir.Sub("offsets"));
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return payloads;
  ConsumerOptions options;
  options.kafka = cluster.broker().Client("admin", "test-reader");
  options.group_id = "test-reader";
  const std::atomic<bool> stop{false};
  absl::StatusOr<EventConsumer::CatchUpResult> read = EventConsumer::CatchUp(
      options, store->get(), std::string(topic),
      [&](const std::vector<ConsumedRecord>& records) {
        Batch batch;
        for (const ConsumedRecord& record : records) {
          payloads.push_back(record.payload);
          StageConsumedOffset(batch, record);
        }
        return (*store)->Write(batch, Durability::kBuffered);
      },
      stop);
  EXPECT_TRUE(read.ok()) << read.status();
  return payloads;
}

std::string PhotoBytes(size_t size, int seed) {
  std::string bytes = "\xFF\xD8\xFF\xE0";
  while (bytes.size() < size) bytes += static_cast<char>((bytes.size() * 7 + seed) % 251);
  return bytes;
}

bool WaitUntilCounted(Cluster& cluster, int64_t expected, absl::Duration timeout) {
  return Eventually(
      [&] {
        CountTotals totals = Totals(cluster);
        return totals.total == expected && totals.unassigned == 0;
      },
      timeout, kPoll);
}

std::vector<std::string> IncompleteComplaints(Cluster& cluster,
                                              const std::vector<std::string>& ids) {
  std::vector<std::string> problems;
  for (const std::string& id : ids) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(5)));
    v1::GetComplaintRequest request;
    request.set_complaint_id(id);
    v1::GetComplaintResponse timeline;
    grpc::Status status = cluster.tracking().GetComplaint(&context, request, &timeline);
    if (!status.ok()) {
      problems.push_back(absl::StrCat(id, ": ", status.error_message()));
      continue;
    }
    int kinds[7] = {0, 0, 0, 0, 0, 0, 0};
    std::string others;
    int callbacks = 0, verified = 0, incidents = 0;
    for (const v1::Envelope& event : timeline.events()) {
      switch (event.payload_case()) {
        case v1::Envelope::kReceived:
          ++kinds[0];
          break;
        case v1::Envelope::kClassified:
          ++kinds[1];
          break;
        case v1::Envelope::kAssigned:
          ++kinds[2];
          break;
        case v1::Envelope::kDeadlinesSet:
          ++kinds[3];
          break;
        case v1::Envelope::kReceiverBriefed:
          ++kinds[5];
          break;
        case v1::Envelope::kReceiverNotified:  // tracking told the holder its deadlines
          ++kinds[6];
          break;
        case v1::Envelope::kNotificationDelivery:  // the acknowledgement mailed
          break;
        case v1::Envelope::kCallbackScheduled:
          ++callbacks;
          break;
        case v1::Envelope::kIncidentDetected:  // analytics grouped it with others (§3.1)
        case v1::Envelope::kIncidentGrown:
          ++incidents;
          break;
        case v1::Envelope::kVerificationRecorded:  // a confirmation sent it on its way
          verified +=
              event.verification_recorded().outcome() == v1::VERIFICATION_OUTCOME_CONFIRMED ? 1 : 2;
          break;
        default:
          ++kinds[4];
          if (kinds[4] <= 3) {
            absl::StrAppend(&others, kinds[4] == 1 ? " (" : ", ",
                            v1::Envelope::descriptor()
                                ->FindFieldByNumber(static_cast<int>(event.payload_case()))
                                ->name());
          }
          break;
      }
    }
    if (kinds[0] != 1 || kinds[1] != 1 || kinds[2] != 1 || kinds[3] != 1 || kinds[5] != 1 ||
        kinds[6] != 1 || kinds[4] != 0 || callbacks != 1 || verified > 1 || incidents > 1) {
      problems.push_back(
          absl::StrCat(id, ": received ", kinds[0], ", classified ", kinds[1], ", call-back ",
                       callbacks, ", verified ", verified, ", incident ", incidents, ", assigned ",
                       kinds[2], ", briefed ", kinds[5], ", notified ", kinds[6], ", deadlines ",
                       kinds[3], ", other ", kinds[4], others.empty() ? "" : others + "…)"));
    }
  }
  return problems;
}

std::vector<std::string> WaitUntilComplete(Cluster& cluster, const std::vector<std::string>& ids,
                                           absl::Duration timeout) {
  std::vector<std::string> pending = ids;
  std::vector<std::string> problems;
  Eventually(
      [&] {
        problems = IncompleteComplaints(cluster, pending);
        // Only the ids still incomplete are asked again.
        pending.clear();
        for (const std::string& problem : problems)
          pending.push_back(problem.substr(0, problem.find(':')));
        return problems.empty();
      },
      timeout, kPoll);
  return problems;
}

Submitted SubmitWhenServing(v1::IntakeService::Stub& intake,
                            const v1::SubmitComplaintRequest& request, absl::Duration timeout) {
  Submitted submitted;
  Eventually(
      [&] {
        submitted = Submit(intake, request);
        return submitted.status.error_code() != grpc::StatusCode::UNAVAILABLE;
      },
      timeout);
  return submitted;
}

absl::Duration Quantile(std::vector<absl::Duration> values, double q) {
  if (values.empty()) return absl::ZeroDuration();
  std::sort(values.begin(), values.end());
  const size_t index = std::min(values.size() - 1, static_cast<size_t>(q * values.size()));
  return values[index];
}

std::vector<LogLine> ParseLogLines(const std::string& log, absl::string_view service) {
  std::vector<LogLine> lines;
  for (absl::string_view text : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    google::protobuf::Struct parsed;
    if (!google::protobuf::util::JsonStringToMessage(std::string(text), &parsed).ok()) {
      ADD_FAILURE() << service << " logged a line that is not JSON: " << text;
      continue;
    }
    const auto& fields = parsed.fields();
    auto field = [&](const std::string& name) {
      auto it = fields.find(name);
      return it == fields.end() ? std::string() : it->second.string_value();
    };
    if (field("ts").empty() || field("level").empty() || field("msg").empty() ||
        field("service") != service) {
      ADD_FAILURE() << service << " logged a line without ts, level, service or msg: " << text;
    }
    lines.push_back({.level = field("level"),
                     .msg = field("msg"),
                     .complaint_id = field("complaint_id"),
                     .event_id = field("event_id"),
                     .causation_id = field("causation_id")});
  }
  return lines;
}

int RunComplaintctl(const Cluster& cluster, const TempDir& dir, const std::string& identity,
                    const std::vector<std::string>& args, std::string* output) {
  const TlsFiles files = TestPki::Shared().Files(identity);
  std::vector<std::string> argv = {BinaryDir() + "/tools/complaintctl/complaintctl",
                                   "--intake=" + cluster.address(Service::kIntake),
                                   "--dispatch=" + cluster.address(Service::kDispatch),
                                   "--tracking=" + cluster.address(Service::kTracking),
                                   "--analytics=" + cluster.address(Service::kAnalytics),
                                   "--cert=" + files.cert,
                                   "--key_file=" + files.key,
                                   "--ca=" + files.ca};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string log = dir.Sub("complaintctl.log");
  std::remove(log.c_str());
  const int code = RunCommand(argv, log);
  *output = ReadFile(log).value_or("");
  return code;
}

std::vector<v1::WorkItem> ListAllComplaints(Cluster& cluster, v1::ListComplaintsRequest request) {
  std::vector<v1::WorkItem> items;
  request.set_page_size(500);
  do {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(10)));
    v1::ListComplaintsResponse page;
    const grpc::Status status = cluster.tracking().ListComplaints(&context, request, &page);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) break;
    items.insert(items.end(), page.items().begin(), page.items().end());
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return items;
}

std::optional<v1::MetricsRow> FiguresOfAll(Cluster& cluster) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(complaints::WallNow() + absl::Seconds(10)));
  v1::GetFiguresResponse response;
  if (!cluster.analytics().GetFigures(&context, v1::GetFiguresRequest(), &response).ok() ||
      response.rows_size() != 1) {
    return std::nullopt;
  }
  return response.rows(0);
}

}  // namespace complaints::testing
