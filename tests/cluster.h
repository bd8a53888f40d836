#pragma once
// The whole platform for cross-service tests: a real Kafka broker and the four
// service binaries as separate processes on free loopback ports, each with
// its own RocksDB folder and certificate, plus gRPC stubs to call them over
// mTLS as the identities of config/access.textproto.

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "complaints/v1/admin.grpc.pb.h"
#include "complaints/v1/analytics.grpc.pb.h"
#include "complaints/v1/dispatch.grpc.pb.h"
#include "complaints/v1/intake.grpc.pb.h"
#include "complaints/v1/tracking.grpc.pb.h"
#include "libs/testing/eventually.h"
#include "libs/testing/kafka_broker.h"
#include "libs/testing/process.h"
#include "libs/testing/temp_dir.h"
#include "libs/testing/test_pki.h"

namespace complaints::testing {

enum class Service { kIntake = 0, kDispatch = 1, kTracking = 2, kAnalytics = 3 };
inline constexpr std::array<Service, 4> kServices = {Service::kIntake, Service::kDispatch,
                                                     Service::kTracking, Service::kAnalytics};
const char* NameOf(Service service);

// How often the cross-service tests ask the services again.
inline constexpr absl::Duration kPoll = absl::Milliseconds(100);

// How the cluster's intake schedules §2.4 call-backs. The pipeline tests
// (delivery, crashes, outages, poison, rebuilds) let dispatch go first for
// every priority, so every complaint flows through without staff; the
// procedure walk runs the shipped policy, confirming call-backs as staff do.
enum class CallBacks { kDispatchFirst, kShippedPolicy };

class Cluster {
 public:
  // `extra_flags` go to every service (e.g. "--park_timeout=5s").
  explicit Cluster(std::vector<std::string> extra_flags = {},
                   CallBacks call_backs = CallBacks::kDispatchFirst);
  ~Cluster();

  // Starts the broker and all services and waits until each serves. False
  // (with a test failure recorded) when something did not come up.
  bool Start();

  // Runs each service from its container image complaints/<name>:<tag>
  // (deploy/containers/build_images.sh) with Podman instead of the binary:
  // host network, the test's folders mounted at the same paths.
  // REQUIRES: before Start.
  void UseImages(std::string tag);

  // Flags for one service only (e.g. intake's --smtp_url), given at every
  // start from now on.
  void AddFlags(Service service, std::vector<std::string> flags);

  // And waits until it serves; `once` are flags for this start only.
  bool StartService(Service service, const std::vector<std::string>& once = {});
  void KillService(Service service);  // SIGKILL: a crash
  bool StopService(Service service);  // SIGTERM: graceful, true on exit code 0
  bool WaitServing(Service service, absl::Duration timeout);

  KafkaBroker& broker() { return *broker_; }
  // Stubs over mTLS: intake as the call centre's system, tracking as the
  // manager (every record, personal data included), dispatch as the duty
  // supervisor, analytics as an analyst, admin as the operator on call.
  v1::IntakeService::Stub& intake() { return *intake_; }
  v1::TrackingService::Stub& tracking() { return *tracking_; }
  v1::DispatchService::Stub& dispatch() { return *dispatch_; }
  v1::AnalyticsService::Stub& analytics() { return *analytics_; }
  v1::AdminService::Stub& admin(Service service) { return *admin_[static_cast<int>(service)]; }
  // Stubs calling as `identity` ("staff/li"; its certificate from the test
  // PKI). Thread-compatible.
  v1::IntakeService::Stub& intake(const std::string& identity);
  v1::TrackingService::Stub& tracking(const std::string& identity);
  v1::DispatchService::Stub& dispatch(const std::string& identity);
  std::shared_ptr<grpc::ChannelCredentials> credentials(const std::string& identity);
  const std::string& dir() const { return dir_.path(); }
  // Everything the four services have logged so far, concatenated (every
  // start appends to the same file per service).
  std::string ServiceLogs() const;
  std::string ServiceLog(Service service) const;
  std::string address(Service service) const { return Address(service); }
  // The service's process id, or -1 when it is not running as a process here.
  pid_t pid(Service service) const;
  // The service's status port (/healthz, /readyz, /metrics) on 127.0.0.1.
  int status_port(Service service) const { return status_ports_[static_cast<int>(service)]; }

 private:
  std::string Address(Service service) const;
  std::vector<std::string> InContainer(const std::string& name,
                                       const std::vector<std::string>& argv) const;
  std::string ContainerName(const std::string& name) const;
  static void PrintLogTail(const std::string& path);

  TempDir dir_;
  std::unique_ptr<KafkaBroker> broker_;
  std::array<int, 4> ports_{};
  std::array<int, 4> status_ports_{};
  std::array<std::unique_ptr<ChildProcess>, 4> processes_;
  template <typename Stub>
  Stub& As(std::map<std::string, std::unique_ptr<Stub>>& stubs, Service service,
           const std::string& identity);

  std::map<std::string, std::unique_ptr<v1::IntakeService::Stub>> intake_as_;
  std::map<std::string, std::unique_ptr<v1::TrackingService::Stub>> tracking_as_;
  std::map<std::string, std::unique_ptr<v1::DispatchService::Stub>> dispatch_as_;
  std::unique_ptr<v1::IntakeService::Stub> intake_;
  std::unique_ptr<v1::TrackingService::Stub> tracking_;
  std::unique_ptr<v1::DispatchService::Stub> dispatch_;
  std::unique_ptr<v1::AnalyticsService::Stub> analytics_;
  std::array<std::unique_ptr<v1::AdminService::Stub>, 4> admin_;
  std::vector<std::string> extra_flags_;
  std::array<std::vector<std::string>, 4> service_flags_;
  std::string config_dir_;
  std::string image_tag_;  // empty: the binaries
};

}  // namespace complaints::testing
