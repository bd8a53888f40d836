// §2.2 information collected.
#include "services/intake/domain/validation.h"

#include <functional>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/core/time_util.h"

namespace complaints::intake {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'795'000'000);

v1::SubmitComplaintRequest Valid() {
  v1::SubmitComplaintRequest request;
  request.set_idempotency_key("callcentre-20261126-0001");
  request.set_channel(v1::CHANNEL_PHONE);
  request.mutable_complainant()->set_name("王芳");
  request.mutable_complainant()->set_phone("+86 138 0013 8000");
  request.set_content("厨房漏水");
  request.mutable_location()->set_community("阳光花园");
  request.mutable_location()->set_building("3");
  request.mutable_location()->set_unit("1202");
  *request.mutable_occurred_at() = ToProto(kNow - absl::Hours(2));
  return request;
}

struct Case {
  const char* name;
  std::function<void(v1::SubmitComplaintRequest&)> spoil;
  const char* field;
};

TEST(Validation, AcceptsACompleteSubmission) { EXPECT_TRUE(CleanSubmission(Valid(), kNow).ok()); }

TEST(Validation, ThePhoneNumberIsRecordedInE164) {
  v1::SubmitComplaintRequest request = Valid();
  request.mutable_complainant()->set_phone("021 6234 5678");
  EXPECT_EQ(CleanSubmission(request, kNow)->complainant().phone(), "+862162345678");
  EXPECT_EQ(CleanSubmission(Valid(), kNow)->complainant().phone(), "+8613800138000");
}

TEST(Validation, AcceptsPublicAreaInsteadOfUnitAndEmailInsteadOfPhone) {
  v1::SubmitComplaintRequest request = Valid();
  request.clear_location();
  request.mutable_location()->set_public_area("north gate car park");
  request.mutable_complainant()->clear_phone();
  request.mutable_complainant()->set_email("wang.fang@example.cn");
  EXPECT_TRUE(CleanSubmission(request, kNow).ok());
}

TEST(Validation, EachMissingOrBadFieldIsNamed) {
  const Case cases[] = {
      {"no key", [](auto& r) { r.clear_idempotency_key(); }, "idempotency_key: required"},
      {"long key", [](auto& r) { r.set_idempotency_key(std::string(129, 'k')); },
       "idempotency_key"},
      {"no channel", [](auto& r) { r.clear_channel(); }, "channel: required"},
      {"unknown channel", [](auto& r) { r.set_channel(static_cast<v1::Channel>(99)); }, "channel"},
      {"no name", [](auto& r) { r.mutable_complainant()->set_name("  "); },
       "complainant.name: required"},
      {"no contact", [](auto& r) { r.mutable_complainant()->clear_phone(); }, "complainant.phone"},
      {"bad phone", [](auto& r) { r.mutable_complainant()->set_phone("call me"); },
       "complainant.phone: not a valid phone number"},
      {"bad email", [](auto& r) { r.mutable_complainant()->set_email("wang@"); },
       "complainant.email"},
      {"id card with a wrong check digit",
       [](auto& r) {
         r.mutable_complainant()->set_identity_type(v1::IDENTITY_TYPE_RESIDENT_ID_CARD);
         r.mutable_complainant()->set_identity_number("110105194912310021");
       },
       "complainant.identity_number: not a valid 18-character"},
      {"id number without type",
       [](auto& r) { r.mutable_complainant()->set_identity_number("E12345678"); },
       "complainant.identity_type"},
      {"mainland number too short", [](auto& r) { r.mutable_complainant()->set_phone("12345"); },
       "complainant.phone: not a valid phone number"},
      {"id type without number",
       [](auto& r) { r.mutable_complainant()->set_identity_type(v1::IDENTITY_TYPE_PASSPORT); },
       "complainant.identity_number"},
      {"no content", [](auto& r) { r.clear_content(); }, "content: required"},
      {"long content", [](auto& r) { r.set_content(std::string(501, 'x')); },
       "content: longer than 500"},
      {"bad utf8", [](auto& r) { r.set_description("\xff"); }, "description: not valid UTF-8"},
      {"no location", [](auto& r) { r.clear_location(); }, "location.community"},
      {"future", [](auto& r) { *r.mutable_occurred_at() = ToProto(kNow + absl::Hours(1)); },
       "occurred_at: is in the future"},
      {"bad hash",
       [](auto& r) {
         auto* a = r.add_attachments();
         a->set_name("photo.jpg");
         a->set_sha256("abc");
         a->set_size_bytes(10);
         a->set_media_type("image/jpeg");
       },
       "attachments[0].sha256"},
      {"bad media type",
       [](auto& r) {
         auto* a = r.add_attachments();
         a->set_name("x.exe");
         a->set_sha256(std::string(64, 'a'));
         a->set_size_bytes(10);
         a->set_media_type("application/x-msdownload");
       },
       "attachments[0].media_type"},
      {"too big",
       [](auto& r) {
         auto* a = r.add_attachments();
         a->set_name("video.mp4");
         a->set_sha256(std::string(64, 'a'));
         a->set_size_bytes(51ll << 20);
         a->set_media_type("video/mp4");
       },
       "attachments[0].size_bytes"},
      {"1.2 MB e-mail",
       [](auto& r) { r.mutable_complainant()->set_email(std::string(1'200'000, 'a') + "@x.cn"); },
       "complainant.email: longer than 254 bytes"},
      {"long public area",
       [](auto& r) { r.mutable_location()->set_public_area(std::string(201, 'p')); },
       "location.public_area: longer than 200"},
      {"long unit", [](auto& r) { r.mutable_location()->set_unit(std::string(4000, 'u')); },
       "location.unit: longer than 100"},
      {"long attachment name",
       [](auto& r) {
         auto* a = r.add_attachments();
         a->set_name(std::string(256, 'n'));
         a->set_sha256(std::string(64, 'a'));
         a->set_size_bytes(10);
         a->set_media_type("image/jpeg");
       },
       "attachments[0].name: longer than 255"},
      {"NUL in content", [](auto& r) { r.set_content(std::string("漏\0水", 7)); },
       "content: control character U+0000"},
      {"ANSI escape in name", [](auto& r) { r.mutable_complainant()->set_name("王\x1b[2J芳"); },
       "complainant.name: control character U+001B"},
      {"line break in name", [](auto& r) { r.mutable_complainant()->set_name("王\n芳"); },
       "complainant.name: control character U+000A"},
      {"control in key", [](auto& r) { r.set_idempotency_key("k\x01"); },
       "idempotency_key: control character"},
      {"zero-width in key", [](auto& r) { r.set_idempotency_key("k\u200b1"); },
       "idempotency_key: must be in NFKC"},
      {"year 1", [](auto& r) { r.mutable_occurred_at()->set_seconds(-62135596800); },
       "occurred_at: before 2000-01-01"},
      {"negative time", [](auto& r) { r.mutable_occurred_at()->set_seconds(-1); },
       "occurred_at: before"},
      {"negative nanos", [](auto& r) { r.mutable_occurred_at()->set_nanos(-1); },
       "occurred_at.nanos"},
      {"nanos overflow", [](auto& r) { r.mutable_occurred_at()->set_nanos(1'000'000'000); },
       "occurred_at.nanos"},
      {"unknown scope", [](auto& r) { r.set_impact_scope(static_cast<v1::ImpactScope>(99)); },
       "impact_scope: unknown"},
      {"unknown identity type",
       [](auto& r) {
         r.mutable_complainant()->set_identity_type(static_cast<v1::IdentityType>(42));
       },
       "complainant.identity_type: unknown"},
  };
  for (const Case& c : cases) {
    v1::SubmitComplaintRequest request = Valid();
    c.spoil(request);
    absl::Status status = CleanSubmission(request, kNow).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_THAT(std::string(status.message()), ::testing::HasSubstr(c.field)) << c.name;
  }
}

TEST(Validation, AcceptsAResidentIdCardWithALowerCaseX) {
  v1::SubmitComplaintRequest request = Valid();
  request.mutable_complainant()->set_identity_type(v1::IDENTITY_TYPE_RESIDENT_ID_CARD);
  request.mutable_complainant()->set_identity_number("11010519491231002x");
  EXPECT_TRUE(CleanSubmission(request, kNow).ok());
}

TEST(Validation, OccurredAtIsOptional) {
  v1::SubmitComplaintRequest request = Valid();
  request.clear_occurred_at();
  EXPECT_TRUE(CleanSubmission(request, kNow).ok());
}

TEST(Validation, SmallClockSkewIsTolerated) {
  v1::SubmitComplaintRequest request = Valid();
  *request.mutable_occurred_at() = ToProto(kNow + absl::Minutes(4));
  EXPECT_TRUE(CleanSubmission(request, kNow).ok());
}

TEST(Validation, TextIsRecordedCleaned) {
  v1::SubmitComplaintRequest request = Valid();
  request.set_content("３号楼电\u200b梯困人\u202e");
  request.set_description("第一行\r\n第二行");
  request.mutable_complainant()->set_name("\ufeff王芳");
  absl::StatusOr<v1::SubmitComplaintRequest> cleaned = CleanSubmission(request, kNow);
  ASSERT_TRUE(cleaned.ok()) << cleaned.status();
  EXPECT_EQ(cleaned->content(), "3号楼电梯困人");
  EXPECT_EQ(cleaned->description(), "第一行\n第二行");
  EXPECT_EQ(cleaned->complainant().name(), "王芳");
}

TEST(Validation, ErrorsQuoteOnlyAShortEscapedPrefix) {
  absl::StatusOr<std::string> reason =
      CleanFreeText("reason", std::string(5000, 'r'), kMaxReasonChars, /*required=*/true);
  ASSERT_FALSE(reason.ok());
  EXPECT_LT(reason.status().message().size(), 80u);
}

}  // namespace
}  // namespace complaints::intake
