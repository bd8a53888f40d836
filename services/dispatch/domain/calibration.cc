#include "services/dispatch/domain/calibration.h"

#include <algorithm>

namespace complaints::dispatch {
namespace {

int BinOf(double raw) {
  return std::clamp(static_cast<int>(raw * Calibration::kBins), 0, Calibration::kBins - 1);
}

}  // namespace

Calibration Calibration::Fit(const std::vector<std::pair<double, bool>>& scored) {
  Calibration calibration;
  if (scored.empty()) return calibration;
  std::vector<double> right(kBins, 0), seen(kBins, 0);
  for (const auto& [raw, correct] : scored) {
    const int bin = BinOf(raw);
    seen[bin] += 1;
    right[bin] += correct ? 1 : 0;
  }
  // Each bin that saw answers: its accuracy, smoothed towards the bin's
  // midpoint as if two more answers had been right at that rate.
  struct Block {
    double weight, value;
    std::vector<int> bins;
  };
  std::vector<Block> blocks;
  for (int bin = 0; bin < kBins; ++bin) {
    if (seen[bin] == 0) continue;
    const double prior = (bin + 0.5) / kBins;
    blocks.push_back({seen[bin] + 2, (right[bin] + 2 * prior) / (seen[bin] + 2), {bin}});
    // Pool adjacent violators: accuracy must not fall as confidence rises.
    while (blocks.size() > 1 && blocks[blocks.size() - 2].value > blocks.back().value) {
      Block last = std::move(blocks.back());
      blocks.pop_back();
      Block& before = blocks.back();
      before.value =
          (before.value * before.weight + last.value * last.weight) / (before.weight + last.weight);
      before.weight += last.weight;
      before.bins.insert(before.bins.end(), last.bins.begin(), last.bins.end());
    }
  }
  // Bins that saw nothing take the value below them (the first seen, at the bottom).
  calibration.bins_.assign(kBins, -1);
  for (const Block& block : blocks) {
    for (int bin : block.bins) calibration.bins_[bin] = block.value;
  }
  double carried = blocks.front().value;
  for (double& value : calibration.bins_) {
    if (value < 0) {
      value = carried;
    } else {
      carried = value;
    }
  }
  return calibration;
}

Calibration Calibration::FromBins(std::vector<double> bins) {
  Calibration calibration;
  if (static_cast<int>(bins.size()) == kBins) calibration.bins_ = std::move(bins);
  return calibration;
}

double Calibration::Apply(double raw) const {
  if (bins_.empty()) return std::clamp(raw, 0.0, 1.0);
  return bins_[static_cast<size_t>(BinOf(raw))];
}

}  // namespace complaints::dispatch
