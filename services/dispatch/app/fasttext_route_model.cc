#include "services/dispatch/app/fasttext_route_model.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "fasttext/fasttext.h"
#include "libs/core/config.h"
#include "libs/core/ids.h"
#include "libs/core/status_macros.h"
#include "libs/core/time_util.h"
#include "libs/crypto/digest.h"

namespace complaints::dispatch {
namespace {

constexpr char kLabelPrefix[] = "__label__";
// fastText's model files begin with this magic number and format version.
constexpr int32_t kFastTextMagic = 793712314;
constexpr int32_t kFastTextVersion = 12;

// A name for one training's files under `dir`, unique within the machine
// while this process runs (its id and a count), so concurrent trainings and
// services sharing a folder do not meet.
std::string ScratchBase(const std::string& dir, absl::string_view what) {
  static std::atomic<uint64_t> trainings{0};
  return absl::StrCat(dir, "/", what, "-", getpid(), "-", trainings.fetch_add(1));
}

// The model file fastText just wrote; one it cannot read back is our fault.
absl::StatusOr<std::string> ReadModelFile(const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadFile(path);
  if (!bytes.ok()) return absl::InternalError(bytes.status().message());
  return bytes;
}

// fastText's supervised defaults (as `fasttext supervised`), but one
// thread: the same cases make the same model.
fasttext::Args SupervisedDefaults(const std::string& input, const std::string& output) {
  fasttext::Args args;
  args.input = input;
  args.output = output;
  args.model = fasttext::model_name::sup;
  args.loss = fasttext::loss_name::softmax;
  args.lr = 0.1;
  args.epoch = 5;
  args.dim = 100;
  args.wordNgrams = 1;
  // Hashed buckets hold only word n-grams and subwords; with neither they are
  // never read, so none are made (the default 2 million would take 800 MB;
  // only the random initial weights differ).
  args.bucket = 0;
  args.minCount = 1;
  args.minn = 0;
  args.maxn = 0;
  args.thread = 1;
  args.verbose = 0;
  return args;
}

// Trains one classifier on the lines of `args.input`; its model file's bytes.
absl::StatusOr<std::string> TrainClassifier(const fasttext::Args& args) {
  try {
    fasttext::FastText classifier;
    classifier.train(args);
    classifier.saveModel(args.output);
  } catch (const std::exception& error) {
    return absl::InternalError(absl::StrCat("fastText: ", error.what()));
  }
  return ReadModelFile(args.output);
}

absl::StatusOr<std::string> TrainClassifier(const std::string& input, const std::string& output,
                                            const TrainOptions& options) {
  fasttext::Args args = SupervisedDefaults(input, output);
  args.epoch = options.epochs;
  args.dim = options.dim;
  args.lr = options.learning_rate;
  args.wordNgrams = options.word_ngrams;
  args.bucket = options.buckets;
  args.seed = 1;
  return TrainClassifier(args);
}

absl::StatusOr<std::unique_ptr<fasttext::FastText>> LoadClassifier(const std::string& bytes) {
  int32_t head[2] = {0, 0};
  if (bytes.size() < sizeof(head)) return absl::DataLossError("routing model: truncated");
  std::memcpy(head, bytes.data(), sizeof(head));
  if (head[0] != kFastTextMagic || head[1] != kFastTextVersion) {
    return absl::DataLossError("routing model: not a fastText model of format 12");
  }
  std::istringstream in(bytes.substr(sizeof(head)));
  auto classifier = std::make_unique<fasttext::FastText>();
  try {
    classifier->loadModel(in);
  } catch (const std::exception& error) {
    return absl::DataLossError(absl::StrCat("routing model: ", error.what()));
  }
  return classifier;
}

std::string LabelOf(int index) { return absl::StrCat(kLabelPrefix, index); }

// The index in "__label__<index>"; -1 for anything else.
int LabelIndex(absl::string_view label) {
  int index = -1;
  if (!absl::ConsumePrefix(&label, kLabelPrefix) || !absl::SimpleAtoi(label, &index)) return -1;
  return index;
}

}  // namespace

absl::StatusOr<PlainAnswers> PlainFastText(const std::vector<LabeledCase>& train,
                                           const std::vector<LabeledCase>& test,
                                           const std::string& scratch_dir) {
  PlainAnswers answers;
  const std::string base = ScratchBase(scratch_dir, "plain");
  for (const bool team : {false, true}) {
    std::vector<std::string>& out = team ? answers.teams : answers.departments;
    const std::map<std::string, int> labels = Labels(train, team);
    if (labels.empty()) {
      out.assign(test.size(), "");
      continue;
    }
    std::vector<std::string> names(labels.size());
    for (const auto& [name, index] : labels) names[static_cast<size_t>(index)] = name;
    auto text = [](RouteCase features) {
      features.area.clear();
      return FeatureLine(features);
    };
    const fasttext::Args args = SupervisedDefaults(base + ".txt", base + ".bin");
    {
      std::ofstream lines(args.input);
      for (const LabeledCase& labeled : train) {
        const std::string& label = team ? labeled.team : labeled.department;
        if (!label.empty())
          lines << LabelOf(labels.at(label)) << " " << text(labeled.features) << "\n";
      }
      if (!lines)
        return absl::InternalError(absl::StrCat(scratch_dir, ": cannot write training data"));
    }
    absl::StatusOr<std::string> bytes = TrainClassifier(args);
    std::remove(args.input.c_str());
    std::remove(args.output.c_str());
    if (!bytes.ok()) return bytes.status();
    ASSIGN_OR_RETURN(std::unique_ptr<fasttext::FastText> classifier, LoadClassifier(*bytes));
    for (const LabeledCase& labeled : test) {
      const RouteModel::Raw raw = RouteModel::Best(*classifier, text(labeled.features));
      out.push_back(raw.label >= 0 && raw.label < static_cast<int>(names.size())
                        ? names[static_cast<size_t>(raw.label)]
                        : "");
    }
  }
  return answers;
}

RouteModel::~RouteModel() = default;

RouteModel::Raw RouteModel::BestTeam(const std::string& line, const std::string& department) const {
  const auto& nested = stored_.team_departments();
  if (nested.empty() || department.empty() ||
      std::find(nested.begin(), nested.end(), department) == nested.end()) {
    return Best(*teams_, line);
  }
  std::istringstream in(line + "\n");
  std::vector<std::pair<fasttext::real, std::string>> predictions;
  teams_->predictLine(in, predictions, -1, 0.0);
  // Most likely first: the first of the department's teams is its answer,
  // with its share of the department's probability (the department is taken
  // as given).
  Raw raw;
  double within = 0;
  for (const auto& [probability, name] : predictions) {
    const int index = LabelIndex(name);
    if (index < 0 || index >= nested.size() || nested[index] != department) continue;
    if (raw.label < 0) raw = {index, probability};
    within += probability;
  }
  if (within > 0) raw.probability /= within;
  return raw;
}

RouteModel::Raw RouteModel::Best(const fasttext::FastText& classifier, const std::string& line) {
  std::istringstream in(line + "\n");
  std::vector<std::pair<fasttext::real, std::string>> predictions;
  classifier.predictLine(in, predictions, 1, 0.0);
  Raw raw;
  if (predictions.empty()) return raw;
  raw.label = LabelIndex(predictions[0].second);
  raw.probability = predictions[0].first;
  return raw;
}

absl::StatusOr<std::shared_ptr<const RouteModel>> RouteModel::Train(
    const std::vector<LabeledCase>& cases, const TrainOptions& options, absl::Time now,
    absl::Time opened_before) {
  const std::map<std::string, int> departments = Labels(cases, false);
  const std::map<std::string, int> teams = Labels(cases, true);
  int learning = 0;
  for (const LabeledCase& labeled : cases) learning += !Calibrates(labeled);
  if (learning < options.min_cases || departments.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("routing model: ", learning,
                                                      " closed cases to learn from; at least ",
                                                      options.min_cases, " are needed"));
  }
  const std::string base = ScratchBase(options.scratch_dir, "routing");
  {
    std::ofstream department_lines(base + ".departments.txt");
    std::ofstream team_lines(base + ".teams.txt");
    for (const LabeledCase& labeled : cases) {
      if (Calibrates(labeled)) continue;
      const std::string line = FeatureLine(labeled.features);
      department_lines << LabelOf(departments.at(labeled.department)) << " " << line << "\n";
      if (!labeled.team.empty())
        team_lines << LabelOf(teams.at(labeled.team)) << " " << line << "\n";
    }
    if (!department_lines || !team_lines) {
      return absl::InternalError(absl::StrCat(options.scratch_dir, ": cannot write training data"));
    }
  }
  auto model = std::shared_ptr<RouteModel>(new RouteModel());
  v1::StoredRoutingModel& stored = model->stored_;
  absl::StatusOr<std::string> department_bytes =
      TrainClassifier(base + ".departments.txt", base + ".departments.bin", options);
  absl::StatusOr<std::string> team_bytes = std::string();
  if (department_bytes.ok() && !teams.empty()) {
    team_bytes = TrainClassifier(base + ".teams.txt", base + ".teams.bin", options);
  }
  for (const char* suffix : {".departments.txt", ".teams.txt", ".departments.bin", ".teams.bin"}) {
    std::remove(absl::StrCat(base, suffix).c_str());
  }
  if (!department_bytes.ok()) return department_bytes.status();
  if (!team_bytes.ok()) return team_bytes.status();
  stored.set_department_model(*std::move(department_bytes));
  stored.set_team_model(*std::move(team_bytes));
  for (const auto& [name, index] : departments) stored.add_departments(name);
  for (const auto& [name, index] : teams) stored.add_teams(name);
  for (const std::string& department : TeamDepartments(cases, teams)) {
    stored.add_team_departments(department);
  }

