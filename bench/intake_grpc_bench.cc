// Intake over a real gRPC channel: SubmitComplaint from concurrent clients,
// each on its own channel, against the in-process service with real RocksDB.
// Shows what the callback API, the worker pool and RocksDB's group commit
// give together, and what mTLS costs: each setting runs in plaintext
// (--insecure) and over mTLS with a client certificate, same machine, same
// run. Prints submissions/s and latency per setting.
//   build/bench/intake_grpc_bench
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "bench/bench_request.h"
#include "complaints/v1/intake.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"
#include "libs/runner/test_records.h"
#include "libs/server/host.h"
#include "libs/testing/temp_dir.h"
#include "libs/testing/test_pki.h"
#include "services/intake/app/intake_families.h"
#include "services/intake/app/intake_service.h"
#include "services/intake/app/test_keys.h"

namespace complaints::intake {
namespace {

enum class Channels { kOwn, kShared };
enum class Transport { kPlaintext, kMtls };

void Run(int clients, int per_client, int workers, Channels channels, Transport transport) {
  testing::TempDir dir;
  auto store = *Store::Open(dir.Sub("db"), Store::kDefaultPartitions, intake::kFamilies);
  auto outbox = *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE),
                              kDefaultMaxRecordBytes);
  RandomIdGenerator ids{1};
  Classifier classifier = *Classifier::Create(*LoadTextProto<v1::ClassificationRules>(
      testing::SourceDir() + "/config/classification.textproto"));
  const VerificationDecider verification =
      *VerificationDecider::Create(*LoadTextProto<v1::VerificationPolicy>(
          testing::SourceDir() + "/config/verification.textproto"));
  DataKeys keys(store.get(), TestKeyRing(), SystemClock::Default());
  IntakeApp app({.parts = {store.get(), outbox.get(), nullptr, SystemClock::Default()},
                 .ids = &ids,
                 .classifier = &classifier,
                 .verification = &verification,
                 .keys = &keys,
                 .outbox_high_water = 1'000'000});
  RateLimiter limiter({.per_second = 0, .burst = 0}, SystemClock::Default());
  IntakeService service(&app, &limiter, {.threads = workers, .max_queued = 4096});
  testing::TestPki& pki = testing::TestPki::Shared();
  const bool mtls = transport == Transport::kMtls;
  auto security = mtls ? pki.Server("service/intake")
                       : std::make_shared<const ServerSecurity>(
                             pki.Server()->policy(), TransportSecurity{.insecure = true});
  auto credentials =
      mtls ? pki.Credentials("system/call-centre") : grpc::InsecureChannelCredentials();
  auto host = *ServiceHost::Start("127.0.0.1:0", {&service}, security.get());
  auto shared = v1::IntakeService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(host->port()), credentials));
  std::vector<std::thread> threads;
  std::vector<std::vector<double>> latencies(static_cast<size_t>(clients));
  const absl::Time start = complaints::WallNow();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto own = v1::IntakeService::NewStub(
          grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(host->port()), credentials, [c] {
            grpc::ChannelArguments args;
            args.SetInt("client", c);
            return args;
          }()));
      v1::IntakeService::Stub* stub = channels == Channels::kOwn ? own.get() : shared.get();
      v1::SubmitComplaintRequest request = bench::LeakByPhone();
      for (int i = 0; i < per_client; ++i) {
        request.set_idempotency_key("bench-" + std::to_string(c) + "-" + std::to_string(i));
        grpc::ClientContext context;
        if (!mtls) context.AddMetadata("x-insecure-identity", "system/call-centre");
        v1::SubmitComplaintResponse response;
        const absl::Time sent = complaints::WallNow();
        if (!stub->SubmitComplaint(&context, request, &response).ok()) std::abort();
        latencies[static_cast<size_t>(c)].push_back(
            absl::ToDoubleMilliseconds(complaints::WallNow() - sent));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const double seconds = absl::ToDoubleSeconds(complaints::WallNow() - start);
  std::vector<double> all;
  for (const auto& some : latencies) all.insert(all.end(), some.begin(), some.end());
  std::sort(all.begin(), all.end());
  std::printf(
      "[figures] intake over gRPC, %s: %2d clients on %s, %2d workers: %6.0f submissions/s, p50 "
      "%.2f ms, p99 %.2f ms\n",
      mtls ? "mTLS     " : "plaintext", clients,
      channels == Channels::kOwn ? "own channels" : "one channel ", workers, all.size() / seconds,
      all[all.size() / 2], all[all.size() * 99 / 100]);
}

}  // namespace
}  // namespace complaints::intake

int main() {
  using complaints::intake::Channels;
  using complaints::intake::Transport;
  for (Channels channels : {Channels::kOwn, Channels::kShared}) {
    for (int workers : {0, 8, 32}) {
      for (int clients : {1, 8, 32}) {
        for (auto transport : {Transport::kPlaintext, Transport::kMtls})
          complaints::intake::Run(clients, 4000 / clients, workers, channels, transport);
      }
    }
  }
  return 0;
}
