#pragma once
// The shipped §3.2 configuration (config/sla.textproto, config/calendar.textproto) for tests.

#include "gtest/gtest.h"
#include "libs/core/config.h"
#include "libs/testing/temp_dir.h"
#include "services/tracking/domain/business_calendar.h"
#include "services/tracking/domain/sla_policy.h"

namespace complaints::tracking {

inline v1::SlaPolicies ShippedSlaPolicies() {
  auto policies = LoadTextProto<v1::SlaPolicies>(testing::SourceDir() + "/config/sla.textproto");
  EXPECT_TRUE(policies.ok()) << policies.status();
  return policies.ok() ? *policies : v1::SlaPolicies();
}

inline SlaBook ShippedSla() { return *SlaBook::Create(ShippedSlaPolicies()); }

inline BusinessCalendar ShippedCalendar(const std::string& zone = "Asia/Shanghai") {
  auto config =
      LoadTextProto<v1::BusinessCalendar>(testing::SourceDir() + "/config/calendar.textproto");
  EXPECT_TRUE(config.ok()) << config.status();
  return *BusinessCalendar::Create(*config, zone);
}

// A local time in the centre's zone.
inline absl::Time Shanghai(int y, int m, int d, int hh, int mm) {
  absl::TimeZone zone;
  absl::LoadTimeZone("Asia/Shanghai", &zone);
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), zone);
}

}  // namespace complaints::tracking
