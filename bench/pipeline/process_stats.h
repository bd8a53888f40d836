#pragma once
// What the pipeline benchmark reads about a process and its folders from
// /proc and the file system: CPU time, resident memory, bytes on disk.

#include <sys/types.h>

#include <string>

#include "absl/time/time.h"

namespace complaints::bench {

// User + system CPU the process has spent; zero when it is gone.
absl::Duration CpuOf(pid_t pid);
// User + system CPU of the process's threads whose name starts with
// `prefix` (/proc/<pid>/task/*/comm); zero when there are none.
absl::Duration ThreadsCpuOf(pid_t pid, const std::string& prefix);
// Resident set size in bytes (VmRSS); 0 when the process is gone.
int64_t RssOf(pid_t pid);
// The most it has held resident since it started (VmHWM); 0 when it is gone.
int64_t PeakRssOf(pid_t pid);
// The broker's process id from the pid file kafka.sh writes; -1 if none.
pid_t PidFromFile(const std::string& path);
// Bytes of every regular file under `dir` whose name does not end with
// `except_suffix` (when given); 0 when it does not exist.
int64_t BytesUnder(const std::string& dir, const std::string& except_suffix = "");
// Size of one file; 0 when it does not exist.
int64_t FileBytes(const std::string& path);

}  // namespace complaints::bench
