// Intake's durable path: validate, classify, and write events + view +
// idempotency key in one synced RocksDB batch, on real disk. Run with several
// threads to see RocksDB's group commit share WAL syncs between concurrent
// submissions (docs/architecture.md invariant 1: durability must not cap throughput).
#include <atomic>

#include "bench/bench_request.h"
#include "benchmark/benchmark.h"
#include "libs/core/clock.h"
#include "libs/core/config.h"
#include "libs/runner/test_records.h"
#include "libs/testing/temp_dir.h"
#include "services/intake/app/intake_app.h"
#include "services/intake/app/intake_families.h"
#include "services/intake/app/test_keys.h"
#include "services/intake/domain/personal_data.h"

namespace complaints::intake {
namespace {

struct Fixture {
  Fixture() {
    store = *Store::Open(dir.Sub("db"), Store::kDefaultPartitions, intake::kFamilies);
    outbox = *Outbox::Open(store.get(), complaints::testing::TestAuthority(v1::WRITER_INTAKE));
    classifier =
        std::make_unique<Classifier>(*Classifier::Create(*LoadTextProto<v1::ClassificationRules>(
            testing::SourceDir() + "/config/classification.textproto")));
    verification = std::make_unique<VerificationDecider>(
        *VerificationDecider::Create(*LoadTextProto<v1::VerificationPolicy>(
            testing::SourceDir() + "/config/verification.textproto")));
    keys = std::make_unique<DataKeys>(store.get(), TestKeyRing(), SystemClock::Default());
    app = std::make_unique<IntakeApp>(
        IntakeAppOptions{.parts = {store.get(), outbox.get(), nullptr, SystemClock::Default()},
                         .ids = &ids,
                         .classifier = classifier.get(),
                         .verification = verification.get(),
                         .keys = keys.get()});
  }
  testing::TempDir dir;
  RandomIdGenerator ids{1};
  std::unique_ptr<Store> store;
  std::unique_ptr<DataKeys> keys;
  std::unique_ptr<Outbox> outbox;
  std::unique_ptr<Classifier> classifier;
  std::unique_ptr<VerificationDecider> verification;
  std::unique_ptr<IntakeApp> app;
  std::atomic<int64_t> next_key{0};
  v1::Actor caller = [] {
    v1::Actor actor;
    actor.set_id("call-centre");
    actor.set_role("integration");
    return actor;
  }();
};

Fixture* fixture = nullptr;

void BM_SubmitSynced(benchmark::State& state) {
  if (state.thread_index() == 0) fixture = new Fixture();
  v1::SubmitComplaintRequest request = bench::LeakByPhone();
  for (auto _ : state) {
    request.set_idempotency_key("bench-" + std::to_string(fixture->next_key++));
    auto answer =
        fixture->app->commands().Run<v1::SubmitComplaintResponse>(request, fixture->caller);
    if (!answer.ok()) state.SkipWithError(answer.status().ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    delete fixture;
    fixture = nullptr;
  }
}
BENCHMARK(BM_SubmitSynced)->Threads(1)->Threads(4)->Threads(16)->UseRealTime()->MinTime(2.0);

// §4.2 what sealing adds to each submission: the subject's keyed hash, the
// redacted copies of the free text and XChaCha20-Poly1305 over the personal
// data (the key lookup is a RocksDB read, counted in BM_SubmitSynced).
void BM_SealSubmission(benchmark::State& state) {
  const KeyRing ring = TestKeyRing();
  const SecretKey key = SecretKey::Generate();
  v1::ComplaintReceived template_event;
  template_event.mutable_complainant()->set_name("王芳");
  template_event.mutable_complainant()->set_phone("+8613800138000");
  template_event.mutable_complainant()->set_identity_number("11010519491231002X");
  template_event.set_content("3号楼电梯困人，请回电 13800138000，王芳");
  template_event.set_description(std::string(400, 'x') + " 联系 wang.fang@example.com");
  template_event.mutable_location()->set_unit("1202");
  for (auto _ : state) {
    v1::ComplaintReceived event = template_event;
    const std::string subject = KeyedHash(ring.subject_secret, SubjectValue(event.complainant()));
    SealReceived(event, "C20261127-0000000000000001", key, subject + ".00000000", subject);
    benchmark::DoNotOptimize(event);
  }
}
BENCHMARK(BM_SealSubmission)->MinTime(1.0);

}  // namespace
}  // namespace complaints::intake

BENCHMARK_MAIN();
