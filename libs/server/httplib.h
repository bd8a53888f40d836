#pragma once
// The tests' HTTP client (the servers are libs/server/http_server.h).
// Debian's libcpp-httplib is built with these options; every user of the
// header must see the same ones, or its classes differ from the library's.
#define CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_ZLIB_SUPPORT
#define CPPHTTPLIB_BROTLI_SUPPORT
#include <httplib.h>
