#include "libs/server/http_server.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <optional>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "libs/server/worker_pool.h"

namespace complaints {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::chrono::milliseconds Millis(absl::Duration duration) {
  return std::chrono::milliseconds(absl::ToInt64Milliseconds(duration));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX decoded; in a query, '+' is a space too.
std::string Decode(absl::string_view text, bool query) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2])));
      i += 2;
    } else if (query && text[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

HttpResponse Plain(int status, absl::string_view body) {
  HttpResponse response;
  response.status = status;
  response.body = std::string(body);
  return response;
}

}  // namespace

std::string HttpRequest::Header(absl::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (absl::EqualsIgnoreCase(key, name)) return value;
  }
  return "";
}

class Session;

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, HttpHandler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        acceptor_(io_),
        pool_(options_.worker_threads, options_.max_queued) {}

  ~Impl() { Stop(); }

  absl::Status Bind() {
    beast::error_code error;
    const asio::ip::address address = asio::ip::make_address(options_.host, error);
    if (!error) {
      const tcp::endpoint endpoint(address, static_cast<uint16_t>(options_.port));
      acceptor_.open(endpoint.protocol(), error);
      if (!error) acceptor_.set_option(asio::socket_base::reuse_address(true), error);
      if (!error) acceptor_.bind(endpoint, error);
      if (!error) acceptor_.listen(asio::socket_base::max_listen_connections, error);
    }
    if (error) {
      return absl::UnavailableError(absl::StrCat(options_.what, ": cannot listen on ",
                                                 options_.host, ":", options_.port, ": ",
                                                 error.message()));
    }
    port_ = acceptor_.local_endpoint().port();
    Accept();
    thread_ = std::thread([this] { io_.run(); });
    return absl::OkStatus();
  }

  // Closes the listener and every connection on the event thread, then
  // stops it; a handler still running finishes when the pool is destroyed.
  void Stop() {
    if (!thread_.joinable()) return;
    std::promise<void> closed;
    asio::post(io_, [this, &closed] {
      beast::error_code ignored;
      acceptor_.close(ignored);
      CloseAll();
      closed.set_value();
    });
    closed.get_future().wait();
    io_.stop();
    thread_.join();
  }

  int port() const { return port_; }
  int open() const { return open_.load(); }

  const HttpServerOptions& options() const { return options_; }
  const HttpHandler& handler() const { return handler_; }
  WorkerPool& pool() { return pool_; }

  void Forget(uint64_t id) {
    absl::MutexLock lock(&mu_);
    sessions_.erase(id);
    --open_;
  }

 private:
  void Accept();
  std::vector<std::shared_ptr<Session>> Sessions();
  void CloseAll();
  // At the limit: closes the connection that has waited longest for a
  // header; false when every open connection is busy with a request.
  bool MakeRoom();

  const HttpServerOptions options_;
  const HttpHandler handler_;
  mutable absl::Mutex mu_;
  std::map<uint64_t, std::weak_ptr<Session>> sessions_ ABSL_GUARDED_BY(mu_);
  uint64_t next_id_ = 0;  // the event thread's
  std::atomic<int> open_{0};
  asio::io_context io_;
  tcp::acceptor acceptor_;
  WorkerPool pool_;
  std::thread thread_;
  int port_ = 0;
};

