#include "libs/server/tls.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"
#include "libs/core/config.h"

namespace complaints {
namespace {

constexpr size_t kMaxPemBytes = 1 << 20;

absl::StatusOr<std::string> ReadPem(absl::string_view what, const std::string& path) {
  if (path.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": required (or --insecure for a plaintext local experiment)"));
  }
  absl::StatusOr<std::string> pem = ReadFile(path);
  if (!pem.ok())
    return absl::InvalidArgumentError(absl::StrCat(what, " ", path, ": cannot be read"));
  if (pem->size() > kMaxPemBytes || !absl::StrContains(*pem, "-----BEGIN ")) {
    return absl::InvalidArgumentError(absl::StrCat(what, " ", path, ": not a PEM file"));
  }
  return pem;
}

struct Pems {
  std::string ca, cert, key;
};

absl::StatusOr<Pems> ReadAll(const TlsFiles& files) {
  Pems pems;
  for (auto [what, path, out] : {std::tuple{"CA certificate", &files.ca, &pems.ca},
                                 std::tuple{"certificate", &files.cert, &pems.cert},
                                 std::tuple{"private key", &files.key, &pems.key}}) {
    absl::StatusOr<std::string> pem = ReadPem(what, *path);
    if (!pem.ok()) return pem.status();
    *out = *std::move(pem);
  }
  return pems;
}

}  // namespace

TlsFiles PkiFiles(const std::string& pki_dir, const std::string& identity) {
  return {absl::StrCat(pki_dir, "/ca.crt"), absl::StrCat(pki_dir, "/", identity, ".crt"),
          absl::StrCat(pki_dir, "/", identity, ".key")};
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const TransportSecurity& security) {
  if (security.insecure) return grpc::InsecureServerCredentials();
  // Checked here so a bad path fails the start, not every handshake later.
  if (absl::StatusOr<Pems> pems = ReadAll(security.files); !pems.ok()) return pems.status();
  auto provider = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      security.files.key, security.files.cert, security.files.ca,
      static_cast<unsigned int>(std::max<int64_t>(1, absl::ToInt64Seconds(security.refresh))));
  grpc::experimental::TlsServerCredentialsOptions options(provider);
  options.watch_root_certs();
  options.watch_identity_key_cert_pairs();
  options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  return grpc::experimental::TlsServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsFor(
    const TransportSecurity& security) {
  if (security.insecure) return grpc::InsecureChannelCredentials();
  absl::StatusOr<Pems> pems = ReadAll(security.files);
  if (!pems.ok()) return pems.status();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = pems->ca;
  options.pem_cert_chain = pems->cert;
  options.pem_private_key = pems->key;
  return grpc::SslCredentials(options);
}

}  // namespace complaints
