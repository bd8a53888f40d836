#include "tests/cluster.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "complaints/v1/config.pb.h"
#include "google/protobuf/text_format.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"
#include "libs/runner/test_records.h"
#include "libs/server/health_probe.h"
#include "libs/testing/net.h"

namespace complaints::testing {

const char* NameOf(Service service) {
  static constexpr const char* kNames[] = {"intake", "dispatch", "tracking", "analytics"};
  return kNames[static_cast<int>(service)];
}

Cluster::Cluster(std::vector<std::string> extra_flags, CallBacks call_backs)
    : extra_flags_(std::move(extra_flags)), config_dir_(SourceDir() + "/config") {
  if (call_backs == CallBacks::kDispatchFirst) {
    // The shipped configuration, but every priority dispatched before its call-back.
    config_dir_ = dir_.Sub("config");
    std::filesystem::copy(SourceDir() + "/config", config_dir_);
    const std::string path = config_dir_ + "/verification.textproto";
    absl::StatusOr<v1::VerificationPolicy> policy = LoadTextProto<v1::VerificationPolicy>(path);
    EXPECT_TRUE(policy.ok()) << policy.status();
    if (policy.ok()) {
      policy->clear_dispatch_before_verification();
      for (v1::Priority priority :
           {v1::PRIORITY_P1, v1::PRIORITY_P2, v1::PRIORITY_P3, v1::PRIORITY_P4}) {
        policy->add_dispatch_before_verification(priority);
      }
      std::string text;
      google::protobuf::TextFormat::PrintToString(*policy, &text);
      std::ofstream(path, std::ios::trunc) << text;
    }
  }
  // Intake's key-encryption key and subject secret (fixed: tests only).
  std::filesystem::create_directories(dir_.Sub("keys"));
  std::ofstream(dir_.Sub("keys/kek"))
      << "test-kek-1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n";
  std::ofstream(dir_.Sub("keys/subject_secret"))
      << "subjects-1 5f5e5d5c5b5a595857565554535251504f4e4d4c4b4a49484746454443424140\n";
  // Analytics' token signing seed.
  std::ofstream(dir_.Sub("keys/token_key"))
      << "tokens-1 0f0e0d0c0b0a09080706050403020100f1f2f3f4f5f6f7f8f9fafbfcfdfeff00\n";
  AddFlags(Service::kAnalytics, {"--token_key_file=" + dir_.Sub("keys/token_key")});
  // The writers' record keys (fixed: tests only; tests sign their own
  // well-formed poison with them).
  WriteTestWriterKeys(dir_.Sub("keys/writers"));
  for (Service service : kServices) {
    AddFlags(service, {"--writer_keys_dir=" + dir_.Sub("keys/writers")});
  }
  // The key topic's segments roll after 2 s here (KafkaBroker).
  AddFlags(Service::kIntake, {"--kek_file=" + dir_.Sub("keys/kek"),
                              "--subject_secret_file=" + dir_.Sub("keys/subject_secret"),
                              "--keys_segment_roll=2s", "--keys_roll_interval=2s"});
  for (int& port : ports_) port = FreePort();
  for (int& port : status_ports_) port = FreePort();
  auto channel = [this](Service s, const std::string& identity) {
    return grpc::CreateChannel(Address(s), credentials(identity));
  };
  intake_ = v1::IntakeService::NewStub(channel(Service::kIntake, "system/call-centre"));
  tracking_ = v1::TrackingService::NewStub(channel(Service::kTracking, "staff/qian"));
  dispatch_ = v1::DispatchService::NewStub(channel(Service::kDispatch, "staff/duty.supervisor"));
  analytics_ = v1::AnalyticsService::NewStub(channel(Service::kAnalytics, "staff/he"));
  for (Service service : kServices) {
    admin_[static_cast<int>(service)] = v1::AdminService::NewStub(channel(service, "ops/oncall"));
  }
}

std::shared_ptr<grpc::ChannelCredentials> Cluster::credentials(const std::string& identity) {
  return TestPki::Shared().Credentials(identity);
}

template <typename Stub>
Stub& Cluster::As(std::map<std::string, std::unique_ptr<Stub>>& stubs, Service service,
                  const std::string& identity) {
  std::unique_ptr<Stub>& stub = stubs[identity];
  if (stub == nullptr) {
    stub = std::make_unique<Stub>(grpc::CreateChannel(Address(service), credentials(identity)));
  }
  return *stub;
}

v1::IntakeService::Stub& Cluster::intake(const std::string& identity) {
  return As(intake_as_, Service::kIntake, identity);
}
v1::TrackingService::Stub& Cluster::tracking(const std::string& identity) {
  return As(tracking_as_, Service::kTracking, identity);
}
v1::DispatchService::Stub& Cluster::dispatch(const std::string& identity) {
  return As(dispatch_as_, Service::kDispatch, identity);
}

Cluster::~Cluster() {
  // In parallel: each drains for up to its grace period.
  std::vector<std::thread> stopping;
  for (Service service : kServices)
    stopping.emplace_back([this, service] { StopService(service); });
  for (std::thread& thread : stopping) thread.join();
  broker_.reset();
  // CI keeps no test folders: a failed test shows what the services said.
  if (::testing::Test::HasFailure()) {
    for (Service service : kServices) PrintLogTail(dir_.Sub(absl::StrCat(NameOf(service), ".log")));
  }
}

pid_t Cluster::pid(Service service) const {
  const std::unique_ptr<ChildProcess>& process = processes_[static_cast<int>(service)];
  return process == nullptr ? -1 : process->pid();
}

std::string Cluster::ServiceLogs() const {
  std::string all;
  for (Service service : kServices) all += ServiceLog(service);
  return all;
}

std::string Cluster::ServiceLog(Service service) const {
  std::ifstream file(dir_.Sub(absl::StrCat(NameOf(service), ".log")));
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

void Cluster::PrintLogTail(const std::string& path) {
  constexpr size_t kLines = 40;
  std::ifstream file(path);
  std::deque<std::string> tail;
  for (std::string line; std::getline(file, line);) {
    tail.push_back(std::move(line));
    if (tail.size() > kLines) tail.pop_front();
  }
  std::printf("----- last %zu lines of %s\n", tail.size(), path.c_str());
  for (const std::string& line : tail) std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

std::string Cluster::Address(Service service) const {
  return absl::StrCat("127.0.0.1:", ports_[static_cast<int>(service)]);
}

bool Cluster::Start() {
  broker_ = KafkaBroker::Start(dir_.path());
  if (!broker_) return false;
  for (Service service : kServices) {
    if (!StartService(service)) return false;
  }
  return true;
}

void Cluster::AddFlags(Service service, std::vector<std::string> flags) {
  std::vector<std::string>& own = service_flags_[static_cast<int>(service)];
  own.insert(own.end(), flags.begin(), flags.end());
}

bool Cluster::StartService(Service service, const std::vector<std::string>& once) {
  const std::string name = NameOf(service);
  auto& process = processes_[static_cast<int>(service)];
  std::vector<std::string> argv = {BinaryDir() + "/services/" + name + "/" + name,
                                   "--listen=" + Address(service),
                                   absl::StrCat("--status_listen=127.0.0.1:", status_port(service)),
                                   "--brokers=" + broker_->bootstrap(),
                                   "--data_dir=" + dir_.Sub(name),
                                   "--config_dir=" + config_dir_};
  argv.insert(argv.end(),
              {"--kafka_user=" + name, "--kafka_password_file=" + broker_->PasswordFile(name)});
  const TlsFiles tls = TestPki::Shared().Files("service/" + name);
  argv.insert(argv.end(), {"--tls_ca=" + tls.ca, "--tls_cert=" + tls.cert, "--tls_key=" + tls.key});
  argv.insert(argv.end(), extra_flags_.begin(), extra_flags_.end());
  const std::vector<std::string>& own = service_flags_[static_cast<int>(service)];
  argv.insert(argv.end(), own.begin(), own.end());
  argv.insert(argv.end(), once.begin(), once.end());
  if (!image_tag_.empty()) argv = InContainer(name, argv);
  process = std::make_unique<ChildProcess>(argv, dir_.Sub(name + ".log"));
  const absl::Time started = complaints::WallNow();
  // A probe answered by another process on the port is not this service serving.
  if (!WaitServing(service, absl::Seconds(60)) || !process->running()) {
    ADD_FAILURE() << name << " did not become ready; see " << dir_.Sub(name + ".log");
    return false;
  }
  std::printf("[cluster] %s serving after %.2f s\n", name.c_str(),
              absl::ToDoubleSeconds(complaints::WallNow() - started));
  std::fflush(stdout);
  return true;
}

void Cluster::KillService(Service service) {
  auto& process = processes_[static_cast<int>(service)];
  if (process) process->Kill();
  if (!image_tag_.empty()) {
    RunCommand({"podman", "kill", "--signal", "KILL", ContainerName(NameOf(service))},
               dir_.Sub("podman.log"));
  }
}

void Cluster::UseImages(std::string tag) {
  image_tag_ = std::move(tag);
  setenv("CONTAINERS_CONF", (SourceDir() + "/deploy/containers/containers.conf").c_str(), 1);
}

std::string Cluster::ContainerName(const std::string& name) const {
  return absl::StrCat("complaints-test-", name, "-", getpid());
}

std::vector<std::string> Cluster::InContainer(const std::string& name,
                                              const std::vector<std::string>& argv) const {
  const std::string pki = TestPki::Shared().dir();
  std::vector<std::string> wrapped = {
      "podman", "--cgroup-manager=cgroupfs", "run", "--rm", "--runtime", "runc", "--network=host",
      "--name", ContainerName(name),
      // The image's user (10001) is root on this host, so it reads the
      // test's root-owned files; inside the container it is not root.
      "--uidmap", "0:1:10001", "--uidmap", "10001:0:1", "--gidmap", "0:1:10001", "--gidmap",
      "10001:0:1", "-v", dir_.path() + ":" + dir_.path(), "-v", pki + ":" + pki + ":ro", "-v",
      config_dir_ + ":" + config_dir_ + ":ro",
      // A sanitized build's leak check needs ptrace, which a container lacks.
      "-e", "ASAN_OPTIONS=detect_leaks=0", absl::StrCat("complaints/", name, ":", image_tag_)};
  wrapped.insert(wrapped.end(), argv.begin() + 1, argv.end());
  return wrapped;
}

bool Cluster::StopService(Service service) {
  auto& process = processes_[static_cast<int>(service)];
  if (!process || !process->running()) return true;
  return process->Terminate() == 0;
}

bool Cluster::WaitServing(Service service, absl::Duration timeout) {
  return WaitUntilServing(Address(service), credentials("ops/oncall"), timeout, kPoll);
}

}  // namespace complaints::testing
