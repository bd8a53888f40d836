// The view fold: any sequence of envelopes folds without crashing, each
// writer's applied sequence never goes down, and a repeated event changes
// nothing.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "fuzz/require.h"
#include "libs/complaint/as_of.h"
#include "libs/complaint/view.h"

namespace {

using complaints::fuzz::Require;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace complaints;
  std::vector<v1::Envelope> events;
  // Length-prefixed envelopes: one byte of length, then the bytes.
  for (size_t i = 0; i < size && events.size() < 64;) {
    const size_t length = data[i++];
    if (i + length > size) break;
    v1::Envelope event;
    // Consumers only fold events of a known writer with a positive sequence (consumption.h).
    if (event.ParseFromArray(data + i, static_cast<int>(length)) &&
        event.writer() >= v1::WRITER_INTAKE && event.writer() <= v1::WRITER_TRACKING &&
        event.sequence() > 0) {
      events.push_back(std::move(event));
    }
    i += length;
  }
  v1::ComplaintView view;
  for (const v1::Envelope& event : events) {
    const int64_t before = AppliedSequence(view, event.writer());
    view = Evolve(std::move(view), event);
    Require(AppliedSequence(view, event.writer()) >= before);
    const std::string once = view.SerializeAsString();
    view = Evolve(std::move(view), event);
    Require(view.SerializeAsString() == once);
  }
  (void)ViewAsOf(events, absl::FromUnixSeconds(1'795'000'000));
  return 0;
}
