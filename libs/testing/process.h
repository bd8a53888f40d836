#pragma once
// A child process for cross-service tests: started with arguments, its output
// appended to a log file, and ended by SIGTERM (graceful) or SIGKILL (crash).

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace complaints::testing {

class ChildProcess {
 public:
  // Starts `argv[0]` with `argv`, stdout and stderr appended to `log_path`,
  // `env` added to this process's environment.
  ChildProcess(std::vector<std::string> argv, std::string log_path,
               std::map<std::string, std::string> env = {});
  ~ChildProcess();  // Terminate() if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // False once the child has exited (it is reaped here), whoever ended it.
  bool running();
  // SIGTERM, then SIGKILL after `grace_ms`; returns the exit status (or
  // -signal), also when the child had already exited.
  int Terminate(int grace_ms = 10'000);
  // SIGKILL: a crash with no chance to clean up.
  void Kill();

 private:
  int Reap(int options);
  pid_t pid_ = -1;
  int exit_code_ = 0;
};

// Runs a command to completion with output appended to `log_path`; returns its exit code.
int RunCommand(const std::vector<std::string>& argv, const std::string& log_path,
               const std::map<std::string, std::string>& env = {});

}  // namespace complaints::testing
