#pragma once
// Loads rule and policy files written in protobuf text format. Errors name the
// file and the line:column the parser stopped at, or the field path that a
// semantic check rejected.

#include "absl/strings/string_view.h"
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace complaints {

// Parses `text` (read from `origin`, used only in messages) into `message`.
absl::Status ParseTextProto(absl::string_view origin, absl::string_view text,
                            google::protobuf::Message* message);

// Reads the file at `path`; NOT_FOUND when it cannot be read.
absl::StatusOr<std::string> ReadFile(const std::string& path);

template <typename T>
absl::StatusOr<T> LoadTextProto(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  T message;
  if (absl::Status status = ParseTextProto(path, *text, &message); !status.ok()) return status;
  return message;
}

}  // namespace complaints
