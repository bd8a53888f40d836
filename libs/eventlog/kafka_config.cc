#include "libs/eventlog/kafka_config.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/core/config.h"

namespace complaints {

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
  for (const auto& [key, value] : all) {
    std::string error;
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
