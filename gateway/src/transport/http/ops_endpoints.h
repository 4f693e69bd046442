// The operations listener: /metrics for Prometheus, /healthz (alive) and
// /readyz (ready to take traffic: started and not draining, Redis answering
// where a fail-closed policy needs it, every trusted issuer's keys loaded).
#pragma once

#include "transport/http/http_server.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mcpgw::http {

class OpsEndpoints {
 public:
  // What keeps the gateway from being ready, one short reason each; empty
  // when ready.
  using NotReady = std::function<std::vector<std::string>()>;

  // `refresh` runs before each scrape to sample gauges that are cheaper to
  // read on demand than to keep current on every request.
  OpsEndpoints(metrics::Metrics& metrics, NotReady not_ready, std::function<void()> refresh)
      : metrics_(metrics), not_ready_(std::move(not_ready)), refresh_(std::move(refresh)) {}
  void Handle(const std::shared_ptr<Exchange>& exchange) const;

 private:
  metrics::Metrics& metrics_;
  NotReady not_ready_;
  std::function<void()> refresh_;
};

}  // namespace mcpgw::http
