#pragma once
// The fuzz targets' assertion: a broken property aborts, which libFuzzer
// reports as a crash with the input that caused it.

#include <cstdlib>

namespace complaints::fuzz {

inline void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace complaints::fuzz