// One connection. Its reads, writes and state live on the event thread;
// a handler runs on the pool and posts its answer back.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(HttpServer::Impl* server, tcp::socket socket, uint64_t id)
      : server_(server), stream_(std::move(socket)), id_(id) {}
  ~Session() { server_->Forget(id_); }

  void Start() { ReadHeader(server_->options().header_timeout); }

  // Waiting for a request's header, and since when (the event thread's).
  bool waiting() const { return waiting_; }
  std::chrono::steady_clock::time_point since() const { return since_; }

  void Close() {
    waiting_ = false;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

 private:
  void ReadHeader(absl::Duration timeout) {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_->options().max_header_bytes));
    parser_->body_limit(server_->options().max_body_bytes);
    waiting_ = true;
    since_ = std::chrono::steady_clock::now();
    stream_.expires_after(Millis(timeout));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code error, size_t) { self->OnHeader(error); });
  }

  void OnHeader(beast::error_code error) {
    waiting_ = false;
    if (error) return Fail(error);
    if (parser_->is_done()) return Handle();
    stream_.expires_after(Millis(server_->options().body_timeout));
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code failed, size_t) {
                       if (failed) return self->Fail(failed);
                       self->Handle();
                     });
  }

  void Handle() {
    const http::request<http::string_body>& message = parser_->get();
    HttpRequest request;
    request.method = std::string(message.method_string());
    // HEAD is GET without the body (RFC 9110 9.3.2): handlers see GET.
    head_ = request.method == "HEAD";
    if (head_) request.method = "GET";
    const absl::string_view target(message.target().data(), message.target().size());
    const size_t question = target.find('?');
    request.path = Decode(target.substr(0, question), /*query=*/false);
    if (question != absl::string_view::npos) {
      for (absl::string_view pair :
           absl::StrSplit(target.substr(question + 1), '&', absl::SkipEmpty())) {
        const size_t equals = pair.find('=');
        request.query.emplace_back(
            Decode(pair.substr(0, equals), true),
            equals == absl::string_view::npos ? "" : Decode(pair.substr(equals + 1), true));
      }
    }
    for (const auto& field : message) {
      request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = message.body();
    keep_alive_ =
        message.keep_alive() && ++served_ < server_->options().max_requests_per_connection;
    stream_.expires_never();
    auto self = shared_from_this();
    const bool queued = server_->pool().Submit([self, request = std::move(request)] {
      HttpResponse response = self->server_->handler()(request);
      asio::post(self->stream_.get_executor(),
                 [self, response = std::move(response)]() mutable { self->Write(response); });
    });
    if (!queued) Write(Plain(503, "busy: too many requests waiting; retry in a second\n"));
  }

  void Write(const HttpResponse& answer) {
    auto response = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(answer.status), 11);
    response->set(http::field::server, "complaints");
    response->set(http::field::content_type, answer.content_type);
    for (const auto& [name, value] : answer.headers) response->set(name, value);
    response->keep_alive(keep_alive_);
    if (head_) {
      response->content_length(answer.body.size());
    } else {
      response->body() = answer.body;
      response->prepare_payload();
    }
    stream_.expires_after(Millis(server_->options().write_timeout));
    http::async_write(stream_, *response,
                      [self = shared_from_this(), response](beast::error_code error, size_t) {
                        if (error || !self->keep_alive_) return self->Close();
                        self->ReadHeader(self->server_->options().idle_timeout);
                      });
  }

  // A request that cannot be read: answered when it can be, then closed.
  void Fail(beast::error_code error) {
    if (error == http::error::header_limit) {
      keep_alive_ = false;
      return Write(Plain(431, "the request's header is too large\n"));
    }
    if (error == http::error::body_limit) {
      keep_alive_ = false;
      return Write(Plain(413, "the request's body is too large\n"));
    }
    if (error.category() == beast::error_code(http::error::end_of_stream).category() &&
        error != http::error::end_of_stream && error != http::error::partial_message) {
      keep_alive_ = false;
      return Write(Plain(400, "not an HTTP/1.1 request\n"));
    }
    Close();  // timed out, closed by the peer, or shut down
  }

  HttpServer::Impl* server_;
  beast::tcp_stream stream_;
  const uint64_t id_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool waiting_ = false;
  std::chrono::steady_clock::time_point since_;
  bool keep_alive_ = false;
  bool head_ = false;  // the request being answered is a HEAD
  int served_ = 0;
};

void HttpServer::Impl::Accept() {
  acceptor_.async_accept([this](beast::error_code error, tcp::socket socket) {
    if (error) {
      if (error != asio::error::operation_aborted) Accept();
      return;
    }
    if (open_.load() >= options_.max_connections && !MakeRoom()) {
      beast::error_code ignored;
      socket.close(ignored);
      Accept();
      return;
    }
    const uint64_t id = next_id_++;
    auto session = std::make_shared<Session>(this, std::move(socket), id);
    {
      absl::MutexLock lock(&mu_);
      sessions_[id] = session;
      ++open_;
    }
    session->Start();
    Accept();
  });
}

