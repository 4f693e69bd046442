// Opaque cursors over a list the core paginates.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace mcpgw::mcp {

struct Page {
  nlohmann::json items = nlohmann::json::array();
  std::optional<std::string> next_cursor;
};

// Returns the page of `all` (an array) that `cursor` points at, or nullopt
// when the cursor was not issued by this gateway or is out of range.
std::optional<Page> Paginate(const nlohmann::json& all, const std::optional<std::string>& cursor,
                             std::size_t page_size);

}  // namespace mcpgw::mcp
