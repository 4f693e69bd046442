// grpc_door.so's entry point (ADR 0023): builds the services and the server
// of transport/grpc/ from the parts the gateway hands over.
#include "transport/grpc/admin_service.h"
#include "transport/grpc/grpc_server.h"
#include "transport/grpc/mcp_service.h"
#include "transport/grpc_door.h"

#include <exception>

namespace mcpgw::rpc {
namespace {

class Door final : public GrpcDoor {
 public:
  explicit Door(const GrpcDoorParts& parts)
      : mcp_(std::make_unique<McpService>(*parts.core, *parts.routes, parts.admission, parts.metrics,
                                        parts.trusted_proxies)) {
    if (parts.admin != nullptr) admin_ = std::make_unique<AdminGrpcService>(*parts.admin, parts.metrics);
  }

  std::string Start(const GrpcDoorParts& parts) {
    std::vector<::grpc::Service*> services{mcp_.get()};
    if (admin_) services.push_back(admin_.get());
    auto started = GrpcServer::Start(parts.server, services);
    if (auto* error = std::get_if<std::string>(&started)) return *error;
    server_ = std::get<std::unique_ptr<GrpcServer>>(std::move(started));
    return "";
  }

  uint16_t port() const override { return server_->port(); }
  void SetServing(bool serving) override { server_->SetServing(serving); }
  void Shutdown(std::chrono::system_clock::time_point deadline) override { server_->Shutdown(deadline); }
  void CancelRemaining() override { server_->CancelRemaining(); }

 private:
  // The server goes first: its calls use the services.
  std::unique_ptr<McpService> mcp_;
  std::unique_ptr<AdminGrpcService> admin_;
  std::unique_ptr<GrpcServer> server_;
};

}  // namespace
}  // namespace mcpgw::rpc

extern "C" __attribute__((visibility("default"))) mcpgw::rpc::GrpcDoor* mcpgw_start_grpc_door(
    const mcpgw::rpc::GrpcDoorParts* parts, std::string* error) {
  try {
    auto door = std::make_unique<mcpgw::rpc::Door>(*parts);
    if (std::string why = door->Start(*parts); !why.empty()) {
      *error = std::move(why);
      return nullptr;
    }
    return door.release();
  } catch (const std::exception& e) {
    *error = std::string("the gRPC door failed to start: ") + e.what();
    return nullptr;
  }
}
