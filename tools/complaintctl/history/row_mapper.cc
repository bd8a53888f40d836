#include "tools/complaintctl/history/row_mapper.h"

#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/core/time_util.h"
#include "services/intake/domain/history.h"

namespace complaints::ctl {
namespace {

constexpr size_t kTitleChars = 500;
constexpr size_t kTextChars = 5000;

std::string Lower(absl::string_view text) {
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
}

// Cuts `text` to at most `max_chars` UTF-8 characters; true when it did.
bool Shorten(std::string& text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars++ == max_chars) {
      text.resize(i);
      return true;
    }
  }
  return false;
}

std::string Value(const std::vector<std::string>& values, int index) {
  if (index < 0 || static_cast<size_t>(index) >= values.size()) return "";
  return std::string(absl::StripAsciiWhitespace(values[index]));
}

std::string Joined(const std::vector<std::string>& values, const std::vector<int>& indexes,
                   absl::string_view separator) {
  std::vector<std::string> parts;
  for (int index : indexes) {
    std::string value = Value(values, index);
    if (!value.empty()) parts.push_back(std::move(value));
  }
  return absl::StrJoin(parts, separator);
}

absl::Status Missing(absl::string_view field) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
}

}  // namespace

int RowMapper::Index(const std::string& column) {
  if (column.empty()) return -1;
  auto it = std::find(columns_.begin(), columns_.end(), column);
  if (it != columns_.end()) return static_cast<int>(it - columns_.begin());
  columns_.push_back(column);
  return static_cast<int>(columns_.size()) - 1;
}

absl::StatusOr<RowMapper> RowMapper::Create(v1::HistoryMapping mapping) {
  if (mapping.source_system().empty()) return Missing("source_system");
  if (mapping.source_system().find(':') != std::string::npos) {
    return absl::InvalidArgumentError("source_system: must not contain ':'");
  }
  if (mapping.source_id().empty()) return Missing("source_id");
  if (mapping.opened_at().empty()) return Missing("opened_at");
  if (mapping.title().empty()) return Missing("title");
  if (mapping.channel().empty() && mapping.default_channel() == v1::CHANNEL_UNSPECIFIED) {
    return absl::InvalidArgumentError("default_channel: required when no channel column is named");
  }
  for (const auto& [field, fallback] : mapping.fallbacks()) {
    if (std::find_if(std::begin(kFallbackFields), std::end(kFallbackFields),
                     [&](const char* known) { return field == known; }) ==
        std::end(kFallbackFields)) {
      return absl::InvalidArgumentError(absl::StrCat("fallbacks: \"", field.substr(0, 40),
                                                     "\" is not a text field of the mapping (",
                                                     absl::StrJoin(kFallbackFields, ", "), ")"));
    }
    if (fallback.columns().empty()) {
      return absl::InvalidArgumentError(absl::StrCat("fallbacks[", field, "]: no columns"));
    }
  }
  if (mapping.has_closed_before_opened_tolerance()) {
    const google::protobuf::Duration& tolerance = mapping.closed_before_opened_tolerance();
    if (tolerance.seconds() < 0 || tolerance.nanos() < 0 ||
        tolerance.seconds() > absl::ToInt64Seconds(intake::kMaxClosedBeforeOpened) ||
        (tolerance.seconds() == absl::ToInt64Seconds(intake::kMaxClosedBeforeOpened) &&
         tolerance.nanos() > 0)) {
      return absl::InvalidArgumentError(
          "closed_before_opened_tolerance: must be between 0 and 24 hours");
    }
  }
  RowMapper mapper(std::move(mapping));
  const v1::HistoryMapping& m = mapper.mapping_;
  if (m.has_closed_before_opened_tolerance()) {
    mapper.closed_before_opened_tolerance_ =
        absl::Seconds(m.closed_before_opened_tolerance().seconds()) +
        absl::Nanoseconds(m.closed_before_opened_tolerance().nanos());
  }
  if (m.time_zone().empty()) {
    mapper.zone_ = absl::UTCTimeZone();
  } else if (!absl::LoadTimeZone(m.time_zone(), &mapper.zone_)) {
    return absl::InvalidArgumentError(
        absl::StrCat("time_zone: \"", m.time_zone(), "\" is not a known IANA zone"));
  }
  for (const std::string& status : m.closed_statuses()) {
    mapper.closed_statuses_.push_back(Lower(status));
  }
  for (const auto& [value, channel] : m.channels()) mapper.channels_[Lower(value)] = channel;
  mapper.source_id_ = mapper.Index(m.source_id());
  mapper.opened_ = mapper.Index(m.opened_at());
  mapper.target_ = mapper.Index(m.target_at());
  mapper.closed_ = mapper.Index(m.closed_at());
  mapper.channel_ = mapper.Index(m.channel());
  mapper.category_ = mapper.Index(m.category());
  for (const std::string& column : m.title()) mapper.title_.push_back(mapper.Index(column));
  for (const std::string& column : m.description()) {
    mapper.description_.push_back(mapper.Index(column));
  }
  mapper.department_ = mapper.Index(m.department());
  mapper.team_ = mapper.Index(m.team());
  mapper.handler_ = mapper.Index(m.handler());
  mapper.community_ = mapper.Index(m.community());
  for (const std::string& column : m.address()) mapper.address_.push_back(mapper.Index(column));
  mapper.status_ = mapper.Index(m.status());
  mapper.closure_ = mapper.Index(m.closure());
  mapper.satisfaction_ = mapper.Index(m.satisfaction());
  mapper.name_ = mapper.Index(m.complainant_name());
  mapper.phone_ = mapper.Index(m.complainant_phone());
  mapper.email_ = mapper.Index(m.complainant_email());
  for (const auto& [field, fallback] : m.fallbacks()) {
    for (const std::string& column : fallback.columns()) {
      mapper.fallbacks_[field].push_back(mapper.Index(column));
    }
  }
  return mapper;
}

