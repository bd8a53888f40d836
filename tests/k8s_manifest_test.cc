// The Kubernetes manifests (deploy/k8s): deploy/k8s/check.sh renders both
// overlays with kustomize, lints them and validates them against the
// Kubernetes API's schemas; this test then reads what was rendered and checks
// what the schemas cannot: each service runs as the runbook says (probes on
// the status port, non-root, read-only, resources, a volume for RocksDB, a
// grace period longer than the drain, today's image), the rule files are the
// repository's, and in prod Strimzi's topics and users match the code — every
// topic the platform uses with its partitions and replication, and ACLs that
// give each topic exactly one writer and each service the reads the design
// lists (libs/eventlog/admin.cc PlatformTopicAccess), nothing more.
#include <filesystem>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "libs/core/config.h"
#include "libs/eventlog/admin.h"
#include "libs/runner/topics.h"
#include "libs/testing/process.h"
#include "libs/testing/temp_dir.h"
#include "yaml-cpp/yaml.h"

namespace complaints::testing {
namespace {

constexpr const char* kServiceNames[] = {"intake", "dispatch", "tracking", "analytics"};

class Manifests : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string out = BinaryDir() + "/k8s";
    const std::string log = out + "-check.log";
    std::filesystem::remove(log);
    const int code = RunCommand({"bash", SourceDir() + "/deploy/k8s/check.sh", out}, log);
    absl::StatusOr<std::string> said = ReadFile(log);
    std::printf("%s", said.ok() ? said->c_str() : "");
    ASSERT_EQ(code, 0) << "deploy/k8s/check.sh failed";
    for (const char* overlay : {"dev", "prod"}) {
      rendered_[overlay] = YAML::LoadAllFromFile(absl::StrCat(out, "/", overlay, ".yaml"));
    }
  }

  // The overlay's resources of `kind`, by name.
  static std::map<std::string, YAML::Node> Of(const std::string& overlay, const std::string& kind) {
    std::map<std::string, YAML::Node> found;
    for (const YAML::Node& resource : rendered_[overlay]) {
      if (resource["kind"].as<std::string>() == kind) {
        found[resource["metadata"]["name"].as<std::string>()] = resource;
      }
    }
    return found;
  }

  static std::map<std::string, std::vector<YAML::Node>> rendered_;
};

std::map<std::string, std::vector<YAML::Node>> Manifests::rendered_;

bool HasArg(const YAML::Node& container, const std::string& arg) {
  for (const YAML::Node& each : container["args"]) {
    if (each.as<std::string>() == arg) return true;
  }
  return false;
}

