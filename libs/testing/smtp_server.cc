#include "libs/testing/smtp_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "libs/core/clock.h"
#include "libs/testing/net.h"

namespace complaints::testing {
namespace {

bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool connected =
      fd >= 0 && connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  if (fd >= 0) close(fd);
  return connected;
}

// The header block with folded lines joined, line ends normalised to "\n".
std::string Headers(const std::string& message) {
  std::string text = message;
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  const size_t end = text.find("\n\n");
  std::string headers = text.substr(0, end == std::string::npos ? text.size() : end);
  for (size_t at = headers.find("\n "); at != std::string::npos; at = headers.find("\n ")) {
    headers.erase(at, 2);
  }
  return headers;
}

}  // namespace

std::unique_ptr<SmtpServer> SmtpServer::Start(const std::string& dir, int port,
                                              int max_message_bytes) {
  if (port == 0) port = FreePort();
  const std::string maildir = dir + "/maildir";
  std::filesystem::create_directories(dir);
  std::unique_ptr<SmtpServer> server(new SmtpServer(maildir, port));
  // Debian's interpreter, where python3-aiosmtpd is installed, whatever
  // python3 comes first on PATH.
  std::vector<std::string> argv = {
      "/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", absl::StrCat("127.0.0.1:", port)};
  if (max_message_bytes > 0) {
    argv.push_back("-s");
    argv.push_back(absl::StrCat(max_message_bytes));
  }
  argv.insert(argv.end(), {"-c", "aiosmtpd.handlers.Mailbox", maildir});
  server->process_ = std::make_unique<ChildProcess>(argv, dir + "/smtp.log");
  const absl::Time deadline = complaints::WallNow() + absl::Seconds(20);
  while (complaints::WallNow() < deadline) {
    if (Accepts(port)) return server;
    if (!server->process_->running()) return nullptr;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return nullptr;
}

std::string SmtpServer::url() const { return absl::StrCat("smtp://127.0.0.1:", port_); }

std::vector<std::string> SmtpServer::Messages() const {
  std::vector<std::pair<std::filesystem::file_time_type, std::string>> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(maildir_ + "/new", error)) {
    files.emplace_back(entry.last_write_time(), entry.path().string());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> messages;
  for (const auto& [time, path] : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    messages.push_back(text.str());
  }
  return messages;
}

std::string HeaderOf(const std::string& message, const std::string& name) {
  for (absl::string_view line : absl::StrSplit(Headers(message), '\n')) {
    const size_t colon = line.find(':');
    if (colon != absl::string_view::npos && absl::EqualsIgnoreCase(line.substr(0, colon), name)) {
      return std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
    }
  }
  return "";
}

std::string DecodedBody(const std::string& message) {
  std::string text = message;
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  const size_t end = text.find("\n\n");
  if (end == std::string::npos) return "";
  std::string encoded;
  for (const char c : text.substr(end + 2)) {
    if (c != '\n') encoded.push_back(c);
  }
  std::string body;
  if (!absl::Base64Unescape(encoded, &body)) return "";
  return body;
}

}  // namespace complaints::testing
