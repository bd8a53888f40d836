#pragma once
// §4.2 the audit chain: every writer's events for a complaint are hash-chained
// (Envelope.chain), so an event edited, removed or slipped in afterwards shows
// where the recomputed chain or the sequence breaks. Pure.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "complaints/v1/events.pb.h"
#include "complaints/v1/tracking.pb.h"

namespace complaints {

// BLAKE2b-256 of `previous` and the deterministic serialization of `event`
// with its chain (and its authentication, added when it is published) left out. `previous` is empty
// for a writer's first event.
std::string ChainHash(absl::string_view previous, const v1::Envelope& event);

// Each writer's chain over `events` (one complaint's, any order): sequences
// 1, 2, 3… without a gap, and every chain value recomputed. A writer whose
// events carry no chain (recorded before the chain existed) is reported as
// not intact, saying so.
std::vector<v1::ChainCheck> VerifyChains(const std::vector<v1::Envelope>& events);

// Whether `event` belongs in the audit trail: a person's or a client
// system's command (an actor in a role of the access policy, other than a
// service acting on its own), or a read of personal data.
bool IsAuditEntry(const v1::Envelope& event);

}  // namespace complaints
