// The HTTP server under slow, idle, greedy and malformed clients, over real
// loopback sockets: a probe is answered while hundreds of connections
// trickle their headers, and every bound (docs/api.md "Limits") holds.
#include "libs/server/http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/core/clock.h"
#include "libs/server/status_http.h"
#include "libs/testing/temp_dir.h"

namespace complaints {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// A raw loopback connection: what a slow or hostile client can do.
class Connection {
 public:
  explicit Connection(int port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~Connection() { close(fd_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool connected() const { return connected_; }
  bool Send(const std::string& bytes) {
    return send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }
  // What arrives until the peer closes or `within` passes.
  std::string Receive(absl::Duration within) {
    std::string received;
    const auto until = std::chrono::steady_clock::now() +
                       std::chrono::milliseconds(absl::ToInt64Milliseconds(within));
    while (std::chrono::steady_clock::now() < until) {
      pollfd ready{fd_, POLLIN, 0};
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (poll(&ready, 1, static_cast<int>(std::max<int64_t>(left.count(), 0))) <= 0) break;
      char buffer[4096];
      const ssize_t got = recv(fd_, buffer, sizeof(buffer), 0);
      if (got <= 0) {
        closed_ = true;
        break;
      }
      received.append(buffer, static_cast<size_t>(got));
    }
    return received;
  }
  // One response: reads until its body (Content-Length) is complete.
  std::string ReceiveResponse(absl::Duration within) {
    std::string received;
    const auto until = std::chrono::steady_clock::now() +
                       std::chrono::milliseconds(absl::ToInt64Milliseconds(within));
    while (!Complete(received) && std::chrono::steady_clock::now() < until && !closed_) {
      received += Receive(absl::Milliseconds(20));
    }
    return received;
  }
  bool closed() const { return closed_; }

 private:
  static bool Complete(const std::string& response) {
    const size_t end = response.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    const size_t length = response.find("Content-Length: ");
    if (length == std::string::npos || length > end) return true;
    return response.size() >= end + 4 + std::stoul(response.substr(length + 16));
  }

  int fd_;
  bool connected_ = false;
  bool closed_ = false;
};

std::string GetRequest(const std::string& path, bool keep_alive = true) {
  return absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: 127.0.0.1\r\n",
                      keep_alive ? "" : "Connection: close\r\n", "\r\n");
}

HttpResponse Echo(const HttpRequest& request) {
  HttpResponse response;
  response.body = absl::StrCat(request.method, " ", request.path);
  for (const auto& [name, value] : request.query)
    absl::StrAppend(&response.body, " ", name, "=", value);
  return response;
}

std::unique_ptr<HttpServer> Serve(HttpServerOptions options, HttpHandler handler = Echo) {
  absl::StatusOr<std::unique_ptr<HttpServer>> server =
      HttpServer::Start(std::move(options), std::move(handler));
  EXPECT_TRUE(server.ok()) << server.status();
  return std::move(*server);
}

TEST(HttpServer, HealthzAnswersQuicklyWhileTwoHundredSlowClientsHoldConnections) {
  absl::StatusOr<std::unique_ptr<StatusHttp>> status = StatusHttp::Start(
      {.status = [] { return v1::GetStatusResponse(); }, .metrics = [] { return std::string(); }});
  ASSERT_TRUE(status.ok()) << status.status();
  const int port = (*status)->port();

  // 200 connections from the one address, each a header trickled a line at
  // a time and never finished, plus the silent ones a scanner leaves.
  std::vector<std::unique_ptr<Connection>> slow;
  for (int i = 0; i < 200; ++i) {
    slow.push_back(std::make_unique<Connection>(port));
    ASSERT_TRUE(slow.back()->connected());
    if (i % 2 == 0) slow.back()->Send("GET /healthz HTTP/1.1\r\n");
  }
  std::atomic<bool> trickling{true};
  std::thread trickler([&] {
    for (int round = 0; trickling.load() && round < 100; ++round) {
      for (size_t i = 0; i < slow.size(); i += 2) slow[i]->Send("X-Slow: 1\r\n");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });

  absl::Duration slowest;
  for (int probe = 0; probe < 20; ++probe) {
    Connection kubelet(port);
    ASSERT_TRUE(kubelet.connected());
    const absl::Time start = complaints::WallNow();
    ASSERT_TRUE(kubelet.Send(GetRequest("/healthz", false)));
    const std::string answer = kubelet.ReceiveResponse(absl::Seconds(2));
    slowest = std::max(slowest, complaints::WallNow() - start);
    EXPECT_THAT(answer, StartsWith("HTTP/1.1 200")) << "probe " << probe;
    EXPECT_THAT(answer, HasSubstr("ok\n"));
  }
  trickling.store(false);
  trickler.join();
  RecordProperty("slowest_probe_ms", static_cast<int>(absl::ToInt64Milliseconds(slowest)));
  EXPECT_LT(slowest, absl::Milliseconds(100)) << "the slowest probe took " << slowest;
}

TEST(HttpServer, AHeaderNotCompleteInTimeClosesItsConnectionHoweverItTrickles) {
  std::unique_ptr<HttpServer> server = Serve({.header_timeout = absl::Milliseconds(300)});
  Connection trickle(server->port());
  trickle.Send("GET / HTTP/1.1\r\n");
  const absl::Time start = complaints::WallNow();
  for (int i = 0; i < 30 && !trickle.closed(); ++i) {
    trickle.Send("X-A: b\r\n");
    trickle.Receive(absl::Milliseconds(50));
  }
  EXPECT_TRUE(trickle.closed()) << "still open after " << complaints::WallNow() - start;
  EXPECT_LT(complaints::WallNow() - start, absl::Seconds(1));
}

TEST(HttpServer, AtTheLimitTheOldestWaitingConnectionMakesRoomForARequest) {
  std::unique_ptr<HttpServer> server = Serve({.max_connections = 10});
  std::vector<std::unique_ptr<Connection>> idle;
  for (int i = 0; i < 10; ++i) {
    idle.push_back(std::make_unique<Connection>(server->port()));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // an order of age
  }
  for (int i = 0; i < 100 && server->open_connections() < 10; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(server->open_connections(), 10);
  Connection probe(server->port());
  probe.Send(GetRequest("/healthz", false));
  EXPECT_THAT(probe.ReceiveResponse(absl::Seconds(2)), StartsWith("HTTP/1.1 200"));
  idle.front()->Receive(absl::Milliseconds(500));
  EXPECT_TRUE(idle.front()->closed()) << "the oldest idle connection";
  idle.back()->Receive(absl::Milliseconds(50));
  EXPECT_FALSE(idle.back()->closed()) << "the newest one keeps its place";
  EXPECT_LE(server->open_connections(), 10);
}

TEST(HttpServer, AKeptAliveConnectionServesABoundedNumberOfRequests) {
  std::unique_ptr<HttpServer> server = Serve({.max_requests_per_connection = 3});
  Connection client(server->port());
  for (int i = 1; i <= 3; ++i) {
    client.Send(GetRequest(absl::StrCat("/r", i)));
    const std::string answer = client.ReceiveResponse(absl::Seconds(2));
    EXPECT_THAT(answer, HasSubstr(absl::StrCat("GET /r", i)));
    if (i == 3) {
      EXPECT_THAT(answer, HasSubstr("Connection: close"));
    }
  }
  client.Receive(absl::Milliseconds(500));
  EXPECT_TRUE(client.closed());
}

TEST(HttpServer, AnIdleKeptAliveConnectionIsClosed) {
  std::unique_ptr<HttpServer> server = Serve({.idle_timeout = absl::Milliseconds(200)});
  Connection client(server->port());
  client.Send(GetRequest("/once"));
  EXPECT_THAT(client.ReceiveResponse(absl::Seconds(2)), HasSubstr("GET /once"));
  client.Receive(absl::Seconds(2));
  EXPECT_TRUE(client.closed());
}

TEST(HttpServer, OversizedOrMalformedRequestsAreRefusedWithTheirReason) {
  std::unique_ptr<HttpServer> server = Serve({.max_header_bytes = 1024, .max_body_bytes = 100});
  Connection big_header(server->port());
  big_header.Send(absl::StrCat("GET / HTTP/1.1\r\nX-Big: ", std::string(2000, 'a'), "\r\n\r\n"));
  EXPECT_THAT(big_header.ReceiveResponse(absl::Seconds(2)), StartsWith("HTTP/1.1 431"));

  Connection big_body(server->port());
  big_body.Send("POST / HTTP/1.1\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'b'));
  EXPECT_THAT(big_body.ReceiveResponse(absl::Seconds(2)), StartsWith("HTTP/1.1 413"));

  Connection garbage(server->port());
  garbage.Send("\x16\x03\x01 a TLS hello to a plain port\r\n\r\n");
  EXPECT_THAT(garbage.ReceiveResponse(absl::Seconds(2)), StartsWith("HTTP/1.1 400"));
}

TEST(HttpServer, PathsAndQueriesArriveDecoded) {
  std::unique_ptr<HttpServer> server = Serve({});
  Connection client(server->port());
  client.Send(GetRequest("/a%20b?x=1%2C2&y=c+d&flag"));
  EXPECT_THAT(client.ReceiveResponse(absl::Seconds(2)), HasSubstr("GET /a b x=1,2 y=c d flag="));
}

TEST(HttpServer, HeadIsGetWithoutTheBody) {
  std::unique_ptr<HttpServer> server = Serve({});
  Connection client(server->port());
  client.Send("HEAD /page HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string head = client.Receive(absl::Milliseconds(300));
  EXPECT_THAT(head, StartsWith("HTTP/1.1 200"));
  EXPECT_THAT(head, HasSubstr("Content-Length: 9\r\n")) << "the length GET /page would have";
  EXPECT_THAT(head, ::testing::EndsWith("\r\n\r\n")) << "and no body";
  client.Send(GetRequest("/page"));
  EXPECT_THAT(client.ReceiveResponse(absl::Seconds(2)), HasSubstr("\r\n\r\nGET /page"))
      << "the connection goes on";
}

TEST(HttpServer, WhenEveryWorkerIsBusyAndTheQueueFullItAnswersBusy) {
  absl::Notification release;
  std::atomic<int> started{0};
  std::unique_ptr<HttpServer> server =
      Serve({.worker_threads = 1, .max_queued = 1}, [&](const HttpRequest& request) {
        ++started;
        release.WaitForNotification();
        return Echo(request);
      });
  Connection running(server->port());
  running.Send(GetRequest("/1"));
  for (int i = 0; i < 200 && started.load() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  Connection queued(server->port());
  queued.Send(GetRequest("/2"));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  Connection refused(server->port());
  refused.Send(GetRequest("/3"));
  EXPECT_THAT(refused.ReceiveResponse(absl::Seconds(2)), StartsWith("HTTP/1.1 503"));
  release.Notify();
  EXPECT_THAT(running.ReceiveResponse(absl::Seconds(2)), HasSubstr("GET /1"));
  EXPECT_THAT(queued.ReceiveResponse(absl::Seconds(2)), HasSubstr("GET /2"));
}

TEST(HttpServer, StaticFilesStayInsideTheirFolder) {
  testing::TempDir dir;
  std::ofstream(dir.Sub("index.html")) << "<title>board</title>";
  std::ofstream(dir.Sub("app.js")) << "'use strict';";
  EXPECT_EQ(StaticFile(dir.path(), "/").body, "<title>board</title>");
  const HttpResponse script = StaticFile(dir.path(), "/app.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_THAT(script.content_type, HasSubstr("javascript"));
  for (const char* escape :
       {"/../index.html", "//etc/passwd", "/.hidden", "/a\\..\\b", "/app.js\n", "/missing.js"}) {
    EXPECT_EQ(StaticFile(dir.path(), escape).status, 404) << escape;
  }
  EXPECT_EQ(StaticFile("/", "/etc/passwd").status, 200) << "the folder itself may be anywhere";
}

TEST(HttpServer, ErrorsAreJsonWithTheMatchingStatus) {
  const HttpResponse denied = JsonError(absl::PermissionDeniedError("no"));
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.content_type, "application/json");
  EXPECT_THAT(denied.body, HasSubstr(R"("code":"PERMISSION_DENIED")"));
  EXPECT_EQ(JsonError(absl::InvalidArgumentError("x")).status, 400);
  EXPECT_EQ(JsonError(absl::InternalError("x")).status, 500);
}

TEST(HttpServer, AnAddressInUseIsUnavailable) {
  std::unique_ptr<HttpServer> first = Serve({});
  absl::StatusOr<std::unique_ptr<HttpServer>> second =
      HttpServer::Start({.what = "status", .port = first->port()}, Echo);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(second.status().message(), HasSubstr("status: cannot listen"));
}

}  // namespace
}  // namespace complaints
