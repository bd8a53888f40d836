#pragma once
// For tests: records as a consumer receives them, and the events an outbox holds.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "complaints/v1/events.pb.h"
#include "libs/runner/record_auth.h"
#include "libs/runner/records.h"
#include "libs/store/store.h"

namespace complaints::testing {

// Every writer's fixed test keys.
WriterKeyring TestWriterKeys();
// Writes them as `dir`/<writer>.keys, the files --writer_keys_dir reads.
void WriteTestWriterKeys(const std::string& dir);
// An authority signing as `self` with the test keys (one per writer, made once).
std::shared_ptr<const RecordAuthority> TestAuthority(v1::Writer self);

// `payload` without the authentication its writer appended (as it was staged).
std::string Unsigned(absl::string_view payload);

// `payload` signed by `topic`'s writer with the test keys.
std::string SignedFor(absl::string_view topic, absl::string_view key, absl::string_view payload);

// `event` as read from `topic` at `offset`, keyed by its complaint id, on the
// partition that key gives among `partitions`, signed by the topic's writer.
ConsumedRecord ConsumedOf(absl::string_view topic, const v1::Envelope& event, int64_t offset,
                          int partitions = Store::kDefaultPartitions);

// The events an outbox holds, in the order the relay publishes them (not the
// evidence and notification records beside them).
std::vector<v1::Envelope> Outboxed(const Store& store);

}  // namespace complaints::testing
