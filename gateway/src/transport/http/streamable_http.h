// The MCP Streamable HTTP front door, both protocol eras on one endpoint
// per route.
//
// Translates HTTP to pipeline::Request and core replies back to HTTP: picks
// the era of each request, checks the transport's own rules (Origin,
// headers, session ids, Accept, content type), and chooses per request
// between a JSON answer and an SSE stream. It makes no authorization,
// limiting or routing decision of its own.
#pragma once

#include "mcp/core.h"
#include "mcp/route_table.h"
#include "mcp/session_registry.h"
#include "net/cidr.h"
#include "pipeline/admission.h"
#include "transport/http/http_server.h"
#include "timing/timeout_list.h"
#include "transport/http/origin_policy.h"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpgw::mcp {
class Backend;
}

namespace mcpgw::http {

struct StreamableHttpOptions {
  std::size_t max_json_depth = 64;
  uint32_t sse_retry_ms = 1'000;
  std::size_t event_buffer = 1'024;
  // A session-era request still running after this long has its POST stream
  // closed after a priming event; the client resumes with Last-Event-ID
  // (SEP-1699 polling). 0 disables.
  std::chrono::milliseconds poll_after{55'000};
  // With authentication (admission set): the issuers listed as
  // authorization_servers in each route's protected-resource metadata.
  std::vector<std::string> authorization_servers;
  // server.trusted_proxies: peers whose X-Forwarded-For names the source address.
  std::vector<mcpgw::net::Cidr> trusted_proxies;
};

class StreamableHttpEndpoint {
 public:
  // `routes` is read at each request (a reload replaces what it holds).
  StreamableHttpEndpoint(mcp::Core& core, const mcp::RouteTable& routes, OriginPolicy origin_policy, StreamableHttpOptions options, timing::TimeoutList& timeouts,
                         metrics::Metrics* metrics, const pipeline::Admission* admission);

  // The http::Handler for the main listener.
  void Handle(const std::shared_ptr<Exchange>& exchange);
  // Its ServerOptions::refusal: a JSON-RPC Invalid Request error (no id, as
  // jsonrpc::MakeError writes every error without a known id).
  static RefusalAnswer Refuse(const Refusal& refusal);

 private:
  // The caller's principal; nullopt once a 401/400 was answered, or while
  // introspection decides (it then calls Serve itself).
  std::optional<Principal> Admit(const std::shared_ptr<mcp::Backend>& backend, const std::shared_ptr<Exchange>& exchange);
  // Accounts for an admission outcome: the principal, or the 401 answered.
  std::optional<Principal> Decide(const mcp::Backend& backend, const std::shared_ptr<Exchange>& exchange,
                                  pipeline::Admission::Outcome admitted);
  // Hands an admitted request to its method's handler.
  void Serve(const std::shared_ptr<mcp::Backend>& backend, Principal principal,
             const std::shared_ptr<Exchange>& exchange);
  // RFC 9728 metadata at /.well-known/oauth-protected-resource<route path>.
  void ProtectedResourceMetadata(std::string_view route_path, const std::shared_ptr<Exchange>& exchange);
  // Accounts for a session id that was not accepted (and audits one minted
  // for another caller).
  void SessionRefused(const mcp::Backend& backend, const mcp::SessionRegistry::Lookup& found,
                      const Principal& principal);
  void Post(const std::shared_ptr<mcp::Backend>& backend, Principal principal,
            const std::shared_ptr<Exchange>& exchange);
  void Get(mcp::Backend& backend, const Principal& principal, const std::shared_ptr<Exchange>& exchange);
  void Delete(mcp::Backend& backend, const Principal& principal, const std::shared_ptr<Exchange>& exchange);

  mcp::Core& core_;
  const mcp::RouteTable& routes_;
  OriginPolicy origin_policy_;
  StreamableHttpOptions options_;
  timing::TimeoutList& timeouts_;
  metrics::Metrics* metrics_;
  const pipeline::Admission* admission_;  // null: loopback-only, no authentication configured
};

}  // namespace mcpgw::http
