#pragma once
// Topic names. Every topic but the key topic is keyed by complaint id and has the same partition
// count; each has exactly one writer (docs/architecture.md "Topics and ownership").

#include <array>

#include "absl/strings/string_view.h"

namespace complaints::topics {

inline constexpr absl::string_view kIntake = "complaints.intake.v1";
inline constexpr absl::string_view kDispatch = "complaints.dispatch.v1";
inline constexpr absl::string_view kTracking = "complaints.tracking.v1";
inline constexpr absl::string_view kNotifications = "complaints.notifications.v1";
// Intake's: the bytes of uploaded evidence (EvidenceChunk records).
inline constexpr absl::string_view kEvidence = "complaints.evidence.v1";

// Analytics': incidents it detects (IncidentDetected, IncidentGrown), keyed by complaint.
inline constexpr absl::string_view kAnalytics = "complaints.analytics.v1";

// Intake's, compacted: the complainants' wrapped data keys (DataKeyRecord,
// keyed by key id); a tombstone is an erased key (docs/security.md).
inline constexpr absl::string_view kKeys = "complaints.keys.v1";

inline constexpr std::array<absl::string_view, 7> kAll = {
    kIntake, kDispatch, kTracking, kNotifications, kEvidence, kKeys, kAnalytics};
// Topics kept by key (cleanup.policy=compact) instead of forever.
inline bool IsCompacted(absl::string_view topic) { return topic == kKeys; }
inline constexpr int kDefaultPartitions = 6;

}  // namespace complaints::topics
