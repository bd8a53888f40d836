#pragma once
// Gives the heap's free memory back to the system after a burst.
//
// glibc keeps what a burst freed (evidence uploads pass hundreds of MiB of
// chunks through gRPC, RocksDB and librdkafka) in its arenas, so the
// process's resident memory stays at the burst's peak although nothing uses
// it. The runtime calls this every few seconds; it costs one walk of the
// arenas' statistics unless there is memory worth returning.

#include <cstddef>

namespace complaints {

// On tcmalloc, has the allocator give pages back as soon as they are free
// (aggressive decommit) rather than keep them for reuse: after a burst of
// uploads intake went back from 180 to 180 MiB without it, 147 to 116 MiB
// with it (glibc: 199 to 111). Nothing on glibc. Call once, when the
// service has caught up with its topics: a replay reuses its freed pages
// (giving them back and faulting them in again was a fifth of tracking's
// rebuild CPU).
void ReturnFreedPagesPromptly();

// Bytes held free in the heap: glibc's arenas (mallinfo2's fordblks), or
// tcmalloc's free page heap when the binary runs on tcmalloc (the services).
size_t FreeHeapBytes();

// When more than `threshold` bytes lie free, returns what it can to the
// system (malloc_trim, or tcmalloc's ReleaseFreeMemory) and answers how many
// bytes lay free before; else 0.
size_t ReturnFreeHeap(size_t threshold);

}  // namespace complaints
