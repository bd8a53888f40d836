#include "libs/eventlog/kafka_config.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/core/config.h"
#include "libs/core/log.h"

namespace complaints {
namespace {

// librdkafka's log lines and client errors as the service's JSON log lines,
// instead of its own format on stderr.
class KafkaLogToOurs final : public RdKafka::EventCb {
 public:
  void event_cb(RdKafka::Event& event) override {
    switch (event.type()) {
      case RdKafka::Event::EVENT_LOG:
        log::At(LevelOf(event.severity()), "kafka {}: {}", event.fac(), event.str());
        break;
      case RdKafka::Event::EVENT_ERROR:
        log::At(event.fatal() ? log::Level::kError : log::Level::kWarn, "kafka error: {}: {}",
                RdKafka::err2str(event.err()), event.str());
        break;
      default:
        break;
    }
  }

 private:
  static log::Level LevelOf(RdKafka::Event::Severity severity) {
    if (severity <= RdKafka::Event::EVENT_SEVERITY_ERROR) return log::Level::kError;
    if (severity == RdKafka::Event::EVENT_SEVERITY_WARNING) return log::Level::kWarn;
    if (severity == RdKafka::Event::EVENT_SEVERITY_DEBUG) return log::Level::kDebug;
    return log::Level::kInfo;
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
  static KafkaLogToOurs log_to_ours;  // outlives every client
  std::string error;
  if (conf->set("event_cb", static_cast<RdKafka::EventCb*>(&log_to_ours), error) !=
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
