// complaintctl backup / backups: the Admin API's store backups (docs/operations.md
// "Backups and restore").
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "complaints/v1/admin.grpc.pb.h"
#include "libs/core/text.h"
#include "tools/complaintctl/commands.h"
#include "tools/complaintctl/format.h"

namespace complaints::ctl {
namespace {

constexpr char kUsage[] =
    "usage: complaintctl backup intake|dispatch|tracking|analytics|all\n"
    "       complaintctl backups intake|dispatch|tracking|analytics\n";

}  // namespace

int Backup(const CtlOptions& options, const std::string& service) {
  if (service != "all" && AddressOf(options, service).empty()) {
    std::fprintf(stderr, "%s", kUsage);
    return 2;
  }
  int failures = 0;
  for (const char* name : kServices) {
    if (service != "all" && service != name) continue;
    v1::CreateBackupResponse response;
    // A backup copies what changed since the last one: allow it a minute more.
    v1::AdminService::Stub stub(Channel(options, AddressOf(options, name)));
    grpc::ClientContext context;
    Prepare(context, options, absl::Minutes(1));
    grpc::Status status = stub.CreateBackup(&context, {}, &response);
    if (!status.ok()) {
      std::fprintf(stderr, "%s: ", name);
      failures += Failed(status);
      continue;
    }
    const v1::Backup& made = response.backup();
    failures +=
        Print(options, response,
              absl::StrCat(name, ": backup ", made.id(), " taken, ", made.bytes(), " bytes in ",
                           made.files(), " files; ", response.kept_size(), " kept"));
  }
  return failures > 0 ? 1 : 0;
}

int Backups(const CtlOptions& options, const std::string& service) {
  const std::string address = AddressOf(options, service);
  if (address.empty()) {
    std::fprintf(stderr, "%s", kUsage);
    return 2;
  }
  v1::ListBackupsResponse response;
  grpc::Status status = Call(options, address, &v1::AdminService::Stub::ListBackups,
                             v1::ListBackupsRequest(), &response);
  if (!status.ok()) return Failed(status);
  return Print(options, response, FormatBackups(response.backups()));
}

}  // namespace complaints::ctl