std::vector<std::shared_ptr<Session>> HttpServer::Impl::Sessions() {
  std::vector<std::shared_ptr<Session>> open;
  absl::MutexLock lock(&mu_);
  for (const auto& [id, weak] : sessions_) {
    if (std::shared_ptr<Session> session = weak.lock()) open.push_back(std::move(session));
  }
  return open;  // released outside the lock: a Session's destructor takes it
}

bool HttpServer::Impl::MakeRoom() {
  const std::vector<std::shared_ptr<Session>> open = Sessions();
  Session* oldest = nullptr;
  for (const std::shared_ptr<Session>& session : open) {
    if (!session->waiting()) continue;
    if (oldest == nullptr || session->since() < oldest->since()) oldest = session.get();
  }
  if (oldest == nullptr) return false;
  oldest->Close();
  return true;
}

void HttpServer::Impl::CloseAll() {
  for (const std::shared_ptr<Session>& session : Sessions()) session->Close();
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpServer::~HttpServer() = default;

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(HttpServerOptions options,
                                                              HttpHandler handler) {
  auto impl = std::make_unique<Impl>(std::move(options), std::move(handler));
  if (absl::Status bound = impl->Bind(); !bound.ok()) return bound;
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

int HttpServer::port() const { return impl_->port(); }
int HttpServer::open_connections() const { return impl_->open(); }

HttpResponse StaticFile(const std::string& root, absl::string_view relative) {
  const std::string path(relative.empty() || relative.back() == '/'
                             ? absl::StrCat(relative, "index.html")
                             : std::string(relative));
  // Rebuilt from its parts, so no part can climb out of or replace `root`.
  std::filesystem::path file(root);
  for (absl::string_view part : absl::StrSplit(path, '/', absl::SkipEmpty())) {
    for (char c : part) {
      if (static_cast<unsigned char>(c) < 0x20 || c == '\\' || c == ':') {
        return Plain(404, "not found\n");
      }
    }
    if (part.front() == '.') return Plain(404, "not found\n");
    file /= std::string(part);
  }
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) return Plain(404, "not found\n");
  std::ifstream in(file, std::ios::binary);
  HttpResponse response;
  response.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  static const auto* types =
      new std::map<std::string, std::string>{{".html", "text/html; charset=utf-8"},
                                             {".js", "text/javascript; charset=utf-8"},
                                             {".mjs", "text/javascript; charset=utf-8"},
                                             {".css", "text/css; charset=utf-8"},
                                             {".json", "application/json"},
                                             {".svg", "image/svg+xml"},
                                             {".png", "image/png"},
                                             {".ico", "image/x-icon"},
                                             {".map", "application/json"},
                                             {".txt", "text/plain; charset=utf-8"}};
  const auto type = types->find(absl::AsciiStrToLower(file.extension().string()));
  response.content_type = type == types->end() ? "application/octet-stream" : type->second;
  return response;
}

HttpResponse JsonError(const absl::Status& status) {
  google::protobuf::Struct error;
  (*error.mutable_fields())["code"].set_string_value(absl::StatusCodeToString(status.code()));
  (*error.mutable_fields())["message"].set_string_value(std::string(status.message()));
  HttpResponse response;
  (void)google::protobuf::util::MessageToJsonString(error, &response.body);
  response.content_type = "application/json";
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      response.status = 400;
      break;
    case absl::StatusCode::kUnauthenticated:
      response.status = 401;
      break;
    case absl::StatusCode::kPermissionDenied:
      response.status = 403;
      break;
    case absl::StatusCode::kNotFound:
      response.status = 404;
      break;
    case absl::StatusCode::kFailedPrecondition:
      response.status = 409;
      break;
    case absl::StatusCode::kResourceExhausted:
      response.status = 429;
      break;
    case absl::StatusCode::kUnavailable:
      response.status = 503;
      break;
    default:
      response.status = 500;
  }
  return response;
}

}  // namespace complaints
