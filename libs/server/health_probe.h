#pragma once
// The client side of readiness: asks a service's standard gRPC health check
// whether it serves. Used by complaintctl wait-ready and the test harness.

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/security/credentials.h"

namespace complaints {

// True when the server at `address` answers SERVING within `call_timeout`.
// Each probe opens a fresh channel: one that failed to connect would sit in
// gRPC's reconnect backoff and miss a server that has just started.
// `credentials`: the caller's (health is served behind the same mTLS).
bool IsServing(const std::string& address,
               const std::shared_ptr<grpc::ChannelCredentials>& credentials,
               absl::Duration call_timeout = absl::Seconds(1));

// Probes every `every` until IsServing or `timeout`; returns the last answer.
bool WaitUntilServing(const std::string& address,
                      const std::shared_ptr<grpc::ChannelCredentials>& credentials,
                      absl::Duration timeout, absl::Duration every = absl::Milliseconds(100));

}  // namespace complaints
