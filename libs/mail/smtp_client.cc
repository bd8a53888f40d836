#include "libs/mail/smtp_client.h"

#include <curl/curl.h>

#include <cstring>
#include <mutex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/core/text.h"

namespace complaints {
namespace {

struct Upload {
  absl::string_view rest;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  Upload& upload = *static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload.rest.size());
  std::memcpy(buffer, upload.rest.data(), n);
  upload.rest.remove_prefix(n);
  return n;
}

bool PlainAddress(absl::string_view address) {
  const size_t at = address.find('@');
  return at != absl::string_view::npos && at > 0 && at + 1 < address.size() &&
         address.find_first_of(" <>,;\"\\()[]\r\n\t") == absl::string_view::npos &&
         address.size() <= 254;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SmtpClient>> SmtpClient::Create(SmtpOptions options) {
  if (!absl::StartsWith(options.url, "smtp://") && !absl::StartsWith(options.url, "smtps://")) {
    return absl::InvalidArgumentError("url: smtp://host:port or smtps://host:port");
  }
  if (!PlainAddress(options.from)) {
    return absl::InvalidArgumentError("from: a plain address, local@domain");
  }
  if (options.timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("timeout: must be positive");
  }
  static std::once_flag initialised;
  std::call_once(initialised, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return absl::InternalError("libcurl: curl_easy_init failed");
  return std::unique_ptr<SmtpClient>(new SmtpClient(std::move(options), curl));
}

SmtpClient::~SmtpClient() {
  absl::MutexLock lock(&mu_);
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

absl::Status SmtpClient::Send(absl::string_view to, absl::string_view message) {
  if (!PlainAddress(to)) return absl::InvalidArgumentError("to: a plain address, local@domain");
  absl::MutexLock lock(&mu_);
  CURL* curl = static_cast<CURL*>(curl_);
  // Options are set again for every message; the connection stays cached.
  curl_easy_reset(curl);
  char error[CURL_ERROR_SIZE] = {0};
  Upload upload{message};
  const std::string from = absl::StrCat("<", options_.from, ">");
  curl_slist* recipients = curl_slist_append(nullptr, absl::StrCat("<", to, ">").c_str());
  const long timeout_ms = static_cast<long>(absl::ToInt64Milliseconds(options_.timeout));
  curl_easy_setopt(curl, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE, static_cast<long>(message.size()));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM: other threads run here
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 10'000L));
  curl_easy_setopt(
      curl, CURLOPT_USE_SSL,
      options_.require_tls ? static_cast<long>(CURLUSESSL_ALL) : static_cast<long>(CURLUSESSL_TRY));
  if (!options_.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password.c_str());
  }
  const CURLcode result = curl_easy_perform(curl);
  curl_slist_free_all(recipients);
  if (result == CURLE_OK) return absl::OkStatus();
  long reply = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
  const std::string detail = absl::StrCat(curl_easy_strerror(result), error[0] != '\0' ? ": " : "",
                                          EscapedPrefix(error, CURL_ERROR_SIZE),
                                          reply > 0 ? absl::StrCat(" (reply ", reply, ")") : "");
  // A 5xx reply refuses this message for good; a rejected login or TLS
  // setup is the centre's configuration, which an operator can fix, so the
  // message waits for it like for a server that is down.
  if (reply >= 500 && reply < 600 && result != CURLE_LOGIN_DENIED &&
      result != CURLE_USE_SSL_FAILED) {
    return absl::FailedPreconditionError(absl::StrCat("the mail server refused: ", detail));
  }
  return absl::UnavailableError(absl::StrCat("mail server: ", detail));
}

}  // namespace complaints