TEST_F(Manifests, EachServiceRunsAsTheRunbookSays) {
  absl::StatusOr<std::string> version = ReadFile(SourceDir() + "/VERSION");
  ASSERT_TRUE(version.ok());
  const std::string tag(absl::StripAsciiWhitespace(*version));
  for (const std::string overlay : {"dev", "prod"}) {
    const auto sets = Of(overlay, "StatefulSet");
    const auto services = Of(overlay, "Service");
    const auto budgets = Of(overlay, "PodDisruptionBudget");
    for (const char* name : kServiceNames) {
      SCOPED_TRACE(absl::StrCat(overlay, "/", name));
      ASSERT_TRUE(sets.count(name));
      const YAML::Node spec = sets.at(name)["spec"];
      EXPECT_EQ(spec["replicas"].as<int>(), 1) << "one replica until the services scale out";
      EXPECT_EQ(spec["volumeClaimTemplates"][0]["metadata"]["name"].as<std::string>(), "data");
      const YAML::Node pod = spec["template"]["spec"];
      EXPECT_TRUE(pod["securityContext"]["runAsNonRoot"].as<bool>());
      EXPECT_EQ(pod["securityContext"]["seccompProfile"]["type"].as<std::string>(),
                "RuntimeDefault");
      EXPECT_FALSE(pod["automountServiceAccountToken"].as<bool>());
      EXPECT_GE(pod["terminationGracePeriodSeconds"].as<int>(), 30)
          << "longer than the drain: calls 5 s, the consumer, the outbox up to 10 s";
      EXPECT_GE(pod["topologySpreadConstraints"].size(), 1u);
      ASSERT_EQ(pod["containers"].size(), 1u);
      const YAML::Node container = pod["containers"][0];
      EXPECT_EQ(container["image"].as<std::string>(), absl::StrCat("complaints/", name, ":", tag));
      const YAML::Node security = container["securityContext"];
      EXPECT_TRUE(security["readOnlyRootFilesystem"].as<bool>());
      EXPECT_FALSE(security["allowPrivilegeEscalation"].as<bool>());
      EXPECT_EQ(security["capabilities"]["drop"][0].as<std::string>(), "ALL");
      for (const char* probe : {"startupProbe", "livenessProbe", "readinessProbe"}) {
        EXPECT_EQ(container[probe]["httpGet"]["port"].as<std::string>(), "status") << probe;
      }
      EXPECT_EQ(container["readinessProbe"]["httpGet"]["path"].as<std::string>(), "/readyz");
      EXPECT_EQ(container["livenessProbe"]["httpGet"]["path"].as<std::string>(), "/healthz");
      for (const char* part : {"requests", "limits"}) {
        EXPECT_TRUE(container["resources"][part]["cpu"].IsDefined()) << part;
        EXPECT_TRUE(container["resources"][part]["memory"].IsDefined()) << part;
      }
      EXPECT_TRUE(HasArg(container, "--status_listen=0.0.0.0:8090"));
      EXPECT_TRUE(HasArg(container, "--data_dir=/var/lib/complaints"));
      EXPECT_TRUE(HasArg(container, "--backup_dir=/var/lib/complaints-backups"));
      EXPECT_TRUE(HasArg(container, "--instance_id=$(POD_NAME)"));
      EXPECT_TRUE(HasArg(container, "--writer_keys_dir=/etc/complaints/writers"));
      std::set<std::string> mounts;
      for (const YAML::Node& mount : container["volumeMounts"]) {
        mounts.insert(mount["mountPath"].as<std::string>());
      }
      EXPECT_TRUE(mounts.count("/var/lib/complaints") && mounts.count("/tmp") &&
                  mounts.count("/etc/complaints/rules") && mounts.count("/etc/complaints/tls") &&
                  mounts.count("/etc/complaints/writers"));
      EXPECT_TRUE(services.count(absl::StrCat(name, "-headless")));
      EXPECT_EQ(services.at(absl::StrCat(name, "-headless"))["spec"]["clusterIP"].as<std::string>(),
                "None");
      EXPECT_TRUE(services.count(name));
      EXPECT_TRUE(budgets.count(name));
      EXPECT_EQ(HasArg(container, absl::StrCat("--kafka_user=", name)), overlay == "prod");
    }
    const auto policies = Of(overlay, "NetworkPolicy");
    ASSERT_TRUE(policies.count("default-deny")) << overlay;
    EXPECT_EQ(policies.at("default-deny")["spec"]["policyTypes"].size(), 2u);
    EXPECT_EQ(policies.at("default-deny")["spec"]["podSelector"].size(), 0u) << "every pod";
  }
}

TEST_F(Manifests, TheRulesAreTheRepositorysConfigFiles) {
  for (const std::string overlay : {"dev", "prod"}) {
    int files = 0;
    for (const auto& [name, map] : Of(overlay, "ConfigMap")) {
      if (!absl::StartsWith(name, "complaints-rules")) continue;
      for (const auto& entry : map["data"]) {
        const std::string file = entry.first.as<std::string>();
        absl::StatusOr<std::string> text = ReadFile(SourceDir() + "/config/" + file);
        ASSERT_TRUE(text.ok()) << file;
        EXPECT_EQ(entry.second.as<std::string>(), *text) << overlay << ": " << file;
        ++files;
      }
    }
    int expected = 0;
    for (const auto& entry : std::filesystem::directory_iterator(SourceDir() + "/config")) {
      expected += entry.path().extension() == ".textproto" ? 1 : 0;
    }
    EXPECT_EQ(files, expected) << overlay << ": every rule file";
  }
}

