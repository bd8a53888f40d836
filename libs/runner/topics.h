#pragma once
// Topic names. Every topic is keyed by complaint id and has the same partition
// count; each has exactly one writer (DESIGN.md "Topics and ownership").

#include <array>

#include "absl/strings/string_view.h"

namespace complaints::topics {

inline constexpr absl::string_view kIntake = "complaints.intake.v1";
inline constexpr absl::string_view kDispatch = "complaints.dispatch.v1";
inline constexpr absl::string_view kTracking = "complaints.tracking.v1";
inline constexpr absl::string_view kNotifications = "complaints.notifications.v1";
// Intake's: the bytes of uploaded evidence (EvidenceChunk records).
inline constexpr absl::string_view kEvidence = "complaints.evidence.v1";

inline constexpr std::array<absl::string_view, 5> kAll = {kIntake, kDispatch, kTracking,
                                                          kNotifications, kEvidence};
inline constexpr int kDefaultPartitions = 6;

}  // namespace complaints::topics
