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

// Bytes held free in the heap's arenas (mallinfo2's fordblks).
size_t FreeHeapBytes();

// When more than `threshold` bytes lie free, returns what it can to the
// system (malloc_trim) and answers how many bytes lay free before; else 0.
size_t ReturnFreeHeap(size_t threshold);

}  // namespace complaints
