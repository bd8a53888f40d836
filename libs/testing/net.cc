#include "libs/testing/net.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <set>

#include "absl/synchronization/mutex.h"

namespace complaints::testing {
namespace {

int KernelPick() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    std::abort();
  }
  close(fd);
  return ntohs(address.sin_port);
}

}  // namespace

int FreePort() {
  static absl::Mutex mutex(absl::kConstInit);
  static auto* const given = new std::set<int>();
  absl::MutexLock lock(&mutex);
  for (;;) {
    const int port = KernelPick();
    if (given->insert(port).second) return port;
  }
}

}  // namespace complaints::testing
