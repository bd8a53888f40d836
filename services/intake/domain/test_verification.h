#pragma once
// The §2.4 call-back policy intake's tests run with, built here rather than
// read from config/ (config_test checks the shipped file); its values are
// those the centre ships.

#include "absl/status/statusor.h"
#include "complaints/v1/config.pb.h"
#include "libs/core/config.h"

namespace complaints::intake {

// When the call-back falls due per priority, and how many unanswered attempts end it.
inline absl::StatusOr<v1::VerificationPolicy> TestVerificationPolicy() {
  v1::VerificationPolicy config;
  absl::Status parsed = ParseTextProto("TestVerificationPolicy", R"pb(
                                         id: "verification"
                                         version: 1
                                         due { priority: PRIORITY_P1 minutes: 30 }
                                         due { priority: PRIORITY_P2 minutes: 120 }
                                         due { priority: PRIORITY_P3 minutes: 480 }
                                         due { priority: PRIORITY_P4 minutes: 1440 }
                                         max_unanswered_attempts: 3
                                         dispatch_before_verification: [ PRIORITY_P1, PRIORITY_P2 ]
                                       )pb",
                                       &config);
  if (!parsed.ok()) return parsed;
  return config;
}

}  // namespace complaints::intake
