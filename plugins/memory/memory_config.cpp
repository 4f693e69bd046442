#include "memory_config.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mcpgw::memory {
namespace {

struct Setting {
  const char* key;
  uint64_t min;
  void (*apply)(StoreOptions& options, uint64_t value);
};

constexpr Setting kSettings[] = {
    {"compact_after_bytes", 4096, [](StoreOptions& o, uint64_t v) { o.compact_after_bytes = v; }},
    {"max_entities_per_tenant", 1, [](StoreOptions& o, uint64_t v) { o.limits.max_entities = v; }},
    {"max_observation_bytes", 1, [](StoreOptions& o, uint64_t v) { o.limits.max_observation_bytes = v; }},
};

Failure Invalid(const std::string& message) { return Failure{FailureKind::kInternal, "memory config: " + message}; }

// The value as a non-negative integer; 4096.0, "4096", true and -1 are not.
std::optional<uint64_t> NonNegativeInteger(const nlohmann::json& value) {
  if (value.is_number_unsigned()) return value.get<uint64_t>();
  if (value.is_number_integer() && value.get<int64_t>() >= 0) return static_cast<uint64_t>(value.get<int64_t>());
  return std::nullopt;
}

std::string KnownKeys() {
  std::string out;
  for (const Setting& s : kSettings) out += (out.empty() ? "" : ", ") + std::string(s.key);
  return out;
}

}  // namespace

Result<StoreOptions> ParseMemoryConfig(const nlohmann::json& config) {
  StoreOptions options;
  if (config.is_null()) return options;
  if (!config.is_object()) return Invalid("expected an object, got " + config.dump());
  for (const auto& [key, value] : config.items()) {
    const Setting* setting = nullptr;
    for (const Setting& s : kSettings) {
      if (key == s.key) setting = &s;
    }
    if (setting == nullptr) return Invalid("unknown key \"" + key + "\" (known keys: " + KnownKeys() + ")");
    const std::optional<uint64_t> number = NonNegativeInteger(value);
    if (!number || *number < setting->min) {
      return Invalid(key + " must be an integer >= " + std::to_string(setting->min) + ", got " + value.dump());
    }
    setting->apply(options, *number);
  }
  return options;
}

}  // namespace mcpgw::memory
