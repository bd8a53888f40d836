// loadgen: SubmitComplaint load at intake over mTLS from several integration
// identities, varied complaints from tests/data/history. Prints throughput,
// latency percentiles, failures by code and its own CPU per request.
//   build/bench/loadgen/loadgen --target=127.0.0.1:50051 --pki_dir=.run/pki
//     --rate=1000 --duration=30s
// --rate=0 runs as fast as possible with --max_in_flight requests outstanding.
#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bench/loadgen/load_driver.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "intake's gRPC address");
ABSL_FLAG(std::string, pki_dir, ".run/pki",
          "certificates made by scripts/pki.sh: <dir>/ca.crt and <dir>/<identity>.{crt,key}");
ABSL_FLAG(std::string, identities,
          "system/call-centre,system/mail-gateway,system/mailroom,system/engineering-app",
          "comma-separated integration identities to call as, one channel each");
ABSL_FLAG(bool, insecure, false,
          "plaintext to services started with --insecure (identities as metadata)");
ABSL_FLAG(double, rate, 0, "requests per second; 0: as fast as possible");
ABSL_FLAG(int, max_in_flight, 256, "requests outstanding at most (the window when --rate=0)");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "how long to send");
ABSL_FLAG(int64_t, requests, 0, "stop after this many requests; 0: --duration bounds the run");
ABSL_FLAG(absl::Duration, deadline, absl::Seconds(10), "each request's deadline");
ABSL_FLAG(std::string, key_prefix, "",
          "idempotency keys are <prefix>-<n>; default: loadgen-<start time>, unique per run");
ABSL_FLAG(std::string, data_dir, "tests/data/history",
          "the shared datasets the complaints come from");

namespace {

using namespace complaints;

std::shared_ptr<grpc::ChannelCredentials> CredentialsOf(const std::string& pki,
                                                        const std::string& identity) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFile(pki + "/ca.crt").value_or("");
  ssl.pem_cert_chain = ReadFile(pki + "/" + identity + ".crt").value_or("");
  ssl.pem_private_key = ReadFile(pki + "/" + identity + ".key").value_or("");
  if (ssl.pem_root_certs.empty() || ssl.pem_cert_chain.empty() || ssl.pem_private_key.empty()) {
    std::fprintf(stderr, "loadgen: no certificate for %s under %s\n", identity.c_str(),
                 pki.c_str());
    std::exit(2);
  }
  return grpc::SslCredentials(ssl);
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  auto mix = loadgen::ComplaintMix::Load(absl::GetFlag(FLAGS_data_dir));
  if (!mix.ok()) {
    std::fprintf(stderr, "loadgen: %s\n", mix.status().ToString().c_str());
    return 2;
  }
  const std::vector<std::string> identities =
      absl::StrSplit(absl::GetFlag(FLAGS_identities), ',', absl::SkipEmpty());
  if (identities.empty()) {
    std::fprintf(stderr, "loadgen: --identities names none\n");
    return 2;
  }
  loadgen::LoadOptions options{
      .rate = absl::GetFlag(FLAGS_rate),
      .max_in_flight = std::max(1, absl::GetFlag(FLAGS_max_in_flight)),
      .duration = absl::GetFlag(FLAGS_duration),
      .max_requests = absl::GetFlag(FLAGS_requests),
      .deadline = absl::GetFlag(FLAGS_deadline),
      .key_prefix = absl::GetFlag(FLAGS_key_prefix),
      .insecure_identities = {},
  };
  if (options.key_prefix.empty()) {
    options.key_prefix = absl::StrCat("loadgen-", absl::ToUnixNanos(WallNow()));
  }
  std::vector<std::shared_ptr<v1::IntakeService::Stub>> stubs;
  for (const std::string& identity : identities) {
    grpc::ChannelArguments args;
    args.SetInt("loadgen-channel", static_cast<int>(stubs.size()));  // one connection each
    auto credentials = absl::GetFlag(FLAGS_insecure)
                           ? grpc::InsecureChannelCredentials()
                           : CredentialsOf(absl::GetFlag(FLAGS_pki_dir), identity);
    stubs.push_back(v1::IntakeService::NewStub(
        grpc::CreateCustomChannel(absl::GetFlag(FLAGS_target), credentials, args)));
  }
  if (absl::GetFlag(FLAGS_insecure)) options.insecure_identities = identities;
  const loadgen::LoadResult result = loadgen::RunLoad(stubs, *mix, options);
  std::string failures;
  for (const auto& [code, count] : result.failures) {
    absl::StrAppend(&failures, failures.empty() ? "" : ",", code, ":", count);
  }
  const double achieved = result.seconds > 0 ? result.ok / result.seconds : 0;
  std::printf(
      "[figures] loadgen: %s %s, %zu identities, %zu-complaint mix (%.0f B mean): sent %lld, ok "
      "%lld, failed %lld, shed %lld in %.1f s: %.0f ok/s; latency p50 %.2f ms, p90 %.2f ms, p99 "
      "%.2f ms, max %.2f ms; generator CPU %.3f ms per request\n",
      options.rate > 0 ? absl::StrCat(options.rate, "/s offered").c_str() : "as fast as possible",
      absl::GetFlag(FLAGS_insecure) ? "plaintext" : "mTLS", identities.size(), mix->size(),
      mix->MeanBytes(), static_cast<long long>(result.sent), static_cast<long long>(result.ok),
      static_cast<long long>(result.failed()), static_cast<long long>(result.shed), result.seconds,
      achieved, result.Percentile(50), result.Percentile(90), result.Percentile(99),
      result.latency_ms.empty() ? 0 : result.latency_ms.back(),
      result.sent > 0 ? result.cpu_ms / static_cast<double>(result.sent) : 0);
  // One machine-readable line for bench/pipeline.sh.
  std::printf(
      "loadgen-summary sent=%lld ok=%lld failed=%lld shed=%lld seconds=%.3f ok_per_s=%.1f "
      "p50_ms=%.3f p99_ms=%.3f cpu_ms=%.1f failures=%s\n",
      static_cast<long long>(result.sent), static_cast<long long>(result.ok),
      static_cast<long long>(result.failed()), static_cast<long long>(result.shed), result.seconds,
      achieved, result.Percentile(50), result.Percentile(99), result.cpu_ms,
      failures.empty() ? "none" : failures.c_str());
  return result.ok > 0 && result.failed() == 0 ? 0 : 1;
}
