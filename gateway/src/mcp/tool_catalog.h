// The tools a backend offers, as last listed by its plugin, with each
// tool's compiled input schema.
//
// Readers get an immutable snapshot; a refresh (after the plugin reports
// list_changed) swaps in a new one, so requests in flight keep theirs.
#pragma once

#include "schema/json_schema.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace mcpgw::mcp {

struct Tool {
  std::string name;
  nlohmann::json definition;  // as listed to clients
  schema::CompiledSchema input_schema;
};

class ToolSet {
 public:
  // Builds from a plugin's {"tools":[...]} result. Refuses a malformed list,
  // a duplicate name or an input schema that does not compile, naming it.
  static std::variant<std::shared_ptr<const ToolSet>, std::string> FromListResult(const nlohmann::json& result);

  const Tool* Find(const std::string& name) const;
  const std::vector<std::unique_ptr<Tool>>& tools() const { return tools_; }
  const nlohmann::json& definitions() const { return definitions_; }

 private:
  std::vector<std::unique_ptr<Tool>> tools_;
  std::unordered_map<std::string, const Tool*> by_name_;
  nlohmann::json definitions_ = nlohmann::json::array();
};

// Holds the current ToolSet of one backend.
class ToolCatalog {
 public:
  std::shared_ptr<const ToolSet> Current() const {
    std::lock_guard lock(mu_);
    return current_;
  }
  void Replace(std::shared_ptr<const ToolSet> next) {
    std::lock_guard lock(mu_);
    current_ = std::move(next);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const ToolSet> current_ = std::make_shared<ToolSet>();
};

}  // namespace mcpgw::mcp
