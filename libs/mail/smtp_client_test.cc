// The SMTP client against a real local SMTP server (aiosmtpd).
#include "libs/mail/smtp_client.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/testing/eventually.h"
#include "libs/testing/net.h"
#include "libs/testing/smtp_server.h"
#include "libs/testing/temp_dir.h"

namespace complaints {
namespace {

using namespace complaints::testing;
using ::testing::HasSubstr;

std::string Message(const std::string& subject, const std::string& body) {
  return "From: <centre@example.org>\r\nTo: <li@example.com>\r\nSubject: " + subject +
         "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" +
         body + "\r\n";
}

std::unique_ptr<SmtpClient> ClientOf(const std::string& url) {
  auto client =
      SmtpClient::Create({.url = url, .from = "centre@example.org", .timeout = absl::Seconds(10)});
  EXPECT_TRUE(client.ok()) << client.status();
  return client.ok() ? *std::move(client) : nullptr;
}

TEST(SmtpClient, DeliversMessagesOverOneConnection) {
  TempDir dir;
  auto server = SmtpServer::Start(dir.path());
  ASSERT_NE(server, nullptr) << "aiosmtpd did not start; see " << dir.Sub("smtp.log");
  auto client = ClientOf(server->url());
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(client->Send("li@example.com", Message("one", "5oqV6K+J")).ok());
  ASSERT_TRUE(client->Send("wang@example.com", Message("two", "dHdv")).ok());
  std::vector<std::string> messages;
  ASSERT_TRUE(Eventually(
      [&] {
        messages = server->Messages();
        return messages.size() == 2;
      },
      absl::Seconds(10)))
      << messages.size() << " messages arrived";
  EXPECT_EQ(HeaderOf(messages[0], "Subject"), "one");
  EXPECT_EQ(HeaderOf(messages[0], "X-MailFrom"), "centre@example.org");
  EXPECT_EQ(HeaderOf(messages[0], "X-RcptTo"), "li@example.com");
  EXPECT_EQ(DecodedBody(messages[0]), "投诉");
  EXPECT_EQ(HeaderOf(messages[1], "X-RcptTo"), "wang@example.com");
  EXPECT_EQ(DecodedBody(messages[1]), "two");
}

TEST(SmtpClient, AServerThatIsDownMayComeBack) {
  TempDir dir;
  const int port = FreePort();
  auto client = ClientOf("smtp://127.0.0.1:" + std::to_string(port));
  ASSERT_NE(client, nullptr);
  const absl::Status down = client->Send("li@example.com", Message("one", "b25l"));
  EXPECT_EQ(down.code(), absl::StatusCode::kUnavailable) << down;
  auto server = SmtpServer::Start(dir.path(), port);
  ASSERT_NE(server, nullptr);
  EXPECT_TRUE(client->Send("li@example.com", Message("one", "b25l")).ok());
  server->Stop();
  EXPECT_EQ(client->Send("li@example.com", Message("two", "dHdv")).code(),
            absl::StatusCode::kUnavailable)
      << "the kept connection is gone with the server";
}

TEST(SmtpClient, ARefusalForGoodIsNotRetried) {
  TempDir dir;
  auto server = SmtpServer::Start(dir.path(), 0, /*max_message_bytes=*/200);
  ASSERT_NE(server, nullptr);
  auto client = ClientOf(server->url());
  ASSERT_NE(client, nullptr);
  const absl::Status refused =
      client->Send("li@example.com", Message("big", std::string(400, 'A')));
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_THAT(refused.message(), HasSubstr("552"));
  EXPECT_TRUE(server->Messages().empty());
}

TEST(SmtpClient, TlsRequiredButNotOfferedIsNotSentInClear) {
  TempDir dir;
  auto server = SmtpServer::Start(dir.path());
  ASSERT_NE(server, nullptr);
  auto client = SmtpClient::Create({.url = server->url(),
                                    .from = "centre@example.org",
                                    .require_tls = true,
                                    .timeout = absl::Seconds(10)});
  ASSERT_TRUE(client.ok());
  EXPECT_EQ((*client)->Send("li@example.com", Message("one", "b25l")).code(),
            absl::StatusCode::kUnavailable);
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_TRUE(server->Messages().empty());
}

TEST(SmtpClient, BadAddressesAndUrlsAreRefused) {
  EXPECT_THAT(SmtpClient::Create({.url = "http://x", .from = "a@b.c"}).status().message(),
              HasSubstr("url"));
  EXPECT_THAT(SmtpClient::Create({.url = "smtp://x", .from = "a"}).status().message(),
              HasSubstr("from"));
  auto client = ClientOf("smtp://127.0.0.1:1");
  ASSERT_NE(client, nullptr);
  const absl::Status injected = client->Send("li@example.com>\r\nRCPT TO:<x@y.z", "x");
  EXPECT_EQ(injected.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(injected.message(), HasSubstr("to"));
}

}  // namespace
}  // namespace complaints
