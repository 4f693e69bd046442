// The operations listener: /metrics for Prometheus, /healthz (alive) and
// /readyz (ready to take traffic: plugins loaded, not draining).
#pragma once

#include "transport/http/http_server.h"

#include <atomic>
#include <functional>
#include <memory>

namespace mcpgw::http {

class OpsEndpoints {
 public:
  OpsEndpoints(metrics::Metrics& metrics, const std::atomic<bool>& ready) : metrics_(metrics), ready_(ready) {}
  void Handle(const std::shared_ptr<Exchange>& exchange) const;

 private:
  metrics::Metrics& metrics_;
  const std::atomic<bool>& ready_;
};

}  // namespace mcpgw::http
