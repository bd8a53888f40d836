#include "libs/testing/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace complaints::testing {
namespace {

pid_t Spawn(const std::vector<std::string>& argv, const std::string& log_path,
            const std::map<std::string, std::string>& env) {
  const pid_t pid = fork();
  if (pid != 0) return pid;
  // Child: a process group of its own, so signals to the test do not reach it by accident.
  setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  const int log = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (log >= 0) {
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    close(log);
  }
  for (const auto& [key, value] : env) setenv(key.c_str(), value.c_str(), 1);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  execvp(args[0], args.data());
  _exit(127);
}

int ExitCode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1;
}

}  // namespace

ChildProcess::ChildProcess(std::vector<std::string> argv, std::string log_path,
                           std::map<std::string, std::string> env)
    : pid_(Spawn(argv, log_path, env)) {}

ChildProcess::~ChildProcess() {
  if (running()) Terminate();
}

bool ChildProcess::running() {
  if (pid_ <= 0) return false;
  Reap(WNOHANG);
  return pid_ > 0;
}

int ChildProcess::Reap(int options) {
  int status = 0;
  const pid_t done = waitpid(pid_, &status, options);
  if (done == pid_) {
    pid_ = -1;
    exit_code_ = ExitCode(status);
    return exit_code_;
  }
  return INT32_MIN;
}

int ChildProcess::Terminate(int grace_ms) {
  if (!running()) return exit_code_;
  kill(pid_, SIGTERM);
  for (int waited = 0; waited < grace_ms; waited += 20) {
    if (int code = Reap(WNOHANG); code != INT32_MIN) return code;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid_, SIGKILL);
  return Reap(0);
}

void ChildProcess::Kill() {
  if (!running()) return;
  kill(pid_, SIGKILL);
  Reap(0);
}

int RunCommand(const std::vector<std::string>& argv, const std::string& log_path,
               const std::map<std::string, std::string>& env) {
  const pid_t pid = Spawn(argv, log_path, env);
  int status = 0;
  waitpid(pid, &status, 0);
  return ExitCode(status);
}

}  // namespace complaints::testing
