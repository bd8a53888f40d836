#include "libs/core/log.h"

#include <string>

#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace complaints {

void InitLogging(absl::string_view service) {
  auto logger = spdlog::stderr_logger_mt(std::string(service));
  logger->set_pattern(std::string(R"({"ts":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","service":")") +
                          std::string(service) + R"(","msg":"%v"})",
                      spdlog::pattern_time_type::utc);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace complaints
