#pragma once
// Debian's libcpp-httplib is built with these options; every user of the
// header must see the same ones, or its classes differ from the library's.
#define CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_ZLIB_SUPPORT
#define CPPHTTPLIB_BROTLI_SUPPORT
#include <httplib.h>

#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace complaints {

// Binds `server` to host:port (port 0: any free one) and serves it on
// `thread` until server.stop(): the port bound, or UNAVAILABLE naming `what`.
absl::StatusOr<int> ServeInBackground(httplib::Server& server, const std::string& what,
                                      const std::string& host, int port, std::thread* thread);

}  // namespace complaints