std::string RowMapper::Text(const std::vector<std::string>& values, const std::string& field,
                            std::string primary) const {
  if (!primary.empty()) return primary;
  auto fallback = fallbacks_.find(field);
  if (fallback == fallbacks_.end()) return primary;
  for (int index : fallback->second) {
    std::string value = Value(values, index);
    if (!value.empty()) return value;
  }
  return primary;
}

std::variant<absl::Time, RowError> RowMapper::Time(const std::vector<std::string>& values,
                                                   int index, bool* present) const {
  const std::string text = Value(values, index);
  *present = !text.empty();
  if (text.empty()) return absl::Time();
  std::string error;
  absl::Time time;
  if (mapping_.time_formats().empty()) {
    if (absl::ParseTime(absl::RFC3339_full, text, zone_, &time, &error)) return time;
  }
  for (const std::string& format : mapping_.time_formats()) {
    if (absl::ParseTime(format, text, zone_, &time, &error)) return time;
  }
  return RowError{columns_[index],
                  absl::StrCat("\"", text.substr(0, 40), "\" is not a time in ",
                               mapping_.time_formats().empty()
                                   ? std::string("RFC 3339")
                                   : absl::StrJoin(mapping_.time_formats(), " or "))};
}

std::variant<MappedRow, RowError> RowMapper::Map(const std::vector<std::string>& values) const {
  MappedRow row;
  v1::ImportCaseRequest& request = row.request;
  v1::HistoricalCase& history = *request.mutable_history();
  history.set_source_system(mapping_.source_system());
  history.set_source_id(Value(values, source_id_));
  if (history.source_id().empty()) return RowError{columns_[source_id_], "empty"};

  bool present = false;
  auto opened = Time(values, opened_, &present);
  if (auto* error = std::get_if<RowError>(&opened)) return *error;
  if (!present) return RowError{columns_[opened_], "empty"};
  *history.mutable_opened_at() = ToProto(std::get<absl::Time>(opened));
  if (target_ >= 0) {
    auto target = Time(values, target_, &present);
    if (auto* error = std::get_if<RowError>(&target)) return *error;
    if (present) *history.mutable_target_at() = ToProto(std::get<absl::Time>(target));
  }
  std::optional<absl::Time> closed_at;
  if (closed_ >= 0) {
    auto closed = Time(values, closed_, &present);
    if (auto* error = std::get_if<RowError>(&closed)) return *error;
    if (present) closed_at = std::get<absl::Time>(closed);
  }
  history.set_status(Text(values, "status", Value(values, status_)));
  // Closed by status when the mapping lists closing statuses, else by a closed time.
  const bool closed = closed_statuses_.empty()
                          ? closed_at.has_value()
                          : std::find(closed_statuses_.begin(), closed_statuses_.end(),
                                      Lower(history.status())) != closed_statuses_.end();
  if (closed && closed_at.has_value() && *closed_at < std::get<absl::Time>(opened)) {
    // Clocks that disagreed: closed seconds before it was opened.
    const absl::Time opened_at = std::get<absl::Time>(opened);
    if (opened_at - *closed_at > closed_before_opened_tolerance_) {
      return RowError{
          closed_ >= 0 ? columns_[closed_] : mapping_.status(),
          absl::StrCat("before opened_at by ", absl::FormatDuration(opened_at - *closed_at),
                       ", more than the ", absl::FormatDuration(closed_before_opened_tolerance_),
                       " closed_before_opened_tolerance")};
    }
    *history.mutable_source_closed_at() = ToProto(*closed_at);
    closed_at = opened_at;
    row.closed_time_moved = true;
  }
  if (closed && !closed_at.has_value()) {
    return RowError{closed_ >= 0 ? columns_[closed_] : mapping_.status(),
                    absl::StrCat("status \"", history.status(), "\" is closed but no closed time")};
  }
  history.set_closed(closed);
  if (closed) *history.mutable_closed_at() = ToProto(*closed_at);

  history.set_department(Text(values, "department", Value(values, department_)));
  history.set_team(Text(values, "team", Value(values, team_)));
  history.set_handler(Text(values, "handler", Value(values, handler_)));
  std::string closure = Text(values, "closure", Value(values, closure_));
  row.shortened |= Shorten(closure, kTextChars);
  history.set_closure(std::move(closure));
  if (const std::string score = Value(values, satisfaction_); !score.empty()) {
    int satisfaction = 0;
    if (!absl::SimpleAtoi(score, &satisfaction) || satisfaction < 1 || satisfaction > 5) {
      return RowError{columns_[satisfaction_],
                      absl::StrCat("\"", score.substr(0, 20), "\" is not a score from 1 to 5")};
    }
    history.set_satisfaction(satisfaction);
  }

  const std::string channel = Lower(Text(values, "channel", Value(values, channel_)));
  auto known = channels_.find(channel);
  request.set_channel(known != channels_.end() ? known->second : mapping_.default_channel());
  if (request.channel() == v1::CHANNEL_UNSPECIFIED) {
    return RowError{columns_[channel_],
                    absl::StrCat("\"", channel.substr(0, 40),
                                 "\" is not a channel the mapping knows, and it has no default")};
  }
  request.set_category(Text(values, "category", Value(values, category_)));
  std::string content = Text(values, "title", Joined(values, title_, " - "));
  if (content.empty()) return RowError{absl::StrJoin(mapping_.title(), "+"), "empty"};
  row.shortened |= Shorten(content, kTitleChars);
  request.set_content(std::move(content));
  std::string description = Text(values, "description", Joined(values, description_, "\n\n"));
  row.shortened |= Shorten(description, kTextChars);
  request.set_description(std::move(description));
  v1::Location& location = *request.mutable_location();
  location.set_community(Text(values, "community", Value(values, community_)));
  location.set_public_area(Text(values, "address", Joined(values, address_, ", ")));
  if (location.community().empty() && location.public_area().empty()) {
    location.set_public_area(mapping_.default_area());
  }
  v1::Complainant& complainant = *request.mutable_complainant();
  complainant.set_name(Text(values, "complainant_name", Value(values, name_)));
  complainant.set_phone(Text(values, "complainant_phone", Value(values, phone_)));
  complainant.set_email(Text(values, "complainant_email", Value(values, email_)));
  if (complainant.ByteSizeLong() == 0) request.clear_complainant();
  return row;
}

std::string RowMapper::ColumnOf(const std::string& field) const {
  const v1::HistoryMapping& m = mapping_;
  const std::map<std::string, std::string> columns = {
      {"history.source_id", m.source_id()},
      {"history.opened_at", m.opened_at()},
      {"history.target_at", m.target_at()},
      {"history.closed_at", m.closed_at()},
      {"history.department", m.department()},
      {"history.team", m.team()},
      {"history.handler", m.handler()},
      {"history.status", m.status()},
      {"history.closure", m.closure()},
      {"history.satisfaction", m.satisfaction()},
      {"channel", m.channel()},
      {"category", m.category()},
      {"content", absl::StrJoin(m.title(), "+")},
      {"description", absl::StrJoin(m.description(), "+")},
      {"location.community", m.community()},
      {"location.public_area", absl::StrJoin(m.address(), "+")},
      {"complainant.name", m.complainant_name()},
      {"complainant.phone", m.complainant_phone()},
      {"complainant.email", m.complainant_email()},
  };
  auto it = columns.find(field);
  return it == columns.end() || it->second.empty() ? field : it->second;
}

}  // namespace complaints::ctl
