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
  // `refresh` runs before each scrape to sample gauges that are cheaper to
  // read on demand than to keep current on every request.
  OpsEndpoints(metrics::Metrics& metrics, const std::atomic<bool>& ready, std::function<void()> refresh)
      : metrics_(metrics), ready_(ready), refresh_(std::move(refresh)) {}
  void Handle(const std::shared_ptr<Exchange>& exchange) const;

 private:
  metrics::Metrics& metrics_;
  const std::atomic<bool>& ready_;
  std::function<void()> refresh_;
};

}  // namespace mcpgw::http
