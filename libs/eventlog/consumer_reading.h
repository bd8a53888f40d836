#pragma once
// Private to libs/eventlog: what the group consumer and the catch-up
// (catch_up.cc) share in reading records from librdkafka.

#include <utility>

#include "librdkafka/rdkafkacpp.h"
#include "libs/runner/records.h"

namespace complaints {

// Read-ahead bounded in bytes (librdkafka's defaults are 64 MiB queued plus
// 50 MiB per fetch): evidence chunks of 192 KiB pass through consumers.
//
// Fetches wait for 64 KiB or 25 ms, whichever comes first: with a steady
// trickle of records, a fetch answered at the first record made each
// consumer ask the broker thousands of times a second, the broker's main
// cost per complaint. At 10 ms the broker still spent 0.8–0.95 ms of CPU
// per complaint at 600 submissions/s; at 25 ms (with the relay's 20 ms
// linger) 0.47–0.57. Up to 25 ms more per hop is the price.
inline constexpr std::pair<const char*, const char*> kReadAhead[] = {
    {"queued.max.messages.kbytes", "8192"},
    {"fetch.max.bytes", "8388608"},
    {"fetch.min.bytes", "65536"},
    {"fetch.wait.max.ms", "25"}};

// A consumed message as the applier takes it (its payload copied).
ConsumedRecord RecordOf(const RdKafka::Message& message);

}  // namespace complaints
