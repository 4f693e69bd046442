#include "auth/strict_json.h"

#include <string>
#include <unordered_set>
#include <vector>

namespace mcpgw::auth {

std::optional<nlohmann::json> ParseObjectWithUniqueKeys(std::string_view text) {
  // The parser callback sees every object open and close and every key, so a
  // stack of "names seen in this object" finds repeats in one pass.
  std::vector<std::unordered_set<std::string>> open_objects;
  bool repeated = false;
  const auto track = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) {
      open_objects.emplace_back();
    } else if (event == Event::object_end) {
      if (!open_objects.empty()) open_objects.pop_back();
    } else if (event == Event::key && !open_objects.empty()) {
      if (!open_objects.back().insert(parsed.get<std::string>()).second) repeated = true;
    }
    return true;
  };
  nlohmann::json value = nlohmann::json::parse(text.begin(), text.end(), track, /*allow_exceptions=*/false);
  if (repeated || value.is_discarded() || !value.is_object()) return std::nullopt;
  return value;
}

}  // namespace mcpgw::auth
