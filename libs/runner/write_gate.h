#pragma once
// Serialises the writers of one service's complaint views. The consumer's
// batch may touch any complaint, so it runs alone (Exclusive); a client
// command or a timer touches one complaint, so those on different complaints
// run side by side and share WAL syncs, and those on the same complaint run
// one at a time (OneComplaint). Without it a command and a consumed event
// could read the same view and the later write would lose the earlier's
// change, or both number an event with the same sequence.

#include <array>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "libs/core/ids.h"

namespace complaints {

class WriteGate {
 public:
  class Exclusive {
   public:
    explicit Exclusive(WriteGate* gate) : gate_(gate) {
      if (gate_ != nullptr) gate_->all_.WriterLock();
    }
    ~Exclusive() {
      if (gate_ != nullptr) gate_->all_.WriterUnlock();
    }
    Exclusive(const Exclusive&) = delete;
    Exclusive& operator=(const Exclusive&) = delete;

   private:
    WriteGate* gate_;
  };

  class OneComplaint {
   public:
    OneComplaint(WriteGate* gate, absl::string_view complaint_id)
        : gate_(gate),
          stripe_(gate == nullptr
                      ? nullptr
                      : &gate->stripes_[StableHash(complaint_id) % gate->stripes_.size()]) {
      if (gate_ == nullptr) return;
      gate_->all_.ReaderLock();
      stripe_->Lock();
    }
    ~OneComplaint() {
      if (gate_ == nullptr) return;
      stripe_->Unlock();
      gate_->all_.ReaderUnlock();
    }
    OneComplaint(const OneComplaint&) = delete;
    OneComplaint& operator=(const OneComplaint&) = delete;

   private:
    WriteGate* gate_;
    absl::Mutex* stripe_;
  };

 private:
  absl::Mutex all_;
  std::array<absl::Mutex, 64> stripes_;
};

}  // namespace complaints
