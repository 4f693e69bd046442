#include "pipeline/authorize.h"

#include "auth/scope_policy.h"
#include "mcp/backend.h"

namespace mcpgw::pipeline {

std::optional<Denial> Authorize::Check(const Request& request) const {
  std::string_view tool;
  if (request.method == "tools/call") {
    if (const auto name = request.params.find("name"); name != request.params.end() && name->is_string()) {
      tool = name->get_ref<const std::string&>();
    }
  }
  // Held while `required` points into it: a reload may replace it meanwhile.
  const auto policy = request.backend->scope_policy();
  const auth::Requirement required = policy->Required(request.method, tool);
  if (!required.mapped) {
    const std::string what = tool.empty() ? "method " + request.method : "tool \"" + std::string(tool) + "\"";
    return Denial{DenialKind::kForbidden,
                  "Forbidden: no scope grants the " + what + " on this route (the gateway denies what its "
                  "configuration does not map)",
                  {}};
  }
  if (required.SatisfiedBy(request.principal.scopes)) return std::nullopt;
  std::vector<std::string> scopes = required.All();
  std::string list;
  for (const std::string& s : scopes) list += (list.empty() ? "" : " ") + s;
  return Denial{DenialKind::kForbidden, "Forbidden: this request needs the scopes: " + list, std::move(scopes)};
}

}  // namespace mcpgw::pipeline
