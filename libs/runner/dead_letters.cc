#include "libs/runner/dead_letters.h"

#include "absl/strings/str_cat.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/core/time_util.h"

namespace complaints {
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;
constexpr size_t kPreviewBytes = 256;
constexpr size_t kMaxPageBytes = 1 << 20;

// A list page's copy of `letter`: key and payload cut to a preview.
void MakePreview(v1::DeadLetter& letter) {
  v1::RawRecord& record = *letter.mutable_record();
  letter.set_payload_bytes(static_cast<int64_t>(record.payload().size()));
  if (record.payload().size() > kPreviewBytes || record.key().size() > kPreviewBytes) {
    letter.set_preview(true);
    if (record.payload().size() > kPreviewBytes) record.mutable_payload()->resize(kPreviewBytes);
    if (record.key().size() > kPreviewBytes) record.mutable_key()->resize(kPreviewBytes);
  }
}

size_t KindIndex(v1::DeadLetterKind kind) {
  const auto index = static_cast<size_t>(kind);
  return index < 16 ? index : 0;
}

}  // namespace

std::string DeadLetterId(const ConsumedRecord& record) {
  return absl::StrCat(record.topic, ":", record.partition, ":", record.offset);
}

std::string OutboxDeadLetterId(uint64_t sequence) { return absl::StrCat("outbox:", sequence); }

v1::RawRecord ToRaw(const ConsumedRecord& record) {
  v1::RawRecord raw;
  raw.set_topic(record.topic);
  raw.set_partition(record.partition);
  raw.set_offset(record.offset);
  raw.set_key(record.key);
  raw.set_payload(record.payload);
  return raw;
}

ConsumedRecord FromRaw(const v1::RawRecord& raw) {
  return {raw.topic(), raw.partition(), raw.offset(), raw.key(), raw.payload()};
}

v1::DeadLetter MakeDeadLetter(std::string id, v1::RawRecord record, v1::DeadLetterKind kind,
                              absl::string_view reason, absl::Time now) {
  v1::DeadLetter letter;
  letter.set_id(std::move(id));
  *letter.mutable_record() = std::move(record);
  letter.set_kind(kind);
  letter.set_reason(std::string(reason));
  *letter.mutable_dead_at() = ToProto(now);
  return letter;
}

absl::StatusOr<std::unique_ptr<DeadLetters>> DeadLetters::Open(Store* store) {
  std::unique_ptr<DeadLetters> letters(new DeadLetters(store));
  absl::Status corrupt = absl::OkStatus();
  RETURN_IF_ERROR(store->Scan(
      Family::kDeadLetters, "", "", SIZE_MAX, [&](absl::string_view key, absl::string_view value) {
        v1::DeadLetter letter;
        if (!letter.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          corrupt = absl::DataLossError(
              absl::StrCat("dead letter ", EscapedPrefix(key), " is unreadable"));
          return false;
        }
        letters->Added(letter.kind());
        return true;
      }));
  RETURN_IF_ERROR(corrupt);
  return letters;
}

void DeadLetters::Stage(Batch& batch, const v1::DeadLetter& letter) const {
  batch.Put(Family::kDeadLetters, letter.id(), letter.SerializeAsString());
}

void DeadLetters::StageRemoval(Batch& batch, const v1::DeadLetter& letter) const {
  batch.Delete(Family::kDeadLetters, letter.id());
}

void DeadLetters::Added(v1::DeadLetterKind kind) { ++counts_[KindIndex(kind)]; }
void DeadLetters::Removed(v1::DeadLetterKind kind) { --counts_[KindIndex(kind)]; }

absl::StatusOr<v1::DeadLetter> DeadLetters::Get(absl::string_view id) const {
  ASSIGN_OR_RETURN(std::optional<std::string> stored, store_->Get(Family::kDeadLetters, id));
  if (!stored.has_value()) {
    return absl::NotFoundError(absl::StrCat("id: no dead letter \"", EscapedPrefix(id), "\""));
  }
  v1::DeadLetter letter;
  if (!letter.ParseFromString(*stored)) {
    return absl::DataLossError(absl::StrCat("dead letter ", EscapedPrefix(id), " is unreadable"));
  }
  return letter;
}

absl::StatusOr<v1::ListDeadLettersResponse> DeadLetters::List(int page_size,
                                                              absl::string_view page_token) const {
  if (page_size < 0 || page_size > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: must be between 0 and ", kMaxPageSize));
  }
  const size_t wanted = page_size == 0 ? kDefaultPageSize : static_cast<size_t>(page_size);
  v1::ListDeadLettersResponse response;
  absl::Status corrupt = absl::OkStatus();
  size_t page_bytes = 0;
  // The token is the last id returned; the next page starts just after it.
  const std::string begin =
      page_token.empty() ? "" : absl::StrCat(page_token, std::string(1, '\0'));
  RETURN_IF_ERROR(store_->Scan(
      Family::kDeadLetters, begin, "", wanted + 1,
      [&](absl::string_view key, absl::string_view value) {
        v1::DeadLetter letter;
        if (!letter.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          corrupt = absl::DataLossError(
              absl::StrCat("dead letter ", EscapedPrefix(key), " is unreadable"));
          return false;
        }
        MakePreview(letter);
        const size_t bytes = letter.ByteSizeLong();
        const bool full = static_cast<size_t>(response.dead_letters_size()) == wanted ||
                          (response.dead_letters_size() > 0 && page_bytes + bytes > kMaxPageBytes);
        if (full) {
          response.set_next_page_token(
              response.dead_letters(response.dead_letters_size() - 1).id());
          return false;
        }
        page_bytes += bytes;
        *response.add_dead_letters() = std::move(letter);
        return true;
      }));
  RETURN_IF_ERROR(corrupt);
  return response;
}

void LetterBatch::Add(Batch& batch, const ConsumedRecord& record, v1::DeadLetterKind kind,
                      absl::string_view reason) {
  if (letters_ == nullptr) return;
  letters_->Stage(batch, MakeDeadLetter(DeadLetterId(record), ToRaw(record), kind, reason, now_));
  staged_.push_back(kind);
}

bool LetterBatch::Authentic(Batch& batch, const ConsumedRecord& record,
                            const RecordAuthority& authority) {
  const absl::Status authentic = authority.Verify(record);
  if (!authentic.ok()) Add(batch, record, v1::DEAD_LETTER_KIND_FORGED, authentic.message());
  return authentic.ok();
}

void LetterBatch::Written() {
  for (v1::DeadLetterKind kind : staged_) letters_->Added(kind);
  staged_.clear();
}

uint64_t DeadLetters::total() const {
  int64_t total = 0;
  for (const auto& count : counts_) total += count.load();
  return static_cast<uint64_t>(std::max<int64_t>(total, 0));
}

std::map<std::string, uint64_t> DeadLetters::by_kind() const {
  std::map<std::string, uint64_t> counts;
  for (size_t i = 0; i < counts_.size(); ++i) {
    const int64_t count = counts_[i].load();
    if (count > 0 && v1::DeadLetterKind_IsValid(static_cast<int>(i))) {
      counts[v1::DeadLetterKind_Name(static_cast<v1::DeadLetterKind>(i))] =
          static_cast<uint64_t>(count);
    }
  }
  return counts;
}

}  // namespace complaints
