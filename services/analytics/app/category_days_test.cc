// The incident baselines' daily counts on real RocksDB: summed across
// months, stored canonically, and filled once from the hot-issue rows of a
// store an earlier release wrote.
#include "services/analytics/app/category_days.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "libs/runner/partitioning.h"
#include "libs/testing/temp_dir.h"
#include "services/analytics/app/analytics_families.h"
#include "services/analytics/domain/hot_issues.h"

namespace complaints::analytics {
namespace {

const absl::CivilDay kDay(2026, 3, 10);

class CategoryDaysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = *Store::Open(dir_.Sub("db"), Store::kDefaultPartitions, kFamilies);
  }

  // A unit of work: `change` on a fresh CategoryDays, then its months written.
  void Unit(const std::function<void(CategoryDays&)>& change) {
    CategoryDays days(store_.get());
    change(days);
    Batch batch;
    days.Stage(batch);
    ASSERT_TRUE(store_->Write(batch, Durability::kSynced).ok());
  }

  int64_t Sum(absl::string_view place, absl::CivilDay from, absl::CivilDay to) {
    CategoryDays days(store_.get());
    absl::StatusOr<int64_t> sum = days.Sum(place, "water-leak", from, to);
    EXPECT_TRUE(sum.ok()) << sum.status();
    return sum.value_or(-1);
  }

  std::optional<std::string> Stored(absl::string_view place, absl::CivilMonth month) {
    return *store_->Get(kIncidentsFamily, CategoryMonthKey(place, month, "water-leak"));
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(CategoryDaysTest, SumsTheDaysOfARangeAcrossMonthsAndReadsItsOwnChanges) {
  Unit([](CategoryDays& days) {
    ASSERT_TRUE(days.Add("Sunny Garden", "water-leak", absl::CivilDay(2026, 2, 10), 1).ok());
    ASSERT_TRUE(days.Add("Sunny Garden", "water-leak", absl::CivilDay(2026, 2, 28), 2).ok());
    ASSERT_TRUE(days.Add("Sunny Garden", "water-leak", absl::CivilDay(2026, 3, 1), 4).ok());
    ASSERT_TRUE(days.Add("Sunny Garden", "water-leak", kDay, 8).ok());
    ASSERT_TRUE(days.Add("Sunny Garden", "noise", absl::CivilDay(2026, 3, 1), 16).ok());
    ASSERT_TRUE(days.Add("Riverside", "water-leak", absl::CivilDay(2026, 3, 1), 32).ok());
    // Within the unit, before anything is stored.
    EXPECT_EQ(*days.Sum("Sunny Garden", "water-leak", kDay - 28, kDay), 1 + 2 + 4);
  });
  // The 4 weeks before kDay: Feb 10 to Mar 9, so not kDay itself.
  EXPECT_EQ(Sum("Sunny Garden", kDay - 28, kDay), 1 + 2 + 4);
  EXPECT_EQ(Sum("Sunny Garden", kDay - 27, kDay + 1), 2 + 4 + 8);
  EXPECT_EQ(Sum("Riverside", kDay - 28, kDay), 32);
  EXPECT_EQ(Sum("Nowhere", kDay - 28, kDay), 0);
  EXPECT_EQ(Sum("Sunny Garden", kDay, kDay), 0) << "an empty range";
}

TEST_F(CategoryDaysTest, AMonthWhoseCountsAllFallToZeroIsDeleted) {
  Unit([](CategoryDays& days) {
    ASSERT_TRUE(days.Add("Sunny Garden", "water-leak", kDay, 1).ok());
  });
  ASSERT_TRUE(Stored("Sunny Garden", absl::CivilMonth(kDay)).has_value());
  EXPECT_EQ(Stored("Sunny Garden", absl::CivilMonth(kDay))->size(), 31u * 4);
  // Reclassified: the same complaint leaves the category.
  Unit([](CategoryDays& days) {
    ASSERT_TRUE(days.Add("Sunny Garden", "water-leak", kDay, -1).ok());
  });
  EXPECT_FALSE(Stored("Sunny Garden", absl::CivilMonth(kDay)).has_value())
      << "stored as if the complaint had never been counted, as a rebuild would";
}

TEST_F(CategoryDaysTest, ACorruptMonthIsDataLossAndNotOverwritten) {
  const std::string key = CategoryMonthKey("Sunny Garden", absl::CivilMonth(kDay), "water-leak");
  Batch batch;
  batch.Put(kIncidentsFamily, key, "not 124 bytes");
  ASSERT_TRUE(store_->Write(batch, Durability::kSynced).ok());
  CategoryDays days(store_.get());
  EXPECT_EQ(days.Add("Sunny Garden", "water-leak", kDay, 1).code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(days.Sum("Sunny Garden", "water-leak", kDay - 28, kDay + 1).status().code(),
            absl::StatusCode::kDataLoss);
  Batch staged;
  days.Stage(staged);
  EXPECT_TRUE(staged.empty());
}

TEST_F(CategoryDaysTest, AStoreWrittenBeforeTheCountsIsFilledFromItsHotIssueRowsOnce) {
  // Hot-issue rows as an earlier release left them: per partition, day and
  // kind; a term row and the day's total do not count, nor does an unreadable row.
  Batch rows;
  auto row = [&](int32_t partition, absl::CivilDay day, char kind, absl::string_view item,
                 absl::string_view count) {
    rows.Put(kSeriesFamily,
             absl::StrCat(PartitionPrefix(partition), HotDayKey("Sunny Garden", day), "\x1f",
                          std::string(1, kind), item),
             count);
  };
  row(0, kDay - 1, kHotCategory, "water-leak", "2");
  row(5, kDay - 1, kHotCategory, "water-leak", "3");
  row(3, kDay - 20, kHotCategory, "water-leak", "1");
  row(3, kDay - 20, kHotTerm, "water-leak", "40");
  row(3, kDay - 20, kHotTotal, "", "50");
  row(2, kDay - 2, kHotCategory, "water-leak", "many");
  ASSERT_TRUE(store_->Write(rows, Durability::kSynced).ok());

  ASSERT_TRUE(PrepareCategoryDays(*store_).ok());
  EXPECT_EQ(Sum("Sunny Garden", kDay - 28, kDay), 2 + 3 + 1);
  // Once: counted since, then prepared again at the next start.
  Unit([](CategoryDays& days) {
    ASSERT_TRUE(days.Add("Sunny Garden", "water-leak", kDay - 1, 1).ok());
  });
  ASSERT_TRUE(PrepareCategoryDays(*store_).ok());
  EXPECT_EQ(Sum("Sunny Garden", kDay - 28, kDay), 2 + 3 + 1 + 1);
}

}  // namespace
}  // namespace complaints::analytics
