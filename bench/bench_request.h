#pragma once
// The submission the intake benchmarks send (a leak, a phone call); callers
// set a fresh idempotency key per request.

#include "complaints/v1/intake.pb.h"

namespace complaints::bench {

inline v1::SubmitComplaintRequest LeakByPhone() {
  v1::SubmitComplaintRequest request;
  request.set_channel(v1::CHANNEL_PHONE);
  request.mutable_complainant()->set_name("王芳");
  request.mutable_complainant()->set_phone("13800138000");
  request.set_content("楼上卫生间漏水，渗到我家天花板");
  request.mutable_location()->set_community("阳光花园");
  return request;
}

}  // namespace complaints::bench
