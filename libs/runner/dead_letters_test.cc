// Dead letters listed by bounded pages (docs/architecture.md invariant 6): a page never
// carries whole payloads, so a few huge poison records cannot make the list
// unreadable; GetDeadLetter gives a letter whole.
#include "libs/runner/dead_letters.h"

#include "gtest/gtest.h"
#include "libs/testing/temp_dir.h"

namespace complaints {
namespace {

class DeadLettersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = *Store::Open(dir_.Sub("db"));
    letters_ = *DeadLetters::Open(store_.get());
  }
  void Add(int offset, size_t payload_bytes, size_t key_bytes = 3) {
    ConsumedRecord record{"complaints.intake.v1", 0, offset, std::string(key_bytes, 'k'),
                          std::string(payload_bytes, 'p')};
    Batch batch;
    letters_->Stage(
        batch, MakeDeadLetter(DeadLetterId(record), ToRaw(record), v1::DEAD_LETTER_KIND_UNDECODABLE,
                              "not an Envelope", absl::FromUnixSeconds(1'800'000'000)));
    ASSERT_TRUE(store_->Write(batch, Durability::kSynced).ok());
    letters_->Added(v1::DEAD_LETTER_KIND_UNDECODABLE);
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<DeadLetters> letters_;
};

TEST_F(DeadLettersTest, APageShowsPreviewsOfLargeRecordsAndShowGivesThemWhole) {
  Add(1, 900'000, 5'000);
  Add(2, 12);
  const v1::ListDeadLettersResponse page = *letters_->List(0, "");
  ASSERT_EQ(page.dead_letters_size(), 2);
  const v1::DeadLetter& large = page.dead_letters(0);
  EXPECT_TRUE(large.preview());
  EXPECT_EQ(large.payload_bytes(), 900'000);
  EXPECT_EQ(large.record().payload().size(), 256u);
  EXPECT_EQ(large.record().key().size(), 256u);
  const v1::DeadLetter& small = page.dead_letters(1);
  EXPECT_FALSE(small.preview());
  EXPECT_EQ(small.record().payload(), std::string(12, 'p'));
  EXPECT_EQ(small.payload_bytes(), 12);
  const v1::DeadLetter whole = *letters_->Get(large.id());
  EXPECT_EQ(whole.record().payload().size(), 900'000u);
  EXPECT_FALSE(whole.preview());
}

TEST_F(DeadLettersTest, PagesStayUnderTheirByteBoundWhateverThePageSize) {
  // 500 letters of 3 KB: whole, a page of 500 would be 1.5 MB.
  for (int i = 0; i < 500; ++i) Add(i, 3'000, 256);
  size_t seen = 0;
  std::string token;
  int pages = 0;
  do {
    const v1::ListDeadLettersResponse page = *letters_->List(500, token);
    EXPECT_LT(page.ByteSizeLong(), size_t{1} << 20);
    seen += static_cast<size_t>(page.dead_letters_size());
    token = page.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(seen, 500u);
  EXPECT_EQ(pages, 1);  // 500 previews fit in one page
}

TEST_F(DeadLettersTest, APageSizeOutsideTheLimitNamesTheLimit) {
  const absl::Status refused = letters_->List(501, "").status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.message(), "page_size: must be between 0 and 500");
}

}  // namespace
}  // namespace complaints
