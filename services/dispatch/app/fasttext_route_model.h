#pragma once
// §3.1 learned routing in the shell: two fastText classifiers (Debian's libfasttext, the
// C++ library) over FeatureLine — one names the department, one the team,
// which is chosen among the teams of the department named (a team is of the
// department it worked in most) — trained on closed cases, nine in ten of
// them (by a hash of the complaint id); the tenth calibrates their
// confidences (Calibration). A model is
// immutable once made and named by its content's SHA-256; Predict is
// thread-safe. Training writes fastText's input and model files under the
// scratch folder and removes them; what the cases teach and how a model is
// named are pure (domain/route_learning.h).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/v1/dispatch.pb.h"
#include "services/dispatch/domain/calibration.h"
#include "services/dispatch/domain/route_features.h"
#include "services/dispatch/domain/route_learning.h"

namespace fasttext {
class FastText;
}

namespace complaints::dispatch {

struct TrainOptions {
  int epochs = 50;
  int dim = 32;
  double learning_rate = 1.0;
  int word_ngrams = 2;
  int buckets = 100'000;  // hashed word pairs; bounds the model's size
  int min_cases = 50;
  std::string scratch_dir;  // where fastText's input and output files go (required)
};

// What a plain fastText classifier — fastText's default settings (as
// `fasttext supervised`), one thread, trained on every case of `train` —
// names for each case of `test`: the department and the team. It reads the
// matter's words, category, community and channel (no place tokens, no word
// pairs): the baseline learned routing must beat.
struct PlainAnswers {
  std::vector<std::string> departments, teams;  // by test case; "" when it names none
};
absl::StatusOr<PlainAnswers> PlainFastText(const std::vector<LabeledCase>& train,
                                           const std::vector<LabeledCase>& test,
                                           const std::string& scratch_dir);

class RouteModel {
 public:
  // FAILED_PRECONDITION with fewer than min_cases cases naming a department.
  static absl::StatusOr<std::shared_ptr<const RouteModel>> Train(
      const std::vector<LabeledCase>& cases, const TrainOptions& options, absl::Time now,
      absl::Time opened_before);
  // DATA_LOSS for a stored model that does not load.
  static absl::StatusOr<std::shared_ptr<const RouteModel>> Load(v1::StoredRoutingModel stored);
  ~RouteModel();

  // No department (and no team) when the model knows none of the matter's words.
  ModelAnswer Predict(const RouteCase& route_case) const;
  const v1::StoredRoutingModel& stored() const { return stored_; }
  const std::string& version() const { return stored_.model().version(); }

 private:
  friend absl::StatusOr<PlainAnswers> PlainFastText(const std::vector<LabeledCase>&,
                                                    const std::vector<LabeledCase>&,
                                                    const std::string&);
  RouteModel() = default;
  // The classifier's best label and its raw probability; nullopt when it has none.
  struct Raw {
    int label = -1;
    double probability = 0;
  };
  static Raw Best(const fasttext::FastText& classifier, const std::string& line);
  // The team classifier's most likely team of `department` (any team when
  // the model keeps no team departments or the department is unknown).
  Raw BestTeam(const std::string& line, const std::string& department) const;

  v1::StoredRoutingModel stored_;
  std::unique_ptr<fasttext::FastText> departments_;
  std::unique_ptr<fasttext::FastText> teams_;  // null when no case named a team
  Calibration department_calibration_;
  Calibration team_calibration_;
};

}  // namespace complaints::dispatch
