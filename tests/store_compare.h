#pragma once
// Comparing a service's whole store before and after it lost it (the rebuild
// and backup tests): where each topic ends, whether a service has consumed to
// those ends, and every entry of its RocksDB folder.

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "tests/cluster.h"

namespace complaints::testing {

using Offsets = std::map<std::string, int64_t>;  // "topic/partition" -> end offset

// Where every platform topic's partitions end now.
Offsets EndOffsets(Cluster& cluster);

// The topics `service` consumes (its inputs and its own topic).
std::vector<absl::string_view> ConsumedTopics(Service service);

// True when every service's outbox is empty: all it decided is in Kafka.
bool OutboxesEmpty(Cluster& cluster);

// True once the service has stored the end offset of every partition it
// reads and its outbox is empty.
bool CaughtUp(Cluster& cluster, Service service, const Offsets& ends);

// Every entry of every column family of the (closed) store at `path`, as
// "family/key" -> value. Dispatch's assignment feed is numbered in the order
// a service applied the topics, which a rebuild need not repeat: its changes
// are compared as a set ("family/change" -> "1"), without epoch and sequence.
std::map<std::string, std::string> Dump(const std::string& path);

// Waits until `service` has consumed to `ends`, stops it, and returns its
// store's entries (Dump) after deleting its data folder: a service that lost
// its disk. Empty, with a test failure, when it did not catch up or stop.
std::map<std::string, std::string> StopAndLoseStore(Cluster& cluster, Service service,
                                                    const Offsets& ends);

// How many entries of `before` are missing or different in `after` (and the
// sizes too); the first few are reported as test failures naming `name`.
int Differences(const std::map<std::string, std::string>& before,
                const std::map<std::string, std::string>& after, const std::string& name);

}  // namespace complaints::testing
