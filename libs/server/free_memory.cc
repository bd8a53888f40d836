#include "libs/server/free_memory.h"

#include <malloc.h>

namespace complaints {

size_t FreeHeapBytes() { return mallinfo2().fordblks; }

size_t ReturnFreeHeap(size_t threshold) {
  const size_t free = FreeHeapBytes();
  if (free <= threshold) return 0;
  malloc_trim(0);
  return free;
}

}  // namespace complaints
