#include "transport/http/ops_endpoints.h"

#include "metrics/metrics.h"

namespace mcpgw::http {

void OpsEndpoints::Handle(const std::shared_ptr<Exchange>& exchange) const {
  const auto& req = exchange->request();
  const std::string_view target(req.target().data(), req.target().size());
  const std::string_view path = target.substr(0, target.find('?'));
  Response res{bhttp::status::ok, req.version()};
  res.set(bhttp::field::cache_control, "no-store");
  if (req.method() != bhttp::verb::get && req.method() != bhttp::verb::head) {
    res.result(bhttp::status::method_not_allowed);
    res.set(bhttp::field::allow, "GET, HEAD");
  } else if (path == "/metrics") {
    res.set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    if (refresh_) refresh_();
    res.body() = metrics_.Serialize();
  } else if (path == "/healthz") {
    res.set(bhttp::field::content_type, "text/plain");
    res.body() = "ok\n";
  } else if (path == "/readyz") {
    res.set(bhttp::field::content_type, "text/plain");
    const std::vector<std::string> reasons = not_ready_();
    if (reasons.empty()) {
      res.body() = "ready\n";
    } else {
      res.result(bhttp::status::service_unavailable);
      res.body() = "not ready:\n";
      for (const std::string& reason : reasons) res.body() += "- " + reason + "\n";
    }
  } else {
    res.result(bhttp::status::not_found);
    res.set(bhttp::field::content_type, "text/plain");
    res.body() = "not found: try /metrics, /healthz or /readyz\n";
  }
  res.prepare_payload();
  exchange->Respond(std::move(res));
}

}  // namespace mcpgw::http
