#include "bench/pipeline/process_stats.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/core/config.h"

namespace complaints::bench {

namespace {

// utime + stime of a /proc stat file (a process's or a thread's).
absl::Duration CpuOfStat(const std::string& path) {
  const std::string stat = ReadFile(path).value_or("");
  const size_t name_end = stat.rfind(')');
  if (name_end == std::string::npos) return absl::ZeroDuration();
  // After "pid (name) ": state is field 3, utime 14, stime 15.
  const std::vector<std::string> fields = absl::StrSplit(stat.substr(name_end + 2), ' ');
  if (fields.size() < 13) return absl::ZeroDuration();
  const double ticks = std::atof(fields[11].c_str()) + std::atof(fields[12].c_str());
  return absl::Seconds(ticks / static_cast<double>(sysconf(_SC_CLK_TCK)));
}

}  // namespace

absl::Duration CpuOf(pid_t pid) {
  if (pid <= 0) return absl::ZeroDuration();
  return CpuOfStat(absl::StrCat("/proc/", pid, "/stat"));
}

absl::Duration ThreadsCpuOf(pid_t pid, const std::string& prefix) {
  absl::Duration total;
  if (pid <= 0) return total;
  std::error_code error;
  // A thread may end while it is read: the iteration stops at an error.
  for (std::filesystem::directory_iterator task(absl::StrCat("/proc/", pid, "/task"), error);
       !error && task != std::filesystem::directory_iterator(); task.increment(error)) {
    const std::string name = ReadFile(task->path().string() + "/comm").value_or("");
    if (absl::StartsWith(name, prefix)) total += CpuOfStat(task->path().string() + "/stat");
  }
  return total;
}

namespace {

// A "Name:   123 kB" line of /proc/<pid>/status, in bytes.
int64_t StatusBytes(pid_t pid, absl::string_view name) {
  if (pid <= 0) return 0;
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  for (std::string line; std::getline(status, line);) {
    if (!absl::StartsWith(line, name) || line.size() <= name.size() || line[name.size()] != ':') {
      continue;
    }
    int64_t kib = 0;
    const std::vector<std::string> parts =
        absl::StrSplit(line.substr(name.size() + 1), ' ', absl::SkipWhitespace());
    if (!parts.empty() && absl::SimpleAtoi(parts[0], &kib)) return kib * 1024;
  }
  return 0;
}

}  // namespace

int64_t RssOf(pid_t pid) { return StatusBytes(pid, "VmRSS"); }

int64_t PeakRssOf(pid_t pid) { return StatusBytes(pid, "VmHWM"); }

pid_t PidFromFile(const std::string& path) {
  int pid = -1;
  std::ifstream in(path);
  if (!(in >> pid)) return -1;
  return pid;
}

int64_t BytesUnder(const std::string& dir, const std::string& except_suffix) {
  std::error_code error;
  int64_t total = 0;
  for (std::filesystem::recursive_directory_iterator it(dir, error), end; !error && it != end;
       it.increment(error)) {
    if (!it->is_regular_file(error)) continue;
    const std::string name = it->path().filename().string();
    if (!except_suffix.empty() && name.size() >= except_suffix.size() &&
        name.compare(name.size() - except_suffix.size(), except_suffix.size(), except_suffix) ==
            0) {
      continue;
    }
    total += static_cast<int64_t>(it->file_size(error));
  }
  return total;
}

int64_t FileBytes(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  return error ? 0 : static_cast<int64_t>(size);
}

}  // namespace complaints::bench
