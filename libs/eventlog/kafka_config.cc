#include "libs/eventlog/kafka_config.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/core/config.h"
#include "spdlog/spdlog.h"

namespace complaints {
namespace {

// librdkafka's log lines and client errors as the service's JSON log lines,
// instead of its own format on stderr.
class KafkaLogToSpdlog final : public RdKafka::EventCb {
 public:
  void event_cb(RdKafka::Event& event) override {
    switch (event.type()) {
      case RdKafka::Event::EVENT_LOG:
        spdlog::log(LevelOf(event.severity()), "kafka {}: {}", event.fac(), event.str());
        break;
      case RdKafka::Event::EVENT_ERROR:
        spdlog::log(event.fatal() ? spdlog::level::err : spdlog::level::warn, "kafka error: {}: {}",
                    RdKafka::err2str(event.err()), event.str());
        break;
      default:
        break;
    }
  }

 private:
  static spdlog::level::level_enum LevelOf(RdKafka::Event::Severity severity) {
    if (severity <= RdKafka::Event::EVENT_SEVERITY_ERROR) return spdlog::level::err;
    if (severity == RdKafka::Event::EVENT_SEVERITY_WARNING) return spdlog::level::warn;
    if (severity == RdKafka::Event::EVENT_SEVERITY_DEBUG) return spdlog::level::debug;
    return spdlog::level::info;
  }
};

}  // namespace

absl::StatusOr<std::unique_ptr<RdKafka::Conf>> MakeKafkaConf(
    const KafkaOptions& options, const std::map<std::string, std::string>& properties) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::map<std::string, std::string> all = properties;
  all["bootstrap.servers"] = options.brokers;
  all["client.id"] = options.client_id;
  // A broker back from an outage is found within a second, not librdkafka's default 10 s.
  all["reconnect.backoff.max.ms"] = "1000";
  if (!options.username.empty()) {
    all["security.protocol"] = "SASL_PLAINTEXT";
    all["sasl.mechanisms"] = "SCRAM-SHA-512";
    all["sasl.username"] = options.username;
    all["sasl.password"] = options.password;
  }
  for (const auto& [key, value] : options.overrides) all[key] = value;
  static KafkaLogToSpdlog log_to_spdlog;  // outlives every client
  std::string error;
  if (conf->set("event_cb", static_cast<RdKafka::EventCb*>(&log_to_spdlog), error) !=
      RdKafka::Conf::CONF_OK) {
    return absl::InternalError(absl::StrCat("kafka event_cb: ", error));
  }
  for (const auto& [key, value] : all) {
    if (conf->set(key, value, error) != RdKafka::Conf::CONF_OK) {
      return absl::InvalidArgumentError(absl::StrCat("kafka property ", key, ": ", error));
    }
  }
  return conf;
}

absl::StatusOr<std::string> ReadPasswordFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": cannot be read"));
  std::string password(absl::StripAsciiWhitespace(text->substr(0, text->find('\n'))));
  if (password.empty()) return absl::InvalidArgumentError(absl::StrCat(path, ": empty"));
  return password;
}

}  // namespace complaints
