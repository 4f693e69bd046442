// Which memory allocator serves this process's malloc and operator new:
// mimalloc when the binary links it (ADR 0025), else the C library's.
#pragma once

#include <string>

namespace mcpgw::app {

// "mimalloc 2.0.9" when mimalloc answers malloc; otherwise "system" (the C
// library's or a sanitizer's), also when mimalloc is linked but something
// else was interposed before it.
std::string AllocatorInUse();

}  // namespace mcpgw::app
