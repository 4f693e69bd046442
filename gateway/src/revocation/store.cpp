#include "revocation/store.h"

#include "metrics/metrics.h"

namespace mcpgw::revocation {

void ReportSizes(const RevocationList& list, metrics::Metrics* metrics) {
  if (metrics == nullptr) return;
  for (Kind kind : {Kind::kJti, Kind::kSubject, Kind::kClient}) {
    metrics->SetRevocations(KindName(kind), static_cast<double>(list.size(kind)));
  }
}

}  // namespace mcpgw::revocation
