#include "libs/server/free_memory.h"

#include <malloc.h>

// gperftools' tcmalloc, when the binary is linked with it (the services are:
// CMakeLists.txt). Weak, so that a binary on glibc's malloc (the tests, the
// sanitizer builds) links without it and finds them null.
extern "C" {
int MallocExtension_GetNumericProperty(const char* property, size_t* value) __attribute__((weak));
int MallocExtension_SetNumericProperty(const char* property, size_t value) __attribute__((weak));
void MallocExtension_ReleaseFreeMemory() __attribute__((weak));
}

namespace complaints {
namespace {

bool OnTcmalloc() {
  return MallocExtension_GetNumericProperty != nullptr &&
         MallocExtension_ReleaseFreeMemory != nullptr;
}

}  // namespace

void ReturnFreedPagesPromptly() {
  if (OnTcmalloc() && MallocExtension_SetNumericProperty != nullptr) {
    MallocExtension_SetNumericProperty("tcmalloc.aggressive_memory_decommit", 1);
  }
}

size_t FreeHeapBytes() {
  if (OnTcmalloc()) {
    // Free pages tcmalloc still holds mapped, what ReleaseFreeMemory returns.
    size_t free = 0;
    return MallocExtension_GetNumericProperty("tcmalloc.pageheap_free_bytes", &free) ? free : 0;
  }
  return mallinfo2().fordblks;
}

size_t ReturnFreeHeap(size_t threshold) {
  const size_t free = FreeHeapBytes();
  if (free <= threshold) return 0;
  if (OnTcmalloc()) {
    MallocExtension_ReleaseFreeMemory();
  } else {
    malloc_trim(0);
  }
  return free;
}

}  // namespace complaints
