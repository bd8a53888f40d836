#include "libs/core/log.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/stubs/logging.h"
#include "spdlog/pattern_formatter.h"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace complaints {
namespace {

// The log message as the inside of a JSON string: quotes, backslashes and
// control characters escaped, so a message can never break its line.
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&,
              spdlog::memory_buf_t& out) override {
    const std::string escaped =
        JsonEscape(absl::string_view(message.payload.data(), message.payload.size()));
    out.append(escaped.data(), escaped.data() + escaped.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonEscapedMessage>();
  }
};

thread_local const ComplaintLogFields* current_fields = nullptr;

void AppendField(spdlog::memory_buf_t& out, absl::string_view name, absl::string_view value) {
  if (value.empty()) return;
  const std::string text = absl::StrCat(",\"", name, "\":\"", JsonEscape(value), "\"");
  out.append(text.data(), text.data() + text.size());
}

// The fields of the innermost ComplaintLogScope of the logging thread. The
// logger is synchronous, so formatting runs on the thread that logs.
class ComplaintFields final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& out) override {
    if (current_fields == nullptr) return;
    AppendField(out, "complaint_id", current_fields->complaint_id);
    AppendField(out, "event_id", current_fields->event_id);
    AppendField(out, "causation_id", current_fields->causation_id);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<ComplaintFields>();
  }
};

void ProtobufToSpdlog(google::protobuf::LogLevel level, const char* file, int line,
                      const std::string& message) {
  const auto spd =
      level >= google::protobuf::LOGLEVEL_ERROR ? spdlog::level::warn : spdlog::level::info;
  spdlog::log(spd, "protobuf {}:{}: {}", file, line, message);
}

}  // namespace

std::string JsonEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          absl::StrAppendFormat(&out, "\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out;
}

void InitLogging(absl::string_view service) {
  auto logger = spdlog::stderr_logger_mt(std::string(service));
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<JsonEscapedMessage>('*');
  formatter->add_flag<ComplaintFields>('&').set_pattern(
      std::string(R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","service":")") +
      JsonEscape(service) + R"(","msg":"%*"%&})");
  logger->set_formatter(std::move(formatter));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  google::protobuf::SetLogHandler(&ProtobufToSpdlog);
}

ComplaintLogScope::ComplaintLogScope(ComplaintLogFields fields)
    : fields_(std::move(fields)), outer_(current_fields) {
  current_fields = &fields_;
}

ComplaintLogScope::~ComplaintLogScope() { current_fields = outer_; }

bool SetLogLevel(absl::string_view level) {
  static constexpr std::pair<absl::string_view, spdlog::level::level_enum> kLevels[] = {
      {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},
      {"warn", spdlog::level::warn},
      {"error", spdlog::level::err}};
  for (const auto& [name, value] : kLevels) {
    if (name == level) {
      spdlog::set_level(value);
      return true;
    }
  }
  return false;
}

namespace log {
namespace {

spdlog::level::level_enum SpdlogLevel(Level level) {
  switch (level) {
    case Level::kDebug:
      return spdlog::level::debug;
    case Level::kInfo:
      return spdlog::level::info;
    case Level::kWarn:
      return spdlog::level::warn;
    case Level::kError:
      return spdlog::level::err;
    case Level::kCritical:
      return spdlog::level::critical;
  }
  return spdlog::level::err;
}

}  // namespace

bool Enabled(Level level) { return spdlog::default_logger_raw()->should_log(SpdlogLevel(level)); }

void Write(Level level, std::string_view message) {
  spdlog::default_logger_raw()->log(SpdlogLevel(level), "{}", message);
}

}  // namespace log
}  // namespace complaints
