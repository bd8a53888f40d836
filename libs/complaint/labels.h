#pragma once
// Readable labels for the schema's enum values in messages people read
// (refusals, closing reasons, complaintctl): "HANDLING_STATUS_COMMUNICATED"
// reads "communicated", "VERIFICATION_OUTCOME_ALREADY_RESOLVED" "already_resolved".

#include <string>

#include "google/protobuf/descriptor.h"

namespace complaints {

// The value's name without the enum's prefix, in lower case; the number for a
// value the schema does not name.
std::string EnumLabel(const google::protobuf::EnumDescriptor* type, int value);

}  // namespace complaints
