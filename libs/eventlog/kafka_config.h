#pragma once
// librdkafka configuration shared by producers, consumers and admin clients.

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "librdkafka/rdkafka.h"
#include "librdkafka/rdkafkacpp.h"

namespace complaints {

struct KafkaOptions {
  std::string brokers = "127.0.0.1:9092";
  std::string client_id = "complaints";
  // Extra librdkafka properties, applied last.
  std::map<std::string, std::string> overrides = {};
  // SASL/SCRAM-SHA-512 credentials; no username: a plaintext, anonymous client.
  std::string username = {};
  std::string password = {};
};

// The password in `path` (its first line). INVALID_ARGUMENT when unreadable
// or empty.
absl::StatusOr<std::string> ReadPasswordFile(const std::string& path);

// A global configuration with `properties` and the options' settings applied;
// INVALID_ARGUMENT naming the property librdkafka rejected.
absl::StatusOr<std::unique_ptr<RdKafka::Conf>> MakeKafkaConf(
    const KafkaOptions& options, const std::map<std::string, std::string>& properties);

}  // namespace complaints
