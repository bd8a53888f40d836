#pragma once
// complaintctl's commands. Each returns the process exit code: 0 on success,
// 1 when a call failed (the gRPC status is printed to stderr), 2 on bad usage.

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "complaints/v1/intake.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/status.h"

namespace complaints::ctl {

struct CtlOptions {
  std::string intake = "127.0.0.1:50051";
  std::string dispatch = "127.0.0.1:50052";
  std::string tracking = "127.0.0.1:50053";
  std::string analytics = "127.0.0.1:50054";
  std::string brokers = "127.0.0.1:9092";
  std::string kafka_user;  // topics: SASL/SCRAM admin user (empty: anonymous)
  std::string kafka_password;
  int partitions = 6;
  bool json = false;
  int page_size = 0;       // dead-letters list; 0: the service's default
  std::string page_token;  // dead-letters list
  absl::Duration timeout = absl::Seconds(10);
  // Who calls: the client certificate's credentials (or plaintext with
  // --insecure, the identity then named in x-insecure-identity).
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  std::string insecure_identity;  // set only with --insecure
};

inline constexpr const char* kServices[] = {"intake", "dispatch", "tracking", "analytics"};
// The address of a service named on the command line; empty for an unknown name.
std::string AddressOf(const CtlOptions& options, const std::string& service);

// A channel to `address` with the caller's credentials.
std::shared_ptr<grpc::Channel> Channel(const CtlOptions& options, const std::string& address);
// In plaintext mode, names the caller's identity on the call.
void Identify(grpc::ClientContext& context, const CtlOptions& options);
// Sets the call's deadline (`extra` beyond --timeout_seconds) and, in
// plaintext mode, the identity the caller names.
void Prepare(grpc::ClientContext& context, const CtlOptions& options,
             absl::Duration extra = absl::ZeroDuration());

// One call of `method` on a new channel to `address`, with the caller's
// credentials and the deadline of --timeout_seconds.
template <typename Stub, typename Request, typename Response>
grpc::Status Call(const CtlOptions& options, const std::string& address,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                  const Request& request, Response* response) {
  Stub stub(Channel(options, address));
  grpc::ClientContext context;
  Prepare(context, options);
  return (stub.*method)(&context, request, response);
}

// Prints a failed call's status to stderr; returns exit code 1.
int Failed(const grpc::Status& status);
// Prints the answer as `text`, or as JSON with --json; returns the exit code
// (1 when it has no JSON form).
int Print(const CtlOptions& options, const google::protobuf::Message& message,
          const std::string& text);

int Submit(const CtlOptions& options, v1::SubmitComplaintRequest request);
// One SubmitComplaintRequest as JSON per line; a line without an idempotency
// key gets "import:<file name>:<line>", so importing a file twice records it once
// (a changed line under the same key is refused with ALREADY_EXISTS).
int Import(const CtlOptions& options, const std::string& path);
// The complaint now, or as the platform knew it at `as_of` (RFC 3339; empty: now).
int Show(const CtlOptions& options, const std::string& complaint_id, const std::string& as_of);
// §4.2 the complaint's audit trail (auditor, manager); exit code 1 when a
// chain is broken.
int Audit(const CtlOptions& options, const std::string& complaint_id);
int Counts(const CtlOptions& options, const std::string& from_day, const std::string& to_day);
// §5.1/§5.3 figures for a day range, grouped by `by` (comma-separated
// dimension names: day, week, month, category, community, channel,
// department, handler).
int Figures(const CtlOptions& options, const std::string& from_day, const std::string& to_day,
            const std::string& by);
// §5.2 the stored reports (no id), or one rendered as markdown or html.
int Reports(const CtlOptions& options, const std::string& report_id, const std::string& format);
// §3.1 / §5.1 incidents of the last 7 days (one community, or all), with how
// many of each one's complaints are still open; `open_only`: only those with one.
int Incidents(const CtlOptions& options, const std::string& community, bool open_only);
// §5.1 hot issues of one community (empty: all) as of `day` (empty: today).
int HotIssues(const CtlOptions& options, const std::string& community, const std::string& day);
// §5.1 a projection of `series` ("all", or "category=…", "department=…",
// "community=…", "channel=…"), daily or weekly.
int Projection(const CtlOptions& options, const std::string& series, bool weekly, int horizon,
               const std::string& origin);
// Waits until all four services report SERVING, or the timeout.
int WaitReady(const CtlOptions& options);
// Creates the platform's topics that are missing and, as a broker admin,
// writes the single-writer ACLs (libs/eventlog/admin.h PlatformTopicAccess).
int EnsureTopicsCommand(const CtlOptions& options);
// What is stuck in each service (or the one named): relay, consumer, dead letters.
int Status(const CtlOptions& options, const std::string& service);
// dead-letters list SERVICE | show SERVICE ID | retry SERVICE ID.
int DeadLetters(const CtlOptions& options, const std::vector<std::string>& args);
// backup SERVICE|all: a backup of each store now; backups SERVICE: those kept.
int Backup(const CtlOptions& options, const std::string& service);
int Backups(const CtlOptions& options, const std::string& service);

}  // namespace complaints::ctl
