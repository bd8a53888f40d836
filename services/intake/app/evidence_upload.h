#pragma once
// §2.2 one evidence upload as it streams in: the header is checked before any
// byte is read (IntakeApp::CheckUpload), each chunk goes to a spool file as it
// arrives and is hashed and sniffed on the way, so an upload holds a few
// dozen KiB of memory whatever its size; once the client is done, the app
// stores the file from the spool (IntakeApp::AttachEvidenceFile). The spool
// file is removed before the call is answered, whether the file was kept or
// refused, so a client that has its answer sees no spool file left. Not
// thread-safe: one per call.

#include <cstdio>
#include <string>

#include "complaints/v1/intake.pb.h"
#include "libs/crypto/digest.h"
#include "libs/server/callback_service.h"
#include "services/intake/domain/evidence.h"

namespace complaints::intake {

class IntakeApp;

class EvidenceUpload final
    : public CallbackService::Upload<v1::AttachEvidenceRequest, v1::AttachEvidenceResponse> {
 public:
  // `app` must outlive the upload; spool files go to `spool_dir`. An upload
  // whose caller has no actor (`actor` not OK) is refused at Begin.
  EvidenceUpload(IntakeApp* app, absl::StatusOr<v1::Actor> actor, std::string spool_dir,
                 size_t max_bytes);
  ~EvidenceUpload() override;

  absl::Status Begin(const v1::AttachEvidenceRequest& first) override;
  absl::Status Add(const v1::AttachEvidenceRequest& next) override;
  absl::StatusOr<v1::AttachEvidenceResponse> Finish() override;

 private:
  absl::Status AddToSpool(const std::string& chunk);
  absl::StatusOr<v1::AttachEvidenceResponse> Store();
  // Closes and removes the spool file; safe to call more than once.
  void Discard();

  IntakeApp* app_;
  absl::StatusOr<v1::Actor> actor_;
  std::string spool_dir_;
  size_t max_bytes_;
  v1::EvidenceHeader header_;
  std::string path_;
  std::FILE* spool_ = nullptr;
  size_t size_ = 0;
  Sha256Stream sha256_;
  MediaSniffer sniffer_;
};

}  // namespace complaints::intake
