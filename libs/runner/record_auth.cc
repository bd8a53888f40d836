#include "libs/runner/record_auth.h"

#include <sodium.h>

#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/core/config.h"
#include "libs/core/status_macros.h"
#include "libs/core/text.h"
#include "libs/core/wire_reader.h"
#include "libs/runner/consumption.h"
#include "libs/runner/topics.h"

namespace complaints {
namespace {

constexpr v1::Writer kWriters[] = {v1::WRITER_INTAKE, v1::WRITER_DISPATCH, v1::WRITER_TRACKING,
                                   v1::WRITER_ANALYTICS};
constexpr absl::string_view kContext = "complaints.v1/record";
constexpr size_t kMacBytes = 32;

// Keyed BLAKE2b-256 over the context, the topic, the key and the body, each
// length-prefixed so that no two inputs run together.
std::string Mac(const SecretKey& key, absl::string_view topic, absl::string_view record_key,
                absl::string_view body) {
  crypto_generichash_blake2b_state state;
  crypto_generichash_blake2b_init(&state, key.data(), kKeyBytes, kMacBytes);
  for (absl::string_view part : {kContext, topic, record_key, body}) {
    const uint64_t length = part.size();
    unsigned char prefix[8];
    for (int i = 0; i < 8; ++i) prefix[i] = static_cast<unsigned char>(length >> (8 * i));
    crypto_generichash_blake2b_update(&state, prefix, sizeof prefix);
    crypto_generichash_blake2b_update(&state, reinterpret_cast<const unsigned char*>(part.data()),
                                      part.size());
  }
  std::string mac(kMacBytes, '\0');
  crypto_generichash_blake2b_final(&state, reinterpret_cast<unsigned char*>(mac.data()), kMacBytes);
  return mac;
}

// The bytes AuthenticatedRecord{auth} serializes to: what a record ends with.
std::string Trailer(const v1::Authentication& auth) {
  v1::AuthenticatedRecord trailer;
  *trailer.mutable_auth() = auth;
  return trailer.SerializeAsString();
}

// Field 1000, length-delimited: the tag's two bytes.
constexpr unsigned char kTag[] = {0xC2, 0x3E};
// An Authentication (key id up to 64 bytes, a 32-byte MAC) is shorter than
// 128 bytes, so its length is one byte.
constexpr size_t kMaxTrailerBody = 127;

// The largest field number protobuf reads.
constexpr uint64_t kMaxFieldNumber = (1u << 29) - 1;

// Reads `bytes` as an Authentication a writer made: what protobuf parses
// and serializes back to the same bytes (what Trailer writes, and fields of
// a later release after the two known ones), with a key id and a whole MAC;
// by hand, in place:
// protobuf's parse and the re-serialization that checked the form were 7 %
// of tracking's replay (every record is split twice: checked, then kept).
bool ReadAuthentication(absl::string_view bytes, SignedRecord* split) {
  WireReader in(bytes);
  uint64_t field = 0;
  uint32_t type = 0;
  // The known fields, each at most once, in order, and not empty (proto3
  // leaves an empty one out).
  for (auto [number, value] : {std::pair{1u, &split->key_id}, std::pair{2u, &split->mac}}) {
    WireReader peek = in;
    if (!peek.Tag(&field, &type) || field != number || type != kDelimited) continue;
    if (!peek.Delimited(value, /*canonical=*/true) || value->empty()) return false;
    in = peek;
  }
  while (!in.done()) {  // unknown fields: kept as read, so written again after the known
    if (!in.Tag(&field, &type, /*canonical=*/true) || field > kMaxFieldNumber ||
        ((field == 1 || field == 2) && type == kDelimited) || !in.Skip(type, /*canonical=*/true)) {
      return false;
    }
  }
  // As a writer signs: a key id and a whole MAC. Anything less is no
  // trailer but the end of a MAC that looks like one (its last three bytes
  // are C2 3E 00 once in 16.7 million records: an empty Authentication).
  return !split->key_id.empty() && split->mac.size() == kMacBytes && IsValidUtf8(split->key_id);
}

}  // namespace

std::optional<SignedRecord> SplitSigned(absl::string_view payload) {
  for (size_t length = 0; length <= kMaxTrailerBody && length + 3 <= payload.size(); ++length) {
    const size_t at = payload.size() - length - 3;
    if (static_cast<unsigned char>(payload[at]) != kTag[0] ||
        static_cast<unsigned char>(payload[at + 1]) != kTag[1] ||
        static_cast<unsigned char>(payload[at + 2]) != length) {
      continue;
    }
    SignedRecord split;
    split.body = payload.substr(0, at);
    if (ReadAuthentication(payload.substr(at + 3), &split)) return split;
  }
  return std::nullopt;
}

v1::Writer OwnerOfTopic(absl::string_view topic) {
  if (topic == topics::kEvidence || topic == topics::kKeys) return v1::WRITER_INTAKE;
  if (topic == topics::kNotifications) return v1::WRITER_TRACKING;
  return WriterOfTopic(topic);
}

std::string WriterFileName(v1::Writer writer) {
  return absl::AsciiStrToLower(absl::StripPrefix(v1::Writer_Name(writer), "WRITER_"));
}

absl::StatusOr<WriterKeyring> WriterKeyring::Load(const std::string& dir) {
  WriterKeyring ring;
  for (v1::Writer writer : kWriters) {
    const std::string path = absl::StrCat(dir, "/", WriterFileName(writer), ".keys");
    ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    std::vector<NamedKey>& keys = ring.keys[writer];
    int line_number = 0;
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      ++line_number;
      if (absl::StripAsciiWhitespace(line).empty()) continue;
      ASSIGN_OR_RETURN(NamedKey key, ParseNamedKey(absl::StrCat(path, ":", line_number), line));
      for (const NamedKey& earlier : keys) {
        if (earlier.id == key.id) {
          return absl::InvalidArgumentError(
              absl::StrCat(path, ":", line_number, ": key id ", key.id, " appears twice"));
        }
      }
      keys.push_back(std::move(key));
    }
    std::fill(text.begin(), text.end(), '\0');
    if (keys.empty()) return absl::InvalidArgumentError(absl::StrCat(path, ": no key in it"));
  }
  return ring;
}

