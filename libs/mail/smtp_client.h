#pragma once
// Sends one message at a time to an SMTP server (libcurl): smtp:// with
// STARTTLS when the server offers it (required with require_tls), or smtps://.
// One connection is kept and reused between messages. Thread-safe (calls are
// serialised).

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace complaints {

struct SmtpOptions {
  std::string url;            // smtp://host:port or smtps://host:port
  std::string from;           // the envelope sender, local@domain
  std::string username = {};  // both empty: no authentication
  std::string password = {};
  bool require_tls = false;                    // refuse to send over a connection without TLS
  absl::Duration timeout = absl::Seconds(30);  // one message, connecting included
};

class SmtpClient {
 public:
  // INVALID_ARGUMENT naming url or from when they are not usable.
  static absl::StatusOr<std::unique_ptr<SmtpClient>> Create(SmtpOptions options);
  ~SmtpClient();
  SmtpClient(const SmtpClient&) = delete;
  SmtpClient& operator=(const SmtpClient&) = delete;

  // Sends `message` (headers and body, CRLF line ends) to `to`. OK once the
  // server accepted it; FAILED_PRECONDITION when the server refused it for
  // good (a 5xx reply), with the reply; UNAVAILABLE for what may pass (no
  // connection, a 4xx reply, a timeout, a rejected login or TLS handshake).
  absl::Status Send(absl::string_view to, absl::string_view message);

  const SmtpOptions& options() const { return options_; }

 private:
  SmtpClient(SmtpOptions options, void* curl) : options_(std::move(options)), curl_(curl) {}

  const SmtpOptions options_;
  absl::Mutex mu_;
  void* curl_ ABSL_GUARDED_BY(mu_);  // CURL*
};

}  // namespace complaints
