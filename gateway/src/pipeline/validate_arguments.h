// Stage: do the tool arguments match the tool's inputSchema?
//
// Decides only for tools/call of a known tool; the plugin never sees
// arguments that fail here. Never looks at who is calling.
#pragma once

#include "pipeline/stage.h"

namespace mcpgw::pipeline {

class ValidateArguments final : public Stage {
 public:
  std::string_view name() const override { return "validate_arguments"; }
  std::optional<Denial> Check(const Request& request) const override;
};

}  // namespace mcpgw::pipeline
