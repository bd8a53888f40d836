#pragma once
// Drives SubmitComplaint load at intake over gRPC's callback API: no thread
// per request, so the generator costs little CPU of the cores it measures.
// Two modes:
//  - fixed rate (open loop): requests leave on a schedule of `rate` per
//    second whatever the answers; latency counts from the scheduled time,
//    so a stalled server shows as latency, not as a slower schedule. A
//    request that would exceed `max_in_flight` is not sent and counts as
//    shed: the rate was not held.
//  - as fast as possible (closed loop): `max_in_flight` requests always
//    outstanding, each answer sending the next.
// Requests spread round-robin over the channels, one per identity.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "bench/loadgen/complaint_mix.h"
#include "complaints/v1/intake.grpc.pb.h"

namespace complaints::loadgen {

struct LoadOptions {
  double rate = 0;  // requests per second; 0: as fast as possible
  int max_in_flight = 256;
  absl::Duration duration = absl::Seconds(10);
  int64_t max_requests = 0;  // stop after this many; 0: only the duration bounds the run
  absl::Duration deadline = absl::Seconds(10);  // per request
  std::string key_prefix;                       // idempotency keys are "<prefix>-<n>"
  // Plaintext to services started with --insecure: the identity travels as
  // metadata (x-insecure-identity), one per channel.
  std::vector<std::string> insecure_identities;
};

struct LoadResult {
  int64_t sent = 0;
  int64_t ok = 0;
  int64_t shed = 0;                         // fixed rate: not sent, too many in flight
  std::map<std::string, int64_t> failures;  // by status code name
  std::vector<double> latency_ms;           // of the answered requests, sorted
  double seconds = 0;                       // first send to last answer
  double cpu_ms = 0;                        // this process's CPU over the run

  int64_t failed() const;
  double Percentile(double p) const;  // of latency_ms; 0 when empty
};

LoadResult RunLoad(const std::vector<std::shared_ptr<v1::IntakeService::Stub>>& stubs,
                   const ComplaintMix& mix, const LoadOptions& options);

}  // namespace complaints::loadgen
