// The stdio front door: newline-delimited JSON-RPC on stdin/stdout for one
// local client, hosting one route's plugin with no network listener.
//
// Like every transport it only frames messages; the core answers them.
// Credentials, when authentication exists, come from the environment.
#pragma once

#include "mcp/core.h"
#include "pipeline/admission.h"

#include <cstdio>
#include <functional>
#include <optional>
#include <istream>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>

namespace mcpgw::mcp {
class Backend;
}

namespace mcpgw::stdio {

class StdioTransport {
 public:
  // A line longer than `max_line_bytes` (server.limits.max_body_bytes, as
  // for an HTTP body) is read to its end, kept nowhere, and answered with an
  // error.
  StdioTransport(mcp::Core& core, std::shared_ptr<mcp::Backend> backend, std::size_t max_json_depth,
                 std::size_t max_line_bytes, Principal principal);

  // Checked before each message (the credential may be revoked while the
  // server runs): a denial answers a request with a JSON-RPC error and drops
  // a notification. Set before Run.
  using Recheck = std::function<std::optional<pipeline::AdmissionDenial>(const Principal&)>;
  void RecheckEachMessage(Recheck recheck) { recheck_ = std::move(recheck); }

  // Reads stdin until EOF, answering on stdout. Returns after every request
  // in flight has been answered.
  void Run(std::istream& in, std::ostream& out);

 // Writes whole lines to stdout; also the session's server channel.
  class LineWriter;

 private:
  void HandleLine(const std::string& line, const std::shared_ptr<LineWriter>& out);
  // notifications/cancelled naming a stateless request still running.
  void CancelStateless(const nlohmann::json& params);

  mcp::Core& core_;
  std::shared_ptr<mcp::Backend> backend_;
  std::size_t max_json_depth_;
  std::size_t max_line_bytes_;
  Principal principal_;
  Recheck recheck_;
  std::shared_ptr<mcp::Session> session_;
  // Stateless-era requests still running, by id (JSON text): with no session
  // and no connection to close, notifications/cancelled is how a stdio
  // client stops one.
  std::mutex stateless_mu_;
  std::map<std::string, std::weak_ptr<mcp::Cancellable>> stateless_;
};

}  // namespace mcpgw::stdio
