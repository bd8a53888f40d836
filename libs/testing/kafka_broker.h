#pragma once
// A real Apache Kafka broker for tests, started by the project's own
// deploy/local/kafka.sh on free loopback ports with data in a test folder.

#include <memory>
#include <string>

#include "libs/eventlog/kafka_config.h"

namespace complaints::testing {

class KafkaBroker {
 public:
  // Starts a broker whose data lives under `dir`. Fails the test (and returns
  // nullptr) when it does not come up.
  static std::unique_ptr<KafkaBroker> Start(const std::string& dir);
  ~KafkaBroker();  // Stop()

  std::string bootstrap() const;  // "127.0.0.1:<port>"
  // The broker requires SASL/SCRAM: users admin, intake, dispatch, tracking,
  // analytics (deploy/local/kafka.sh); Start() has made the platform's topics
  // and ACLs. The password file of `user`, and client options as `user`.
  std::string PasswordFile(const std::string& user) const;
  KafkaOptions Client(const std::string& user, const std::string& client_id = "test") const;
  int port() const { return port_; }

  // Graceful stop / start again on the same ports and data: an outage.
  bool Stop();
  bool Restart();
  // SIGKILL: a crash of the broker. Restart() brings it back.
  void Kill();

 private:
  KafkaBroker(std::string dir, int port, int controller_port)
      : dir_(std::move(dir)), port_(port), controller_port_(controller_port) {}
  bool Run(const std::string& action);

  std::string dir_;
  int port_;
  int controller_port_;
  bool running_ = false;
};

}  // namespace complaints::testing
