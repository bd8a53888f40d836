#include "tools/complaintctl/history/import_history.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "complaints/v1/intake.grpc.pb.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"
#include "services/intake/domain/history.h"
#include "tools/complaintctl/history/row_source.h"

namespace complaints::ctl {
namespace {

// How long one case may keep being refused as "retry later" (the outbox's
// high-water mark, a service restarting) before it counts as failed.
constexpr absl::Duration kRetryFor = absl::Minutes(3);

struct Job {
  size_t row = 0;
  size_t line = 0;
  v1::ImportCaseRequest request;
};

struct Tally {
  std::atomic<size_t> rows{0}, imported{0}, already{0}, changed{0}, bad{0}, failed{0}, shortened{0},
      closed_moved{0};
};

// This process's peak resident memory in MiB (VmHWM), 0 when unknown.
size_t PeakMemoryMib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtoull(line.c_str() + 6, nullptr, 10) / 1024;
  }
  return 0;
}

bool Retryable(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::RESOURCE_EXHAUSTED ||
         code == grpc::StatusCode::DEADLINE_EXCEEDED;
}

class Importer {
 public:
  Importer(const CtlOptions& options, const ImportHistoryOptions& import, const RowMapper& mapper)
      : options_(options), import_(import), mapper_(mapper) {}

  int Run() {
    absl::StatusOr<std::unique_ptr<RowSource>> source = OpenRows(import_.file, mapper_.columns());
    if (!source.ok()) {
      std::fprintf(stderr, "error: %s: %s\n", import_.file.c_str(),
                   std::string(source.status().message()).c_str());
      return 2;
    }
    std::ifstream sized(import_.file, std::ios::binary | std::ios::ate);
    file_bytes_ = static_cast<size_t>(std::max<std::streamoff>(sized.tellg(), 1));
    started_ = complaints::WallNow();
    if (!import_.dry_run) {
      stub_ = v1::IntakeService::NewStub(Channel(options_, options_.intake));
      for (int i = 0; i < import_.concurrency; ++i) workers_.emplace_back([this] { Work(); });
    }
    std::thread progress;
    if (import_.progress) progress = std::thread([this, &source] { Progress(**source); });
    Read(**source);
    {
      absl::MutexLock lock(&mu_);
      reading_done_ = true;
    }
    for (std::thread& worker : workers_) worker.join();
    {
      absl::MutexLock lock(&mu_);
      finished_ = true;
    }
    if (progress.joinable()) progress.join();
    if (!(*source)->fatal().empty()) {
      Report(absl::StrCat("error: ", import_.file, ": ", (*source)->fatal(),
                          "; rows after it were not read"));
      ++tally_.failed;
    }
    Summary();
    if (!fatal_.empty()) return 1;
    return tally_.bad + tally_.failed + tally_.changed == 0 ? 0 : 1;
  }

 private:
  // Reading stops at --strict's first bad row; what was read before it is
  // still sent. A refusal that would meet every row alike aborts all.
  bool Stopped() {
    absl::MutexLock lock(&mu_);
    return stop_reading_;
  }
  void StopReading() {
    absl::MutexLock lock(&mu_);
    stop_reading_ = true;
  }

