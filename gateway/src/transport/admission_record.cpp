#include "transport/admission_record.h"

#include "audit/audit.h"
#include "metrics/metrics.h"

namespace mcpgw::transport {

void RecordAdmission(const pipeline::Admission::Outcome& outcome, std::string_view route, std::string_view source,
                     metrics::Metrics* metrics) {
  if (const auto* principal = std::get_if<Principal>(&outcome)) {
    if (metrics) metrics->RecordAuthentication(principal->method, "ok");
    return;
  }
  const auto& denial = std::get<pipeline::AdmissionDenial>(outcome);
  if (metrics) {
    metrics->RecordRejected("unauthenticated");
    metrics->RecordAuthentication(denial.method.empty() ? "none" : denial.method, denial.reason);
  }
  audit::Record("auth_refused", {{"route", route},
                                 {"reason", denial.reason},
                                 {"method", denial.method},
                                 {"credential_id", denial.credential_id},
                                 {"source", source}});
}

}  // namespace mcpgw::transport
