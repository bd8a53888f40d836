#include "libs/server/runtime.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/core/status_macros.h"
#include "libs/eventlog/admin.h"
#include "libs/eventlog/topics.h"
#include "libs/server/signals.h"
#include "spdlog/spdlog.h"

namespace complaints {

absl::StatusOr<std::unique_ptr<ServiceRuntime>> ServiceRuntime::Open(RuntimeOptions options) {
  std::unique_ptr<ServiceRuntime> runtime(new ServiceRuntime(std::move(options)));
  const RuntimeOptions& o = runtime->options_;
  std::error_code error;
  std::filesystem::create_directories(o.data_dir, error);
  if (error) return absl::InvalidArgumentError(absl::StrCat("data_dir ", o.data_dir, ": ", error.message()));
  ASSIGN_OR_RETURN(runtime->store_, Store::Open(o.data_dir + "/rocksdb"));
  ASSIGN_OR_RETURN(runtime->outbox_, Outbox::Open(runtime->store_.get()));
  RelayOptions relay;
  relay.kafka = o.kafka;
  relay.kafka.client_id = o.service + "-relay";
  ASSIGN_OR_RETURN(runtime->relay_, OutboxRelay::Create(runtime->outbox_.get(), relay));
  if (!o.consume.empty()) {
    ConsumerOptions consumer;
    consumer.kafka = o.kafka;
    consumer.kafka.client_id = o.service + "-consumer";
    consumer.group_id = o.service;
    consumer.instance_id = o.instance_id.empty() ? o.service : o.instance_id;
    consumer.topics = o.consume;
    ASSIGN_OR_RETURN(runtime->consumer_, EventConsumer::Create(consumer, runtime->store_.get()));
  }
  return runtime;
}

ServiceRuntime::~ServiceRuntime() { Shutdown(); }

absl::Status ServiceRuntime::Serve(const std::vector<grpc::Service*>& services,
                                   EventConsumer::Handler handler) {
  // Topics are created with the settings the log needs (infinite retention);
  // a broker that is down now is not fatal: the relay keeps events in the outbox.
  std::vector<absl::string_view> all(topics::kAll.begin(), topics::kAll.end());
  if (absl::Status status = EnsureTopics(options_.kafka, all, options_.partitions, absl::Seconds(10));
      !status.ok()) {
    spdlog::warn("topics not ensured at start: {}", status.ToString());
  }
  relay_->Start();
  if (consumer_) consumer_->Start(std::move(handler));
  ASSIGN_OR_RETURN(host_, ServiceHost::Start(options_.listen, services));
  readiness_ = std::thread([this] {
    while (!stopping_.load() && consumer_ && !consumer_->assigned()) {
      absl::SleepFor(absl::Milliseconds(50));
    }
    if (!stopping_.load()) {
      host_->SetReady(true);
      spdlog::info("{}: ready on port {}", options_.service, host_->port());
    }
  });
  return absl::OkStatus();
}

void ServiceRuntime::RunUntilSignalled() {
  const int signal = WaitForTerminationSignal();
  spdlog::info("{}: signal {} received, draining", options_.service, signal);
  Shutdown();
}

void ServiceRuntime::Shutdown() {
  if (stopping_.exchange(true)) return;
  const absl::Time started = absl::Now();
  auto step = [&](const char* what) {
    spdlog::info("{}: {} after {} ms", options_.service, what,
                 absl::ToInt64Milliseconds(absl::Now() - started));
  };
  if (readiness_.joinable()) readiness_.join();
  if (host_) host_->Shutdown(absl::Seconds(5));
  step("stopped serving calls");
  if (consumer_) consumer_->Stop();
  step("stopped consuming");
  if (relay_) relay_->Stop();
  step("stopped");
}

}  // namespace complaints
