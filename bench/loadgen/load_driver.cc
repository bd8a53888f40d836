#include "bench/loadgen/load_driver.h"

#include <sys/resource.h>

#include <algorithm>
#include <atomic>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "libs/core/clock.h"

namespace complaints::loadgen {
namespace {

double CpuMs() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto ms = [](const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "OTHER";
  }
}

// One run's shared state; calls finish on gRPC's threads.
class Run {
 public:
  Run(const std::vector<std::shared_ptr<v1::IntakeService::Stub>>& stubs, const ComplaintMix& mix,
      const LoadOptions& options)
      : stubs_(stubs), mix_(mix), options_(options) {}

  LoadResult Go() {
    const double cpu_before = CpuMs();
    start_ = complaints::WallNow();
    end_ = start_ + options_.duration;
    if (options_.rate > 0) {
      Pace();
    } else {
      for (int i = 0; i < options_.max_in_flight && Send(complaints::WallNow()); ++i) {
      }
    }
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](int64_t* in_flight) { return *in_flight == 0; }, &in_flight_));
    }
    result_.seconds = absl::ToDoubleSeconds(last_answer_ - start_);
    result_.cpu_ms = CpuMs() - cpu_before;
    std::sort(result_.latency_ms.begin(), result_.latency_ms.end());
    return std::move(result_);
  }

 private:
  struct Call {
    grpc::ClientContext context;
    v1::SubmitComplaintRequest request;
    v1::SubmitComplaintResponse response;
    absl::Time scheduled;
  };

  bool Done(int64_t n) const {
    return options_.max_requests > 0 ? n >= options_.max_requests : false;
  }

  // Open loop: the n-th request is due at start + n / rate.
  void Pace() {
    for (int64_t n = 0; !Done(n); ++n) {
      const absl::Time due = start_ + absl::Seconds(static_cast<double>(n) / options_.rate);
      if (due >= end_) break;
      const absl::Duration wait = due - complaints::WallNow();
      if (wait > absl::ZeroDuration()) absl::SleepFor(wait);
      bool room;
      {
        absl::MutexLock lock(&mu_);
        room = in_flight_ < options_.max_in_flight;
        if (!room) ++result_.shed;
      }
      if (room) Send(due);
    }
  }

  // Sends the next request; false when the run has sent all it may.
  bool Send(absl::Time scheduled) {
    int64_t n;
    {
      absl::MutexLock lock(&mu_);
      if (Done(next_) || (options_.rate <= 0 && complaints::WallNow() >= end_)) return false;
      n = next_++;
      ++in_flight_;
      ++result_.sent;
    }
    auto* call = new Call;
    call->scheduled = scheduled;
    call->request = mix_.At(static_cast<size_t>(n));
    call->request.set_idempotency_key(absl::StrCat(options_.key_prefix, "-", n));
    call->context.set_deadline(absl::ToChronoTime(complaints::WallNow() + options_.deadline));
    const size_t channel = static_cast<size_t>(n) % stubs_.size();
    if (!options_.insecure_identities.empty()) {
      call->context.AddMetadata(
          "x-insecure-identity",
          options_.insecure_identities[channel % options_.insecure_identities.size()]);
    }
    stubs_[channel]->async()->SubmitComplaint(
        &call->context, &call->request, &call->response,
        [this, call](grpc::Status status) { Finish(call, status); });
    return true;
  }

  void Finish(Call* call, const grpc::Status& status) {
    const absl::Time now = complaints::WallNow();
    {
      absl::MutexLock lock(&mu_);
      if (status.ok()) {
        ++result_.ok;
        result_.latency_ms.push_back(absl::ToDoubleMilliseconds(now - call->scheduled));
      } else {
        ++result_.failures[CodeName(status.error_code())];
      }
      last_answer_ = std::max(last_answer_, now);
      --in_flight_;
    }
    delete call;
    if (options_.rate <= 0) Send(complaints::WallNow());
  }

  const std::vector<std::shared_ptr<v1::IntakeService::Stub>>& stubs_;
  const ComplaintMix& mix_;
  const LoadOptions& options_;
  absl::Time start_, end_;
  absl::Mutex mu_;
  int64_t next_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time last_answer_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  LoadResult result_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

int64_t LoadResult::failed() const {
  int64_t total = 0;
  for (const auto& [code, count] : failures) total += count;
  return total;
}

double LoadResult::Percentile(double p) const {
  if (latency_ms.empty()) return 0;
  const size_t at = std::min(latency_ms.size() - 1,
                             static_cast<size_t>(p / 100 * static_cast<double>(latency_ms.size())));
  return latency_ms[at];
}

LoadResult RunLoad(const std::vector<std::shared_ptr<v1::IntakeService::Stub>>& stubs,
                   const ComplaintMix& mix, const LoadOptions& options) {
  Run run(stubs, mix, options);
  return run.Go();
}

}  // namespace complaints::loadgen
