#include "libs/testing/temp_dir.h"

#include <cstdlib>
#include <filesystem>

namespace complaints::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/complaints-test-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) std::abort();
  path_ = pattern;
}

TempDir::~TempDir() {
  if (std::getenv("COMPLAINTS_KEEP_TEST_DIRS") != nullptr) return;  // for post-mortems
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string SourceDir() {
  const char* dir = std::getenv("COMPLAINTS_SOURCE_DIR");
  return dir != nullptr ? dir : COMPLAINTS_DEFAULT_SOURCE_DIR;
}

std::string BinaryDir() {
  const char* dir = std::getenv("COMPLAINTS_BINARY_DIR");
  return dir != nullptr ? dir : COMPLAINTS_DEFAULT_BINARY_DIR;
}

}  // namespace complaints::testing