  // Calibrate on the held-out tenth.
  auto loaded = LoadClassifier(stored.department_model());
  if (!loaded.ok()) return loaded.status();
  model->departments_ = *std::move(loaded);
  if (!teams.empty()) {
    auto team_model = LoadClassifier(stored.team_model());
    if (!team_model.ok()) return team_model.status();
    model->teams_ = *std::move(team_model);
  }
  std::vector<std::pair<double, bool>> department_scores, team_scores;
  int correct = 0;
  for (const LabeledCase& labeled : cases) {
    if (!Calibrates(labeled)) continue;
    const std::string line = FeatureLine(labeled.features);
    const Raw department = Best(*model->departments_, line);
    const bool right = department.label == departments.at(labeled.department);
    correct += right;
    department_scores.emplace_back(department.probability, right);
    if (model->teams_ != nullptr && !labeled.team.empty()) {
      const Raw team = model->BestTeam(
          line, department.label >= 0 ? stored.departments(department.label) : std::string());
      team_scores.emplace_back(team.probability, team.label == teams.at(labeled.team));
    }
  }
  model->department_calibration_ = Calibration::Fit(department_scores);
  model->team_calibration_ = Calibration::Fit(team_scores);
  for (double bin : model->department_calibration_.bins()) stored.add_department_calibration(bin);
  for (double bin : model->team_calibration_.bins()) stored.add_team_calibration(bin);

