#include "libs/runner/published_offsets.h"

#include "gtest/gtest.h"

namespace complaints {
namespace {

constexpr absl::string_view kOwn = "complaints.dispatch.v1";

TEST(PublishedOffsets, EachPublishedOffsetIsTakenOnceInOrder) {
  PublishedOffsets published{std::string(kOwn)};
  for (int64_t offset : {4, 5, 9}) published.Published(kOwn, 1, offset);
  published.Published(kOwn, 2, 4);
  EXPECT_FALSE(published.Take(kOwn, 1, 3));
  EXPECT_TRUE(published.Take(kOwn, 1, 4));
  EXPECT_FALSE(published.Take(kOwn, 1, 4)) << "taken once";
  EXPECT_FALSE(published.Take(kOwn, 1, 7)) << "not published here";
  EXPECT_TRUE(published.Take(kOwn, 1, 9));
  EXPECT_FALSE(published.Take(kOwn, 1, 5)) << "passed: forgotten when a later one was read";
  EXPECT_FALSE(published.Take(kOwn, 0, 4)) << "another partition";
  EXPECT_TRUE(published.Take(kOwn, 2, 4));
}

TEST(PublishedOffsets, OtherTopicsAreNeitherKeptNorTaken) {
  PublishedOffsets published{std::string(kOwn)};
  published.Published("complaints.notifications.v1", 0, 1);
  EXPECT_FALSE(published.Take("complaints.notifications.v1", 0, 1));
  published.Published(kOwn, 0, 1);
  EXPECT_FALSE(published.Take("complaints.intake.v1", 0, 1));
  EXPECT_TRUE(published.Take(kOwn, 0, 1));
}

TEST(PublishedOffsets, AnAcknowledgementOutOfOrderIsDroppedAndItsRecordChecked) {
  PublishedOffsets published{std::string(kOwn)};
  published.Published(kOwn, 0, 8);
  published.Published(kOwn, 0, 6);  // a rewound relay's: not kept
  EXPECT_FALSE(published.Take(kOwn, 0, 6));
  EXPECT_TRUE(published.Take(kOwn, 0, 8));
}

TEST(PublishedOffsets, MemoryIsBoundedByForgettingTheOldest) {
  PublishedOffsets published{std::string(kOwn)};
  const int64_t total = PublishedOffsets::kMaxPerPartition + 10;
  for (int64_t offset = 0; offset < total; ++offset) published.Published(kOwn, 0, offset);
  EXPECT_FALSE(published.Take(kOwn, 0, 9)) << "forgotten";
  EXPECT_TRUE(published.Take(kOwn, 0, 10));
  EXPECT_TRUE(published.Take(kOwn, 0, total - 1));
}

}  // namespace
}  // namespace complaints
