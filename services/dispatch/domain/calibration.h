#pragma once
// Calibrated confidence for learned routing: a model's raw probability is
// mapped to the accuracy observed, on cases it did not learn from, for
// answers of about that probability (histogram binning over ten bins,
// Laplace-smoothed, made non-decreasing by pooling adjacent bins that
// violate it; a bin that saw no answers takes the value below it). So "0.9" means: nine in ten such
// answers were right. Pure.

#include <utility>
#include <vector>

namespace complaints::dispatch {

class Calibration {
 public:
  static constexpr int kBins = 10;

  // From (raw probability, was right) pairs; none: the identity.
  static Calibration Fit(const std::vector<std::pair<double, bool>>& scored);
  // From stored bins (kBins values); anything else: the identity.
  static Calibration FromBins(std::vector<double> bins);

  double Apply(double raw) const;
  const std::vector<double>& bins() const { return bins_; }

 private:
  std::vector<double> bins_;  // empty: the identity
};

}  // namespace complaints::dispatch