  v1::RoutingModel& meta = *stored.mutable_model();
  *meta.mutable_trained_at() = ToProto(now);
  *meta.mutable_opened_before() = ToProto(opened_before);
  meta.set_cases(learning);
  meta.set_departments(static_cast<int32_t>(departments.size()));
  meta.set_teams(static_cast<int32_t>(teams.size()));
  meta.set_calibration_accuracy(
      department_scores.empty() ? 0 : static_cast<double>(correct) / department_scores.size());
  meta.set_bytes(
      static_cast<int64_t>(stored.department_model().size() + stored.team_model().size()));
  meta.set_version(ContentVersion(stored));
  return std::shared_ptr<const RouteModel>(std::move(model));
}

absl::StatusOr<std::shared_ptr<const RouteModel>> RouteModel::Load(v1::StoredRoutingModel stored) {
  if (ContentVersion(stored) != stored.model().version()) {
    return absl::DataLossError(absl::StrCat("routing model ", stored.model().version(),
                                            ": its content does not match its version"));
  }
  auto model = std::shared_ptr<RouteModel>(new RouteModel());
  auto departments = LoadClassifier(stored.department_model());
  if (!departments.ok()) return departments.status();
  model->departments_ = *std::move(departments);
  if (!stored.team_model().empty()) {
    auto teams = LoadClassifier(stored.team_model());
    if (!teams.ok()) return teams.status();
    model->teams_ = *std::move(teams);
  }
  model->department_calibration_ = Calibration::FromBins(
      {stored.department_calibration().begin(), stored.department_calibration().end()});
  model->team_calibration_ =
      Calibration::FromBins({stored.team_calibration().begin(), stored.team_calibration().end()});
  model->stored_ = std::move(stored);
  return std::shared_ptr<const RouteModel>(std::move(model));
}

ModelAnswer RouteModel::Predict(const RouteCase& route_case) const {
  ModelAnswer answer;
  answer.version = version();
  // Calibration knows answers about text like the cases it held out; a
  // matter none of whose words the model has seen gets no answer at all.
  const std::vector<std::string> words = Words(route_case.content);
  if (!words.empty() && std::none_of(words.begin(), words.end(), [&](const std::string& word) {
        return departments_->getWordId(word) >= 0;
      })) {
    return answer;
  }
  const std::string line = FeatureLine(route_case);
  const Raw department = Best(*departments_, line);
  if (department.label >= 0 && department.label < stored_.departments_size()) {
    answer.department = stored_.departments(department.label);
    answer.confidence = department_calibration_.Apply(department.probability);
  }
  if (teams_ != nullptr) {
    const Raw team = BestTeam(line, answer.department);
    if (team.label >= 0 && team.label < stored_.teams_size()) {
      answer.team = stored_.teams(team.label);
      answer.team_confidence = team_calibration_.Apply(team.probability);
    }
  }
  return answer;
}

}  // namespace complaints::dispatch
