#include "libs/store/write_behind.h"

#include <pthread.h>

namespace complaints {

LastOps WriteBehind::LastOpsOf(const Batch& batch) {
  LastOps last;
  last.reserve(batch.ops_.size());
  for (size_t i = 0; i < batch.ops_.size(); ++i) {
    last[{batch.ops_[i].family.index(), batch.ops_[i].key}] = i;
  }
  return last;
}

WriteBehind::WriteBehind(Writer writer) : writer_(std::move(writer)), thread_([this] { Loop(); }) {}

WriteBehind::~WriteBehind() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

absl::Status WriteBehind::Hand(Batch batch) {
  Flight flight;
  flight.batch = std::move(batch);
  // A moved vector keeps its elements where they are, so these views into
  // the batch's keys stay valid through the moves below.
  flight.last = LastOpsOf(flight.batch);
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(this, &WriteBehind::Idle));
  if (!failed_.ok()) return failed_;
  flight_ = std::move(flight);
  return absl::OkStatus();
}

std::optional<std::optional<std::string>> WriteBehind::Find(int family,
                                                            absl::string_view key) const {
  absl::MutexLock lock(&mu_);
  if (!flight_.has_value()) return std::nullopt;
  const auto it = flight_->last.find(std::make_pair(family, key));
  if (it == flight_->last.end()) return std::nullopt;
  const Batch::Op& op = flight_->batch.ops_[it->second];
  if (op.is_delete) return std::optional<std::string>();
  return std::optional<std::string>(op.value);
}

absl::Status WriteBehind::Land() const {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(this, &WriteBehind::Idle));
  return failed_;
}

void WriteBehind::Loop() {
  pthread_setname_np(pthread_self(), "store-writer");  // in top and perf
  absl::MutexLock lock(&mu_);
  while (true) {
    mu_.Await(absl::Condition(this, &WriteBehind::Busy));
    if (!flight_.has_value()) return;  // stopping, nothing in flight
    // Read without the lock: Find only reads the flight too, and nothing
    // replaces it before it is reset below.
    const Flight& flight = *flight_;
    mu_.Unlock();
    absl::Status written = writer_(flight.batch, flight.last);
    mu_.Lock();
    if (!written.ok() && failed_.ok()) failed_ = std::move(written);
    flight_.reset();
  }
}

}  // namespace complaints
