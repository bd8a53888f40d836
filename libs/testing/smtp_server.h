#pragma once
// A real SMTP server for tests: Debian's aiosmtpd (`python3 -m aiosmtpd`,
// package python3-aiosmtpd) on a loopback port, keeping every message it
// accepts in a Maildir, where a test reads what was delivered.

#include <memory>
#include <string>
#include <vector>

#include "libs/testing/process.h"

namespace complaints::testing {

class SmtpServer {
 public:
  // Starts the server with its Maildir and log under `dir` on `port` (a free
  // one when 0) and waits up to 20 s until it accepts connections; nullptr
  // when it does not. With max_message_bytes > 0 it refuses larger messages
  // for good (552), as a real server's size limit does.
  static std::unique_ptr<SmtpServer> Start(const std::string& dir, int port = 0,
                                           int max_message_bytes = 0);

  std::string url() const;  // smtp://127.0.0.1:<port>
  int port() const { return port_; }

  // The messages delivered so far, as received (the server adds X-Peer,
  // X-MailFrom and X-RcptTo headers), in the order they arrived.
  std::vector<std::string> Messages() const;

  // Ends the server; Start may bring one up on the same port again.
  void Stop() { process_.reset(); }

 private:
  SmtpServer(std::string maildir, int port) : maildir_(std::move(maildir)), port_(port) {}

  std::string maildir_;
  int port_;
  std::unique_ptr<ChildProcess> process_;
};

// The body of a message whose Content-Transfer-Encoding is base64, decoded;
// empty when the message has no body.
std::string DecodedBody(const std::string& message);

// The value of header `name` (unfolded, encoded words left as they are);
// empty when absent.
std::string HeaderOf(const std::string& message, const std::string& name);

}  // namespace complaints::testing
