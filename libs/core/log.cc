#include "libs/core/log.h"

#include <string>

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
  formatter->add_flag<JsonEscapedMessage>('*').set_pattern(
      std::string(R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","service":")") +
      JsonEscape(service) + R"(","msg":"%*"})");
  logger->set_formatter(std::move(formatter));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  google::protobuf::SetLogHandler(&ProtobufToSpdlog);
}

}  // namespace complaints
