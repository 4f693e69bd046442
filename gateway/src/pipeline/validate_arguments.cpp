#include "pipeline/validate_arguments.h"

#include "mcp/tool_catalog.h"

namespace mcpgw::pipeline {

std::string_view DenialKindName(DenialKind kind) {
  switch (kind) {
    case DenialKind::kUnauthenticated: return "unauthenticated";
    case DenialKind::kForbidden: return "forbidden";
    case DenialKind::kRateLimited: return "rate_limited";
    case DenialKind::kInvalidArguments: return "invalid_arguments";
    case DenialKind::kUnavailable: return "unavailable";
  }
  return "denied";
}

std::optional<Denial> ValidateArguments::Check(const Request& request) const {
  if (request.tool == nullptr || request.method != "tools/call") return std::nullopt;
  const auto args = request.params.find("arguments");
  static const json kEmpty = json::object();
  const json& instance = args == request.params.end() || args->is_null() ? kEmpty : *args;
  if (auto error = request.tool->input_schema.Validate(instance)) {
    return Denial{DenialKind::kInvalidArguments,
                  "Invalid arguments for tool " + request.tool->name + ": " + schema::Describe(*error), {}};
  }
  return std::nullopt;
}

}  // namespace mcpgw::pipeline
