#pragma once
// Transport security for gRPC (docs/security.md): mTLS with the
// platform's CA on every port, or — only when asked for explicitly — plaintext
// for a local experiment.

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"

namespace complaints {

// PEM files: the CA that signs every peer, this side's certificate and key.
struct TlsFiles {
  std::string ca;
  std::string cert;
  std::string key;
};

struct TransportSecurity {
  bool insecure = false;  // plaintext, no certificates (--insecure)
  TlsFiles files = {};
  // How often a server re-reads its files (rotation needs no restart).
  absl::Duration refresh = absl::Minutes(1);
};

// The files scripts/pki.sh made for `identity` under `pki_dir`
// (ca.crt, <identity>.crt, <identity>.key).
TlsFiles PkiFiles(const std::string& pki_dir, const std::string& identity);

// Server credentials that require a client certificate signed by the CA and
// re-read the files every `refresh`. INVALID_ARGUMENT naming a file that is
// missing, unreadable or holds no PEM block.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const TransportSecurity& security);

// Client credentials presenting the certificate and trusting only the CA
// (the files are read once). Same errors.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const TransportSecurity& security);

}  // namespace complaints
