#pragma once
// Fixed keys for tests and benchmarks of the intake shell: a KEK ("test-kek-1")
// and the subject secret. Never for a running service.

#include "services/intake/app/data_keys.h"

namespace complaints::intake {

inline constexpr char kTestKek[] =
    "test-kek-1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n";
inline constexpr char kTestRotatedKek[] =
    "test-kek-2 f0e0d0c0b0a090807060504030201000f1e1d1c1b1a191817161514131211101\n";
inline constexpr char kTestSubjectSecret[] =
    "subjects-1 5f5e5d5c5b5a595857565554535251504f4e4d4c4b4a49484746454443424140\n";

// The ring with `kek_lines` (the current KEK first).
inline KeyRing TestKeyRing(const std::string& kek_lines = kTestKek) {
  return *KeyRing::FromText("test kek", kek_lines, "test subject secret", kTestSubjectSecret);
}

}  // namespace complaints::intake