absl::StatusOr<std::shared_ptr<const RecordAuthority>> RecordAuthority::Create(
    v1::Writer self, WriterKeyring keys, v1::UnauthenticatedRecords legacy) {
  // Before the first MAC: a service that only verifies would otherwise run
  // libsodium uninitialised, on its portable BLAKE2b (9 % slower here).
  if (!SodiumReady()) return absl::InternalError("libsodium could not be initialised");
  for (v1::Writer writer : kWriters) {
    if (keys.keys[writer].empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("writer keys: none for ", WriterFileName(writer)));
    }
  }
  std::map<std::pair<std::string, int32_t>, int64_t> below;
  for (int i = 0; i < legacy.partitions_size(); ++i) {
    const v1::PartitionBound& bound = legacy.partitions(i);
    const std::string path = absl::StrCat("unauthenticated records: partitions[", i, "]");
    if (OwnerOfTopic(bound.topic()) == v1::WRITER_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ".topic: \"", EscapedPrefix(bound.topic()), "\" is no platform topic"));
    }
    if (bound.partition() < 0 || bound.below_offset() < 0) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": partition and offset are >= 0"));
    }
    below[{bound.topic(), bound.partition()}] = bound.below_offset();
  }
  return std::shared_ptr<const RecordAuthority>(
      new RecordAuthority(self, std::move(keys), std::move(below)));
}

std::string RecordAuthority::Sign(absl::string_view topic, absl::string_view key,
                                  absl::string_view payload) const {
  const NamedKey& signing = keys_.keys.at(self_).front();
  v1::Authentication auth;
  auth.set_key_id(signing.id);
  auth.set_mac(Mac(signing.key, topic, key, payload));
  return absl::StrCat(payload, Trailer(auth));
}

absl::Status RecordAuthority::Verify(const ConsumedRecord& record) const {
  if (record.tombstone) return absl::OkStatus();
  const v1::Writer owner = OwnerOfTopic(record.topic);
  if (owner == v1::WRITER_UNSPECIFIED) {
    return absl::PermissionDeniedError(
        absl::StrCat("topic ", EscapedPrefix(record.topic), " has no writer"));
  }
  // Below the mark a record is read as it was before the mark was made.
  const auto legacy = legacy_.find({record.topic, record.partition});
  if (legacy != legacy_.end() && record.offset < legacy->second) return absl::OkStatus();
  const std::optional<SignedRecord> split = SplitSigned(record.payload);
  if (!split.has_value()) {
    return absl::PermissionDeniedError(
        absl::StrCat("not authenticated by ", WriterFileName(owner), " (every record at offset ",
                     legacy == legacy_.end() ? 0 : legacy->second, " or later must be)"));
  }
  const NamedKey* key = nullptr;
  for (const NamedKey& each : keys_.keys.at(owner)) {
    if (each.id == split->key_id) key = &each;
  }
  if (key == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("authenticated with key \"", EscapedPrefix(split->key_id),
                     "\", which is not one of ", WriterFileName(owner), "'s keys"));
  }
  if (split->mac.size() != kMacBytes) {
    return absl::PermissionDeniedError("its authentication is malformed");
  }
  const std::string expected = Mac(key->key, record.topic, record.key, split->body);
  if (sodium_memcmp(expected.data(), split->mac.data(), kMacBytes) != 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("does not authenticate as ", WriterFileName(owner), "'s (key ", key->id, ")"));
  }
  return absl::OkStatus();
}

}  // namespace complaints
