#pragma once
// How complaintctl prints answers: readable text by default, JSON with --json.

#include <string>

#include "complaints/v1/analytics.pb.h"
#include "complaints/v1/intake.pb.h"
#include "complaints/v1/tracking.pb.h"

namespace complaints::ctl {

// One JSON object on one line (proto3 JSON mapping, field names as in the .proto).
std::string ToJson(const google::protobuf::Message& message);

std::string FormatSubmitted(const v1::SubmitComplaintResponse& response);
std::string FormatTimeline(const v1::ComplaintTimeline& timeline);
std::string FormatCounts(const v1::GetCountsResponse& counts);

// "P1".."P4", or "-" when unspecified.
std::string PriorityLabel(v1::Priority priority);

}  // namespace complaints::ctl
