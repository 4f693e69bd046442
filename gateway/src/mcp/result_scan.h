// One allocation-free pass over a plugin's result JSON: is it a well-formed
// object, and what do its top-level keys say? Lets the core forward the
// plugin's bytes instead of parsing them into a tree and printing them again.
#pragma once

#include <string_view>

namespace mcpgw::mcp {

struct ResultShape {
  bool object = false;         // well-formed JSON whose top level is an object
  bool content_array = false;  // top-level "content" is an array
  bool is_error = false;       // top-level "isError" is true
  bool reserved_keys = false;  // has a key the core adds (_meta, resultType, ttlMs, cacheScope)
};

ResultShape ScanResult(std::string_view json);

}  // namespace mcpgw::mcp
