// What every network front door records about an admission outcome, the
// same way: the authentication metric, and for a refusal the rejection
// metric and an auth_refused audit line naming the credential only by its
// credential_id (never the credential).
#pragma once

#include "pipeline/admission.h"

#include <string_view>

namespace mcpgw::metrics {
class Metrics;
}

namespace mcpgw::transport {

void RecordAdmission(const pipeline::Admission::Outcome& outcome, std::string_view route, std::string_view source,
                     metrics::Metrics* metrics);

}  // namespace mcpgw::transport
