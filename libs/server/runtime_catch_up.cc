// ServiceRuntime's catch-up at start: reading topics to their end outside
// the consumer group (its own first, then its inputs together), and ending
// a rebuild of an empty store.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/core/clock.h"
#include "libs/core/log.h"
#include "libs/runner/topics.h"
#include "libs/server/runtime.h"

namespace complaints {

void ServiceRuntime::CatchUp(const std::vector<std::string>& topics,
                             const EventConsumer::Handler& handler, uint64_t min_lag,
                             size_t batch) {
  ConsumerOptions options;
  options.kafka = options_.kafka;
  options.kafka.client_id = options_.service + "-catch-up";
  options.group_id = options_.service;
  options.max_batch = batch;
  const bool own = topics.size() == 1 && WritesTopic(topics.front());
  const Stopwatch reading;
  while (!stopping_.load()) {
    absl::StatusOr<EventConsumer::CatchUpResult> read =
        EventConsumer::CatchUp(options, store_.get(), topics, handler, stopping_, min_lag);
    if (absl::Status landed = store_->Land(); !landed.ok() && read.ok()) read = landed;
    if (read.ok()) {
      const int64_t ms = absl::ToInt64Milliseconds(reading.Elapsed());
      const int64_t waited = absl::ToInt64Milliseconds(read->waited);
      if (own) {
        log::Info(
            "{}: read back {} of its own records from {} in {} ms ({} ms waiting for them, "
            "{} nudges)",
            options_.service, read->records, topics.front(), ms, waited, read->nudges);
      } else if (read->records > 0) {
        replayed_ += read->records;
        std::string by_topic;
        for (const auto& [topic, records] : read->records_by_topic) {
          absl::StrAppend(&by_topic, by_topic.empty() ? "" : ", ", topic, " ", records);
        }
        log::Info(
            "{}: replayed {} records ({}) in {} ms ({} records/s; {} ms waiting for them, "
            "{} nudges; {} MiB held at most to put the topics in time order, {} records handed "
            "on early)",
            options_.service, read->records, by_topic, ms,
            read->records * 1000 / static_cast<uint64_t>(std::max<int64_t>(ms, 1)), waited,
            read->nudges, read->peak_merge_bytes >> 20, read->released_early);
      }
      return;
    }
    if (absl::IsCancelled(read.status())) return;
    log::Warn("{}: reading {} to its end failed, retrying: {}", options_.service,
              absl::StrJoin(topics, ", "), read.status().ToString());
    MonotonicClock::Default()->SleepFor(absl::Seconds(1));
  }
}

void ServiceRuntime::EndRebuild() {
  const Stopwatch flushing;
  bool ended = !store_->rebuilding();
  while (!ended && !stopping_.load()) {
    const absl::Status status = store_->EndRebuild();
    ended = status.ok();
    if (ended) {
      log::Info("{}: rebuilt; its store flushed in {} ms", options_.service,
                absl::ToInt64Milliseconds(flushing.Elapsed()));
    } else {
      log::Error("{}: flushing the rebuilt store failed, retrying: {}", options_.service,
                 status.ToString());
      MonotonicClock::Default()->SleepFor(absl::Seconds(1));
    }
  }
}

bool ServiceRuntime::WritesTopic(const std::string& topic) const {
  return topic == options_.own_topic ||
         std::any_of(side_topics_.begin(), side_topics_.end(),
                     [&](const auto& side) { return side.first == topic; });
}

void ServiceRuntime::CatchUpInputs(const EventConsumer::Handler& handler) {
  std::vector<std::string> inputs;  // in the pipeline's order: it breaks ties in time
  for (absl::string_view topic : topics::kAll) {
    const std::string name(topic);
    if (WritesTopic(name) || std::find(options_.consume.begin(), options_.consume.end(), name) ==
                                 options_.consume.end()) {
      continue;
    }
    inputs.push_back(name);
  }
  if (inputs.empty() || stopping_.load()) return;
  CatchUp(inputs, handler, options_.replay_lag, options_.replay_batch);
}

}  // namespace complaints
