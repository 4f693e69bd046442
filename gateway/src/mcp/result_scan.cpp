#include "mcp/result_scan.h"

#include <simdjson.h>

namespace mcpgw::mcp {

// simdjson validates the whole document (structure, strings, UTF-8, numbers)
// at gigabytes per second; only the top level is then looked at. One parser
// per thread keeps its buffers between calls.
ResultShape ScanResult(std::string_view text) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) return ResultShape{};
  simdjson::dom::object top;
  if (root.get(top) != simdjson::SUCCESS) return ResultShape{};
  ResultShape shape;
  shape.object = true;
  for (const simdjson::dom::key_value_pair field : top) {  // in order: a repeated key's last value wins
    const std::string_view key = field.key;
    if (key == "_meta" || key == "resultType" || key == "ttlMs" || key == "cacheScope") shape.reserved_keys = true;
    if (key == "content") shape.content_array = field.value.is_array();
    if (key == "isError") shape.is_error = field.value.is_bool() && field.value.get_bool().value_unsafe();
  }
  return shape;
}

}  // namespace mcpgw::mcp
