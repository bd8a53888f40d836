#include "libs/testing/test_pki.h"

#include <filesystem>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "libs/testing/process.h"

namespace complaints::testing {

TestPki& TestPki::Shared() {
  static TestPki shared;  // its folder goes at exit
  return shared;
}

TestPki::TestPki() {
  const int code = RunCommand({"bash", SourceDir() + "/scripts/pki.sh", "init", dir_.path()},
                              dir_.Sub("pki.log"));
  EXPECT_EQ(code, 0) << "scripts/pki.sh init failed; see " << dir_.Sub("pki.log");
}

void TestPki::Issue(const std::string& identity, bool expired) {
  std::vector<std::string> argv = {"bash", SourceDir() + "/scripts/pki.sh", "issue", dir_.path(),
                                   identity};
  if (absl::StartsWith(identity, "service/")) {
    argv.insert(argv.end(), {"--server", "localhost,127.0.0.1"});
  }
  if (expired) argv.push_back("--expired");
  const int code = RunCommand(argv, dir_.Sub("pki.log"));
  EXPECT_EQ(code, 0) << "scripts/pki.sh issue " << identity << " failed";
}

TlsFiles TestPki::Files(const std::string& identity) {
  absl::MutexLock lock(&mu_);
  TlsFiles files = PkiFiles(dir_.path(), identity);
  if (!std::filesystem::exists(files.cert)) Issue(identity, false);
  return files;
}

TlsFiles TestPki::Expired(const std::string& identity) {
  absl::MutexLock lock(&mu_);
  Issue(identity, true);
  return PkiFiles(dir_.path(), identity);
}

std::shared_ptr<grpc::ChannelCredentials> TestPki::Credentials(const std::string& identity) {
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      ChannelCredentialsFor({.files = Files(identity)});
  EXPECT_TRUE(credentials.ok()) << credentials.status();
  return credentials.ok() ? *credentials : grpc::InsecureChannelCredentials();
}

std::shared_ptr<const ServerSecurity> TestPki::Server(const std::string& identity) {
  absl::StatusOr<std::shared_ptr<const ServerSecurity>> security =
      ServerSecurity::Load(SourceDir() + "/config/access.textproto", {.files = Files(identity)});
  EXPECT_TRUE(security.ok()) << security.status();
  return *security;
}

}  // namespace complaints::testing
