#pragma once
// The process shell every service shares: open the store and outbox, start
// the outbox relay, the consumer (if the service consumes) and the gRPC host;
// report ready once the consumer holds its partitions; on SIGTERM drain in
// order — stop taking calls, stop consuming, publish what the outbox holds.

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/eventlog/consumer.h"
#include "libs/eventlog/outbox.h"
#include "libs/eventlog/relay.h"
#include "libs/server/host.h"
#include "libs/store/store.h"

namespace complaints {

struct RuntimeOptions {
  std::string service;  // e.g. "dispatch"; also the consumer group id
  std::string listen = "127.0.0.1:0";
  std::string data_dir;
  KafkaOptions kafka;
  int partitions = 6;
  std::vector<std::string> consume;  // topics; empty when the service consumes nothing
  std::string instance_id;           // static group membership id; defaults to `service`
};

class ServiceRuntime {
 public:
  // Opens the store under options.data_dir and prepares the relay and consumer.
  static absl::StatusOr<std::unique_ptr<ServiceRuntime>> Open(RuntimeOptions options);
  ~ServiceRuntime();

  Store* store() const { return store_.get(); }
  Outbox* outbox() const { return outbox_.get(); }

  // Starts serving. `handler` is required when options.consume is not empty.
  absl::Status Serve(const std::vector<grpc::Service*>& services, EventConsumer::Handler handler);

  // Blocks until SIGTERM or SIGINT, then shuts down. REQUIRES:
  // BlockTerminationSignals() was called before any thread started.
  void RunUntilSignalled();
  void Shutdown();

 private:
  explicit ServiceRuntime(RuntimeOptions options) : options_(std::move(options)) {}

  RuntimeOptions options_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<OutboxRelay> relay_;
  std::unique_ptr<EventConsumer> consumer_;
  std::unique_ptr<ServiceHost> host_;
  std::thread readiness_;
  std::atomic<bool> stopping_{false};
};

}  // namespace complaints
