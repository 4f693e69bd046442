// The admin API over HTTP/1.1 and JSON, on its own listener: a thin adapter
// that maps paths and bodies to AdminService calls and results to status
// codes. Decides nothing an operator could not also get over gRPC.
//
//   POST   /admin/v1/revocations                  {"kind","value","until"|"before","reason"} -> 201 entry
//   GET    /admin/v1/revocations                  -> 200 {"revocations":[...], "fresh", "since_sync_s"}
//   DELETE /admin/v1/revocations/<kind>/<value>   -> 204, or 404
//   GET    /admin/v1/limits/<policy>?subject=..   -> 200 policy state (nothing charged)
//   GET    /admin/v1/plugins, /admin/v1/routes    -> 200 {"plugins"|"routes":[...]}
//   POST   /admin/v1/reload                       -> 200 {"ok":true,"steps"}, or 500 with the steps
//
// Errors are {"error": code, "message": text} with 400, 401 (with a Bearer
// challenge), 403 (insufficient_scope), 404, 405 (with Allow), 413, 415 or
// 503. The path is matched and the method checked first, then the caller is
// authorized, and only then is the body read.
#pragma once

#include "admin/admin_service.h"
#include "transport/http/http_server.h"

#include <memory>

namespace mcpgw::admin {

inline constexpr std::size_t kMaxAdminBodyBytes = 64 * 1024;

class HttpEndpoint {
 public:
  explicit HttpEndpoint(AdminService& service) : service_(service) {}
  void Handle(const std::shared_ptr<http::Exchange>& exchange);
  // The admin listener's ServerOptions::refusal: the API's error format, and
  // an audit line when the request's header named an action (a body over the
  // listener's limit), so no refused action goes unaudited.
  http::RefusalAnswer Refuse(const http::Refusal& refusal);

 private:
  AdminService& service_;
};

}  // namespace mcpgw::admin
