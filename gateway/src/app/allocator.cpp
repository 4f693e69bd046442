#include "app/allocator.h"

#include <cstdlib>

#ifdef MCPGW_WITH_MIMALLOC
#include <mimalloc.h>
#endif

namespace mcpgw::app {

std::string AllocatorInUse() {
#ifdef MCPGW_WITH_MIMALLOC
  // Linking mimalloc first replaces malloc for the whole process, plugins
  // included; ask it whether a block from calloc is its own rather than
  // trust that.
  void* probe = std::calloc(1, 64);
  const bool ours = probe != nullptr && mi_is_in_heap_region(probe);
  std::free(probe);
  if (ours) {
    const int v = mi_version();  // e.g. 209
    return "mimalloc " + std::to_string(v / 100) + "." + std::to_string(v / 10 % 10) + "." + std::to_string(v % 10);
  }
#endif
  return "system";
}

}  // namespace mcpgw::app
