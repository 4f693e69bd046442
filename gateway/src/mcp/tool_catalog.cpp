#include "mcp/tool_catalog.h"

namespace mcpgw::mcp {

std::variant<std::shared_ptr<const ToolSet>, std::string> ToolSet::FromListResult(const nlohmann::json& result) {
  auto set = std::make_shared<ToolSet>();
  const auto tools = result.find("tools");
  if (!result.is_object() || tools == result.end() || !tools->is_array()) {
    return std::string("list_tools must return {\"tools\": [...]}");
  }
  for (const auto& def : *tools) {
    if (!def.is_object() || !def.contains("name") || !def["name"].is_string() ||
        def["name"].get_ref<const std::string&>().empty()) {
      return std::string("every tool needs a non-empty string \"name\"");
    }
    const std::string name = def["name"];
    const auto input = def.find("inputSchema");
    if (input == def.end() || !input->is_object() || input->value("type", "") != "object") {
      return "tool " + name + ": \"inputSchema\" must be a JSON Schema object with \"type\": \"object\"";
    }
    auto compiled = schema::CompiledSchema::Compile(*input);
    if (auto* why = std::get_if<std::string>(&compiled)) return "tool " + name + ": invalid inputSchema: " + *why;
    auto tool = std::make_unique<Tool>(Tool{name, def, std::move(std::get<schema::CompiledSchema>(compiled))});
    if (!set->by_name_.emplace(name, tool.get()).second) return "tool " + name + " is listed twice";
    set->definitions_.push_back(def);
    set->tools_.push_back(std::move(tool));
  }
  return std::shared_ptr<const ToolSet>(std::move(set));
}

const Tool* ToolSet::Find(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

}  // namespace mcpgw::mcp
