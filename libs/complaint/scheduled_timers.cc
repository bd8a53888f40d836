#include "libs/complaint/scheduled_timers.h"

#include "libs/core/time_util.h"
#include "libs/core/wire_reader.h"

namespace complaints {
namespace {

// The packed timers are read by hand, in place (libs/core/wire_reader.h):
// tracking reads a view's timers for most events it applies, and protobuf's
// CodedInputStream spent a quarter of its replay doing it.

// A google.protobuf.Timestamp, as FromProto reads it.
bool ReadTimestamp(absl::string_view bytes, absl::Time* at) {
  int64_t seconds = 0;
  int32_t nanos = 0;
  WireReader in(bytes);
  uint64_t field = 0;
  uint32_t type = 0;
  while (!in.done()) {
    if (!in.Tag(&field, &type)) return false;
    uint64_t value = 0;
    if (field == 1 && type == kVarint) {
      if (!in.Varint(&value)) return false;
      seconds = static_cast<int64_t>(value);
    } else if (field == 2 && type == kVarint) {
      if (!in.Varint(&value)) return false;
      nanos = static_cast<int32_t>(value);
    } else if (!in.Skip(type)) {
      return false;
    }
  }
  *at = absl::FromUnixSeconds(seconds) + absl::Nanoseconds(nanos);
  return true;
}

// A ScheduledTimer.
bool ReadTimer(absl::string_view bytes, ScheduledRef* timer) {
  WireReader in(bytes);
  timer->fire_at = absl::UnixEpoch();  // an unset fire_at, as FromProto reads it
  uint64_t field = 0;
  uint32_t type = 0;
  while (!in.done()) {
    if (!in.Tag(&field, &type)) return false;
    absl::string_view value;
    if (field == 1 && type == kDelimited) {
      if (!in.Delimited(&timer->timer_id)) return false;
    } else if (field == 2 && type == kDelimited) {
      if (!in.Delimited(&value) || !ReadTimestamp(value, &timer->fire_at)) return false;
    } else if (!in.Skip(type)) {
      return false;
    }
  }
  return true;
}

// Appends `timer` as ScheduledTimers serializes an element of `timers`
// (field 1, length-delimited), with no copy of the message: a plan's timers
// were copied into a ScheduledTimers and freed again for every plan.
void AppendTimer(const v1::ScheduledTimer& timer, std::string& packed) {
  const size_t size = timer.ByteSizeLong();
  packed.push_back(static_cast<char>(1 << 3 | kDelimited));
  for (size_t rest = size;; rest >>= 7) {
    if (rest < 0x80) {
      packed.push_back(static_cast<char>(rest));
      break;
    }
    packed.push_back(static_cast<char>((rest & 0x7F) | 0x80));
  }
  const size_t at = packed.size();
  packed.resize(at + size);
  timer.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(packed.data() + at));
}

}  // namespace

void ForEachScheduled(const v1::SlaState& sla, absl::FunctionRef<bool(const ScheduledRef&)> visit) {
  for (const v1::ScheduledTimer& timer : sla.scheduled()) {
    if (!visit({timer.timer_id(), FromProto(timer.fire_at())})) return;
  }
  WireReader in(sla.scheduled_timers());
  uint64_t field = 0;
  uint32_t type = 0;
  while (!in.done()) {
    if (!in.Tag(&field, &type)) return;
    if (field != 1 || type != kDelimited) {
      if (!in.Skip(type)) return;
      continue;
    }
    absl::string_view bytes;
    ScheduledRef timer;
    if (!in.Delimited(&bytes) || !ReadTimer(bytes, &timer) || !visit(timer)) return;
  }
}

std::vector<v1::ScheduledTimer> ScheduledOf(const v1::SlaState& sla) {
  std::vector<v1::ScheduledTimer> timers;
  ForEachScheduled(sla, [&](const ScheduledRef& ref) {
    v1::ScheduledTimer& timer = timers.emplace_back();
    timer.set_timer_id(std::string(ref.timer_id));
    *timer.mutable_fire_at() = ToProto(ref.fire_at);
    return true;
  });
  return timers;
}

void SetScheduled(v1::SlaState& sla,
                  const google::protobuf::RepeatedPtrField<v1::ScheduledTimer>& timers) {
  ClearScheduled(sla);
  AddScheduled(sla, timers);
}

void AddScheduled(v1::SlaState& sla,
                  const google::protobuf::RepeatedPtrField<v1::ScheduledTimer>& timers) {
  if (timers.empty()) return;
  // Serialized messages concatenate: the timers before, then these.
  std::string packed;
  if (!sla.scheduled().empty()) {  // a view of an earlier release: its timers first
    for (const v1::ScheduledTimer& timer : sla.scheduled()) AppendTimer(timer, packed);
    sla.clear_scheduled();
  }
  packed.append(sla.scheduled_timers());
  for (const v1::ScheduledTimer& timer : timers) AppendTimer(timer, packed);
  sla.set_scheduled_timers(std::move(packed));
}

void ClearScheduled(v1::SlaState& sla) {
  sla.clear_scheduled();
  sla.clear_scheduled_timers();
}

void UnpackScheduled(v1::ComplaintView& view) {
  if (view.tracking().sla().scheduled_timers().empty()) return;
  v1::SlaState& sla = *view.mutable_tracking()->mutable_sla();
  std::vector<v1::ScheduledTimer> timers = ScheduledOf(sla);
  ClearScheduled(sla);
  for (v1::ScheduledTimer& timer : timers) *sla.add_scheduled() = std::move(timer);
}

}  // namespace complaints
