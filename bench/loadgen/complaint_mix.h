#pragma once
// Varied submissions for load: built from the shared public complaint data in
// tests/data/history (NYC 311 service requests and CFPB narratives), so the
// classifier, the router and the sealing see real text of real lengths, not
// one request repeated. Channels rotate phone / e-mail / letter; each
// complainant is synthetic (name, phone, address derived from the row's
// number), never a real person's.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "complaints/v1/intake.pb.h"

namespace complaints::loadgen {

class ComplaintMix {
 public:
  // Reads both files under `data_dir` (tests/data/history). Fails when a
  // file is missing or yields no usable row.
  static absl::StatusOr<ComplaintMix> Load(const std::string& data_dir);

  // The n-th submission (idempotency key unset: the caller names each one).
  // Cycles through the rows; every field within intake's limits.
  const v1::SubmitComplaintRequest& At(size_t n) const { return pool_[n % pool_.size()]; }
  size_t size() const { return pool_.size(); }
  // The pool's mean serialised size in bytes.
  double MeanBytes() const;

 private:
  std::vector<v1::SubmitComplaintRequest> pool_;
};

}  // namespace complaints::loadgen
