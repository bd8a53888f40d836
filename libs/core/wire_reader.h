#pragma once
// Reads protobuf's wire format in place, for the few hot paths where
// protobuf's own parser costs more than the fields read (a view's packed
// timers, a record's authentication): views into the bytes, no allocation.
// Wire format: protobuf.dev/programming-guides/encoding. Pure.

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace complaints {

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kDelimited = 2, kFixed32 = 5 };

class WireReader {
 public:
  explicit WireReader(absl::string_view bytes)
      : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}

  bool done() const { return p_ == end_; }
  // What is left to read.
  absl::string_view rest() const { return absl::string_view(p_, end_ - p_); }

  // False when the bytes end inside it or it runs past ten bytes. `canonical`:
  // also false for an overlong encoding (a last byte of zero), which no
  // serializer writes.
  bool Varint(uint64_t* value, bool canonical = false) {
    if (p_ < end_ && (static_cast<uint8_t>(*p_) & 0x80) == 0) {  // most tags and lengths
      *value = static_cast<uint8_t>(*p_++);
      return true;
    }
    uint64_t result = 0;
    for (int shift = 0; shift < 64 && p_ < end_; shift += 7) {
      const auto byte = static_cast<uint8_t>(*p_++);
      result |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) {
        *value = result;
        return !canonical || byte != 0;
      }
    }
    return false;
  }

  // The next field's number (never 0) and wire type.
  bool Tag(uint64_t* field, uint32_t* type, bool canonical = false) {
    uint64_t tag = 0;
    if (!Varint(&tag, canonical)) return false;
    *field = tag >> 3;
    *type = static_cast<uint32_t>(tag & 7);
    return *field != 0;
  }

  bool Delimited(absl::string_view* bytes, bool canonical = false) {
    uint64_t length = 0;
    if (!Varint(&length, canonical) || length > static_cast<uint64_t>(end_ - p_)) return false;
    *bytes = absl::string_view(p_, length);
    p_ += length;
    return true;
  }

  // Steps over a field's value of wire type `type` (groups are not read).
  bool Skip(uint32_t type, bool canonical = false) {
    uint64_t ignored = 0;
    absl::string_view bytes;
    switch (type) {
      case kVarint:
        return Varint(&ignored, canonical);
      case kFixed64:
        return Advance(8);
      case kDelimited:
        return Delimited(&bytes, canonical);
      case kFixed32:
        return Advance(4);
      default:
        return false;
    }
  }

 private:
  bool Advance(size_t bytes) {
    if (static_cast<size_t>(end_ - p_) < bytes) return false;
    p_ += bytes;
    return true;
  }

  const char* p_;
  const char* end_;
};

}  // namespace complaints
