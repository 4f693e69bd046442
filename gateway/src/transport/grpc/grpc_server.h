// The gRPC listener (ADR 0018): the MCP service (and the admin service when
// given), the standard health service and server reflection, on one
// host:port, over TLS when server.tls is configured.
//
// gRPC runs its own threads; they call into the same core as the Asio I/O
// threads, and every RPC is a callback reactor, so none of them blocks.
#pragma once

#include "transport/grpc_door.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace mcpgw::rpc {

class GrpcServer {
 public:
  // Binds and starts serving `services` (not owned; they must outlive the
  // server). The health status is NOT_SERVING until SetServing(true).
  static std::variant<std::unique_ptr<GrpcServer>, std::string> Start(const GrpcServerOptions& options,
                                                                      const std::vector<::grpc::Service*>& services);
  ~GrpcServer();

  uint16_t port() const { return port_; }
  // What the standard health service answers, for "" and every service.
  void SetServing(bool serving);
  // Stops taking new calls and waits until the calls in flight are done or
  // `deadline` passes (then cancels them). Blocks: call it off the I/O threads.
  void Shutdown(std::chrono::system_clock::time_point deadline);
  // Cancels every call Shutdown still waits for (only once it has begun).
  void CancelRemaining();

 private:
  GrpcServer() = default;

  std::unique_ptr<::grpc::Server> server_;
  std::vector<std::string> service_names_;
  uint16_t port_ = 0;
  bool shut_down_ = false;
};

}  // namespace mcpgw::rpc
