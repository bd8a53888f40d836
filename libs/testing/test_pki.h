#pragma once
// Certificates for tests, made by scripts/pki.sh (the bring-up script's own
// tool) in a temporary folder: one CA per test process, and a certificate per
// identity on first use. Thread-safe.

#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "grpcpp/security/credentials.h"
#include "libs/server/server_security.h"
#include "libs/testing/temp_dir.h"

namespace complaints::testing {

class TestPki {
 public:
  // The process's PKI (made on first use, removed at exit).
  static TestPki& Shared();
  // A PKI of its own (another CA: certificates from it are strangers to Shared()).
  TestPki();

  const std::string& dir() const { return dir_.path(); }

  // The files of `identity`'s certificate ("staff/li"), issued on first use;
  // a server identity ("service/…") also names localhost and 127.0.0.1.
  TlsFiles Files(const std::string& identity);
  // A certificate for `identity` that expired yesterday (issued anew each
  // call, replacing the identity's files: use an identity of its own).
  TlsFiles Expired(const std::string& identity);
  // Client credentials presenting `identity`'s certificate.
  std::shared_ptr<grpc::ChannelCredentials> Credentials(const std::string& identity);
  // What a server with `identity` admits callers through: mTLS with this CA
  // and the shipped config/access.textproto.
  std::shared_ptr<const ServerSecurity> Server(const std::string& identity = "service/test");

 private:
  void Issue(const std::string& identity, bool expired);

  TempDir dir_;
  absl::Mutex mu_;
};

}  // namespace complaints::testing
