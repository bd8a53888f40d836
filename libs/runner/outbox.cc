#include "libs/runner/outbox.h"

#include "absl/strings/str_cat.h"

namespace complaints {

absl::StatusOr<std::unique_ptr<Outbox>> Outbox::Open(
    Store* store, std::shared_ptr<const RecordAuthority> authority, size_t max_record_bytes) {
  if (authority == nullptr) return absl::InvalidArgumentError("outbox: no record authority");
  // Sequences only need to grow within the life of the entries in the outbox:
  // resuming after the last stored key keeps publish order across restarts.
  uint64_t last = 0;
  uint64_t depth = 0;
  // The outbox is short (the relay drains it), so a full scan at start is cheap.
  absl::Status status =
      store->Scan(Family::kOutbox, "", "", SIZE_MAX, [&](absl::string_view key, absl::string_view) {
        last = DecodeOrderedKey(key);
        ++depth;
        return true;
      });
  if (!status.ok()) return status;
  std::unique_ptr<Outbox> outbox(
      new Outbox(store, std::move(authority), max_record_bytes, last + 1));
  outbox->depth_ = depth;
  return outbox;
}

Outbox::Ticket Outbox::Stage(Batch& batch, const std::vector<OutboxRecord>& records) {
  return Put(batch, records, Signing::kSign);
}

Outbox::Ticket Outbox::Restage(Batch& batch, const std::vector<OutboxRecord>& records) {
  return Put(batch, records, Signing::kAsIs);
}

Outbox::Ticket Outbox::Put(Batch& batch, const std::vector<OutboxRecord>& records,
                           Signing signing) {
  Ticket ticket;
  {
    absl::MutexLock lock(&mu_);
    ticket.first = next_;
    ticket.count = records.size();
    next_ += records.size();
    if (ticket.count > 0) unsettled_.insert(ticket.first);
  }
  for (uint64_t i = 0; i < records.size(); ++i) {
    const OutboxRecord& record = records[i];
    if (record.tombstone || signing == Signing::kAsIs) {
      batch.Put(Family::kOutbox, EncodeOrderedKey(ticket.first + i), EncodeValue(record));
      continue;
    }
    OutboxRecord signed_record{record.topic, record.key,
                               authority_->Sign(record.topic, record.key, record.payload)};
    batch.Put(Family::kOutbox, EncodeOrderedKey(ticket.first + i), EncodeValue(signed_record));
  }
  return ticket;
}

void Outbox::Settle(Ticket ticket, bool written, Durability durability) {
  if (ticket.count == 0) return;
  if (written) depth_ += ticket.count;
  absl::MutexLock lock(&mu_);
  if (written && durability == Durability::kBuffered) {
    unsynced_.insert(ticket.first);
  } else {
    unsettled_.erase(ticket.first);
  }
}

absl::Status Outbox::SyncPending() {
  std::set<uint64_t> pending;
  {
    absl::MutexLock lock(&mu_);
    pending = unsynced_;
  }
  if (pending.empty()) return absl::OkStatus();
  // Every pending batch was written before this point, so the sync covers it.
  if (absl::Status status = store_->SyncWal(); !status.ok()) return status;
  absl::MutexLock lock(&mu_);
  for (uint64_t first : pending) {
    unsynced_.erase(first);
    unsettled_.erase(first);
  }
  return absl::OkStatus();
}

uint64_t Outbox::SafeLimit() const {
  absl::MutexLock lock(&mu_);
  return unsettled_.empty() ? next_ : *unsettled_.begin();
}

void Outbox::WaitForWork(uint64_t seen_limit, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto raised = [this, seen_limit]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return (unsettled_.empty() ? next_ : *unsettled_.begin()) > seen_limit;
  };
  mu_.AwaitWithTimeout(absl::Condition(&raised), timeout);
}

// Layout: topic '\n' key '\n' payload. Topics and complaint ids never hold '\n'.
// "topic\nkey\npayload"; a tombstone is "topic\nkey" (no second line break).
std::string Outbox::EncodeValue(const OutboxRecord& record) {
  if (record.tombstone) return absl::StrCat(record.topic, "\n", record.key);
  return absl::StrCat(record.topic, "\n", record.key, "\n", record.payload);
}

absl::StatusOr<OutboxRecord> Outbox::DecodeValue(absl::string_view value) {
  const size_t first = value.find('\n');
  if (first == absl::string_view::npos) return absl::DataLossError("outbox entry is malformed");
  const size_t second = value.find('\n', first + 1);
  if (second == absl::string_view::npos) {
    return OutboxRecord{.topic = std::string(value.substr(0, first)),
                        .key = std::string(value.substr(first + 1)),
                        .payload = {},
                        .tombstone = true};
  }
  return OutboxRecord{std::string(value.substr(0, first)),
                      std::string(value.substr(first + 1, second - first - 1)),
                      std::string(value.substr(second + 1))};
}

}  // namespace complaints
