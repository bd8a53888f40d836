#pragma once
// §4.2 a submission's personal data sealed before it enters any event, store
// or log (docs/security.md): the complainant, the unit (door) number,
// content and description are sealed together under the complainant's data
// key, bound to the complaint, and stay only redacted in clear. Pure: the key
// and the random source come in.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "complaints/v1/events.pb.h"
#include "libs/complaint/redaction.h"
#include "libs/crypto/sealing.h"

namespace complaints::intake {

// What a complainant's subject id is the keyed hash of: "phone:<E.164>", else
// "id:<ID number>", else "email:<lower case>"; empty for a complainant who
// gave none of them (their complaint is then its own subject).
// REQUIRES: `complainant` as the decider wrote it (phone normalised).
std::string SubjectValue(const v1::Complainant& complainant);

// Moves the personal data of `received` into received.personal (sealed under
// `key`, id `key_id`, for `complaint_id`), fills the redacted copies of the
// free text and `subject_id`, and empties the clear fields. Community,
// building and public area stay in clear for routing and figures.
void SealReceived(v1::ComplaintReceived& received, const std::string& complaint_id,
                  const SecretKey& key, const std::string& key_id, const std::string& subject_id,
                  const RandomSource& random = SystemRandom());

// What SealReceived sealed. DATA_LOSS when it does not open with `key` for
// `complaint_id` (another key, another complaint, or altered bytes).
absl::StatusOr<v1::PersonalData> OpenPersonalData(const v1::SealedData& sealed,
                                                  const std::string& complaint_id,
                                                  const SecretKey& key);

// Evidence bytes are sealed per chunk, bound to the complaint, file and index.
std::string EvidenceContext(absl::string_view complaint_id, absl::string_view sha256, int index);

}  // namespace complaints::intake
