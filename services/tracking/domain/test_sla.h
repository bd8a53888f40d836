#pragma once
// The §3.2 configuration for tests, built in code (test_config.h): the SLA
// book, the business calendar, and local times in the centre's zone.

#include "gtest/gtest.h"
#include "services/tracking/domain/business_calendar.h"
#include "services/tracking/domain/sla_policy.h"
#include "services/tracking/domain/test_config.h"

namespace complaints::tracking {

inline v1::SlaPolicies StandardSlaPolicies() {
  auto policies = TestSlaPolicies();
  EXPECT_TRUE(policies.ok()) << policies.status();
  return policies.ok() ? *policies : v1::SlaPolicies();
}

inline SlaBook StandardSla() { return *SlaBook::Create(StandardSlaPolicies()); }

inline BusinessCalendar StandardCalendar(const std::string& zone = "Asia/Shanghai") {
  auto config = TestCalendarConfig();
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
