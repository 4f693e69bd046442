// The gRPC front door (ADR 0018), loaded from its own shared object, only
// when server.grpc is configured (ADR 0023): a gateway that serves no gRPC
// maps none of gRPC, protobuf or Abseil (about 5 MB of its idle RSS).
//
// The module (grpc_door.so, next to the executable) is built from
// transport/grpc/; it calls into the core through the executable's own
// symbols (exported), so both share one copy of every piece of state.
#pragma once

#include "config/config.h"
#include "net/cidr.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace mcpgw {
namespace mcp {
class Core;
class RouteTable;
}  // namespace mcp
namespace pipeline {
class Admission;
}  // namespace pipeline
namespace metrics {
class Metrics;
}  // namespace metrics
namespace admin {
class AdminService;
}  // namespace admin
}  // namespace mcpgw

namespace mcpgw::rpc {

// Where and how the door listens.
struct GrpcServerOptions {
  config::Endpoint listen;
  const config::Tls* tls = nullptr;  // null or not configured: plaintext (loopback, or behind a TLS proxy)
  std::size_t max_message_bytes = 4 * 1024 * 1024;
};

// What the door serves, all owned by the gateway and outliving the door.
struct GrpcDoorParts {
  mcp::Core* core = nullptr;
  const mcp::RouteTable* routes = nullptr;
  const pipeline::Admission* admission = nullptr;  // null: no auth: section (loopback only)
  metrics::Metrics* metrics = nullptr;
  admin::AdminService* admin = nullptr;  // null: no admin service on this listener
  // server.trusted_proxies: peers whose x-forwarded-for metadata names the
  // caller's address (as X-Forwarded-For does over HTTP).
  std::vector<net::Cidr> trusted_proxies;
  GrpcServerOptions server;
};

// A listening gRPC door: the MCP service, the admin service when given, the
// standard health service and reflection.
class GrpcDoor {
 public:
  virtual ~GrpcDoor() = default;
  virtual uint16_t port() const = 0;
  // What the health service answers, for "" and every service.
  virtual void SetServing(bool serving) = 0;
  // Stops taking calls and waits for those in flight until `deadline`
  // (then cancels them). Blocks: call it off the I/O threads.
  virtual void Shutdown(std::chrono::system_clock::time_point deadline) = 0;
  // After Shutdown began: cancels what it still waits for at once. The
  // drain calls it when nothing of its own is in flight any more, so calls
  // gRPC holds that never delivered a request do not keep the process up
  // until the drain deadline.
  virtual void CancelRemaining() = 0;
};

// Loads the module (once; it stays loaded) from `module_path`, or from next
// to the executable when empty, and starts the door. An error says what to do.
std::variant<std::unique_ptr<GrpcDoor>, std::string> StartGrpcDoor(const GrpcDoorParts& parts,
                                                                   const std::string& module_path = "");

// The module's one entry point: a started door, or null and why.
using StartGrpcDoorFn = GrpcDoor* (*)(const GrpcDoorParts* parts, std::string* error);
inline constexpr char kStartGrpcDoorSymbol[] = "mcpgw_start_grpc_door";
inline constexpr char kGrpcDoorModule[] = "grpc_door.so";

}  // namespace mcpgw::rpc
