#pragma once
// Loads rule and policy files written in protobuf text format. Errors name the
// file and the line:column the parser stopped at, or the field path that a
// semantic check rejected.

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace complaints {

// Parses `text` (read from `origin`, used only in messages) into `message`.
absl::Status ParseTextProto(absl::string_view origin, absl::string_view text,
                            google::protobuf::Message* message);

// Reads the file at `path`; NOT_FOUND when it cannot be read.
absl::StatusOr<std::string> ReadFile(const std::string& path);

// `status` with "<path>: " in front of its message, so a semantic error
// (which names the field path) also names the file. OK stays OK.
absl::Status InFile(const std::string& path, const absl::Status& status);

template <typename T>
absl::StatusOr<T> LoadTextProto(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  T message;
  if (absl::Status status = ParseTextProto(path, *text, &message); !status.ok()) return status;
  return message;
}

// Parses `path` and builds the checked form with `create` (e.g.
// Classifier::Create); any error names the file.
template <typename T, typename Create>
auto LoadChecked(const std::string& path, Create create) -> decltype(create(std::declval<T>())) {
  absl::StatusOr<T> config = LoadTextProto<T>(path);
  if (!config.ok()) return config.status();
  auto checked = create(*std::move(config));
  if (!checked.ok()) return InFile(path, checked.status());
  return checked;
}

}  // namespace complaints