TEST_F(Manifests, ProdsTopicsAndUsersAreTheCodesSingleWriterTable) {
  const auto topics_found = Of("prod", "KafkaTopic");
  std::set<std::string> names;
  for (const auto& [resource, topic] : topics_found) {
    const YAML::Node spec = topic["spec"];
    const std::string name = spec["topicName"].as<std::string>();
    names.insert(name);
    EXPECT_EQ(spec["partitions"].as<int>(), topics::kDefaultPartitions) << name;
    EXPECT_EQ(spec["replicas"].as<int>(), 3) << name;
    EXPECT_EQ(spec["config"]["min.insync.replicas"].as<int>(), 2) << name;
    EXPECT_EQ(spec["config"]["retention.ms"].as<int64_t>(), -1) << name;
    const bool compacted = spec["config"]["cleanup.policy"].IsDefined() &&
                           spec["config"]["cleanup.policy"].as<std::string>() == "compact";
    EXPECT_EQ(compacted, topics::IsCompacted(name)) << name;
  }
  EXPECT_EQ(names, std::set<std::string>(topics::kAll.begin(), topics::kAll.end()))
      << "exactly the topics the code uses";

  // (user, operation, resource type, resource name) from the KafkaUsers.
  std::set<std::tuple<std::string, std::string, std::string, std::string>> granted;
  for (const auto& [user, resource] : Of("prod", "KafkaUser")) {
    EXPECT_EQ(resource["spec"]["authentication"]["type"].as<std::string>(), "scram-sha-512");
    for (const YAML::Node& acl : resource["spec"]["authorization"]["acls"]) {
      EXPECT_EQ(acl["resource"]["patternType"].as<std::string>(), "literal") << user;
      for (const YAML::Node& operation : acl["operations"]) {
        granted.insert({user, operation.as<std::string>(),
                        acl["resource"]["type"].as<std::string>(),
                        acl["resource"]["name"].as<std::string>()});
      }
    }
  }
  std::set<std::tuple<std::string, std::string, std::string, std::string>> designed;
  std::map<std::string, int> writers;
  for (const TopicAccess& entry : PlatformTopicAccess()) {
    for (absl::string_view topic : topics::kAll) {
      designed.insert({entry.user, "Describe", "topic", std::string(topic)});
    }
    for (const std::string& topic : entry.writes) {
      designed.insert({entry.user, "Write", "topic", topic});
      designed.insert({entry.user, "Create", "topic", topic});
      ++writers[topic];
    }
    for (const std::string& topic : entry.reads)
      designed.insert({entry.user, "Read", "topic", topic});
    designed.insert({entry.user, "Read", "group", entry.group});
  }
  EXPECT_EQ(granted, designed) << "the KafkaUsers' ACLs are the design's, nothing more";
  for (absl::string_view topic : topics::kAll) {
    int granted_writers = 0;
    for (const auto& [user, operation, type, name] : granted) {
      granted_writers += operation == "Write" && type == "topic" && name == topic ? 1 : 0;
    }
    EXPECT_EQ(granted_writers, 1) << topic << ": exactly one writer";
  }
  for (const char* name : kServiceNames) {
    bool mounted = false;
    for (const YAML::Node& volume :
         Of("prod", "StatefulSet").at(name)["spec"]["template"]["spec"]["volumes"]) {
      mounted |=
          volume["secret"].IsDefined() && volume["secret"]["secretName"].as<std::string>() == name;
    }
    EXPECT_TRUE(mounted) << name << " reads its KafkaUser's password Secret";
  }
  EXPECT_TRUE(Of("prod", "Job").empty()) << "Strimzi's Topic Operator owns prod's topics";
  EXPECT_EQ(Of("prod", "Kafka").size(), 1u);
  EXPECT_EQ(Of("prod", "Kafka").begin()->second["spec"]["kafka"]["version"].as<std::string>(),
            "3.9.1");
}

TEST_F(Manifests, DevRunsItsOwnBrokerAndMakesTheTopics) {
  EXPECT_TRUE(Of("dev", "StatefulSet").count("kafka"));
  EXPECT_TRUE(Of("dev", "Job").count("complaints-topics"));
  EXPECT_TRUE(Of("dev", "KafkaTopic").empty());
  EXPECT_TRUE(Of("dev", "KafkaUser").empty());
}

}  // namespace
}  // namespace complaints::testing
