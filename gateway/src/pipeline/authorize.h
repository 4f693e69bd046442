// The authorize stage: does the principal hold every scope its request needs
// on this route (auth::ScopePolicy)? Denied requests end as 403 with an
// insufficient_scope challenge naming the scopes; nothing reaches a plugin.
//
// Installed only when authentication is configured: without it the gateway
// serves the loopback's local user, who holds no scopes.
#pragma once

#include "pipeline/stage.h"

namespace mcpgw::pipeline {

class Authorize : public Stage {
 public:
  std::string_view name() const override { return "authorize"; }
  std::optional<Denial> Check(const Request& request) const override;
};

}  // namespace mcpgw::pipeline