  void Read(RowSource& source) {
    SourceRow row;
    while (!Stopped() && source.Next(&row)) {
      ++tally_.rows;
      if (!row.error.empty()) {
        Bad(row.row, row.line, "(row)", row.error);
        continue;
      }
      std::variant<MappedRow, RowError> mapped = mapper_.Map(row.values);
      if (auto* error = std::get_if<RowError>(&mapped)) {
        Bad(row.row, row.line, error->column, error->reason);
        continue;
      }
      MappedRow& case_row = std::get<MappedRow>(mapped);
      if (case_row.shortened) ++tally_.shortened;
      if (case_row.closed_time_moved) ++tally_.closed_moved;
      if (import_.dry_run) {
        // Intake's own checks, so that a dry run refuses what the import would.
        const absl::StatusOr<intake::ImportedCase> checked =
            intake::CleanImport(case_row.request, complaints::WallNow());
        if (!checked.ok()) {
          Refused(row.row, row.line, std::string(checked.status().message()));
          continue;
        }
        ++tally_.imported;
        continue;
      }
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](Importer* self) {
            return self->queue_.size() < self->QueueCapacity() || self->stop_reading_;
          },
          this));
      if (stop_reading_) break;
      queue_.push_back({row.row, row.line, std::move(case_row.request)});
    }
  }
  bool Aborted() {
    absl::MutexLock lock(&mu_);
    return abort_;
  }
  size_t QueueCapacity() const { return static_cast<size_t>(import_.concurrency) * 4; }

  void Work() {
    while (true) {
      Job job;
      {
        absl::MutexLock lock(&mu_);
        mu_.Await(absl::Condition(
            +[](Importer* self) {
              return !self->queue_.empty() || self->reading_done_ || self->abort_;
            },
            this));
        if (queue_.empty() || abort_) return;
        job = std::move(queue_.front());
        queue_.pop_front();
      }
      Send(job);
    }
  }

  void Send(const Job& job) {
    const absl::Time give_up = complaints::WallNow() + kRetryFor;
    absl::Duration backoff = absl::Milliseconds(100);
    while (true) {
      grpc::ClientContext context;
      Prepare(context, options_);
      v1::ImportCaseResponse response;
      const grpc::Status status = stub_->ImportCase(&context, job.request, &response);
      if (status.ok()) {
        ++(response.duplicate() ? tally_.already : tally_.imported);
        return;
      }
      if (Retryable(status.error_code()) && complaints::WallNow() + backoff < give_up &&
          !Aborted()) {
        absl::SleepFor(backoff);
        backoff = std::min(backoff * 2, absl::Seconds(5));
        continue;
      }
      const std::string message = status.error_message();
      switch (status.error_code()) {
        case grpc::StatusCode::INVALID_ARGUMENT:
          Refused(job.row, job.line, message);
          return;
        case grpc::StatusCode::ALREADY_EXISTS:
          ++tally_.changed;
          Report(absl::StrCat("row ", job.row, " (line ", job.line, "): case ",
                              job.request.history().source_id(),
                              " was imported before with other contents; left as it was"));
          return;
        default:
          ++tally_.failed;
          Report(absl::StrCat(
              "row ", job.row, " (line ", job.line,
              "): ", absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())),
              ": ", message));
          if (!Retryable(status.error_code())) {
            // Refused for every row alike (permission, certificate): stop.
            absl::MutexLock lock(&mu_);
            fatal_ = message;
            stop_reading_ = true;
            abort_ = true;
          }
          return;
      }
    }
  }

  // A row intake's checks refused: "field: reason", named by its column.
  void Refused(size_t row, size_t line, const std::string& message) {
    const size_t colon = message.find(": ");
    const std::string field = colon == std::string::npos ? "" : message.substr(0, colon);
    Bad(row, line, mapper_.ColumnOf(field),
        colon == std::string::npos ? message : message.substr(colon + 2));
  }

  void Bad(size_t row, size_t line, const std::string& column, const std::string& reason) {
    ++tally_.bad;
    Report(absl::StrCat("row ", row, " (line ", line, "), column \"", column, "\": ", reason));
    if (import_.strict) StopReading();
  }

  void Report(const std::string& text) {
    absl::MutexLock lock(&print_mu_);
    if (import_.progress) std::fputs("\r\033[K", stderr);
    std::fprintf(stderr, "%s\n", text.c_str());
  }

  void Progress(RowSource& source) {
    while (true) {
      {
        absl::MutexLock lock(&mu_);
        if (mu_.AwaitWithTimeout(absl::Condition(&finished_), absl::Milliseconds(500))) return;
      }
      const double done = std::min(
          1.0, static_cast<double>(source.bytes_read()) / static_cast<double>(file_bytes_));
      const int width = 30;
      const int filled = static_cast<int>(done * width);
      const double minutes = absl::ToDoubleMinutes(complaints::WallNow() - started_);
      const size_t sent = tally_.imported + tally_.already;
      absl::MutexLock lock(&print_mu_);
      std::fprintf(stderr,
                   "\r[%s%s] %3.0f%%  rows %zu  imported %zu  already %zu  bad %zu  %.0f/min",
                   std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
                   done * 100, tally_.rows.load(), tally_.imported.load(), tally_.already.load(),
                   tally_.bad.load(), minutes > 0 ? static_cast<double>(sent) / minutes : 0.0);
      std::fflush(stderr);
    }
  }

  void Summary() {
    const absl::Duration took = complaints::WallNow() - started_;
    const double minutes = std::max(absl::ToDoubleMinutes(took), 1e-9);
    if (import_.progress) std::fputs("\r\033[K", stderr);
    std::printf("%s (source %s)%s\n", import_.file.c_str(),
                mapper_.mapping().source_system().c_str(),
                import_.dry_run ? ", dry run: nothing sent" : "");
    std::printf(
        "rows %zu: %s %zu, already imported %zu, changed since imported %zu, bad %zu, "
        "failed %zu\n",
        tally_.rows.load(), import_.dry_run ? "would import" : "imported", tally_.imported.load(),
        tally_.already.load(), tally_.changed.load(), tally_.bad.load(), tally_.failed.load());
    std::printf(
        "texts shortened to the limits %zu; closed times moved to the opening %zu; %s, %.0f "
        "rows/min, peak memory %zu MiB\n",
        tally_.shortened.load(), tally_.closed_moved.load(),
        absl::FormatDuration(absl::Trunc(took, absl::Milliseconds(100))).c_str(),
        static_cast<double>(tally_.rows) / minutes, PeakMemoryMib());
    if (!fatal_.empty()) std::printf("stopped: %s\n", fatal_.c_str());
    std::fflush(stdout);
  }

  const CtlOptions& options_;
  const ImportHistoryOptions& import_;
  const RowMapper& mapper_;
  std::unique_ptr<v1::IntakeService::Stub> stub_;
  std::vector<std::thread> workers_;
  Tally tally_;
  size_t file_bytes_ = 1;
  absl::Time started_;

  absl::Mutex mu_;
  std::deque<Job> queue_;
  bool reading_done_ = false;
  bool stop_reading_ = false;
  bool abort_ = false;
  bool finished_ = false;
  std::string fatal_;
  absl::Mutex print_mu_;
};

}  // namespace

int ImportHistory(const CtlOptions& options, const ImportHistoryOptions& import) {
  absl::StatusOr<v1::HistoryMapping> mapping =
      LoadTextProto<v1::HistoryMapping>(import.mapping_path);
  if (!mapping.ok()) {
    std::fprintf(stderr, "error: --mapping %s: %s\n", import.mapping_path.c_str(),
                 std::string(mapping.status().message()).c_str());
    return 2;
  }
  absl::StatusOr<RowMapper> mapper = RowMapper::Create(*std::move(mapping));
  if (!mapper.ok()) {
    std::fprintf(stderr, "error: --mapping %s: %s\n", import.mapping_path.c_str(),
                 std::string(mapper.status().message()).c_str());
    return 2;
  }
  if (import.concurrency < 1 || import.concurrency > 256) {
    std::fprintf(stderr, "error: --concurrency: between 1 and 256\n");
    return 2;
  }
  return Importer(options, import, *mapper).Run();
}

}  // namespace complaints::ctl
