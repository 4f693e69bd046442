// The gRPC admin service (proto/mcpgw/admin/v1/admin.proto, ADR 0018): the
// HTTP admin API's operations on the same admin::AdminService, which
// authorizes the caller (admin audience and scope, or an admin API key),
// validates, acts and audits. This only translates: metadata to
// credentials, messages to the service's requests, its results to the
// same JSON as the HTTP bodies (admin/views.h) and its problems to statuses.
#pragma once

#include "admin/admin_service.h"
#include "transport/grpc/call.h"

#include "mcpgw/admin/v1/admin.grpc.pb.h"

#include <functional>
#include <memory>
#include <string_view>

namespace mcpgw::metrics {
class Metrics;
}

namespace mcpgw::rpc {

namespace admin_v1 = ::mcpgw::admin::v1;

class AdminGrpcService final : public admin_v1::Admin::CallbackService {
 public:
  AdminGrpcService(admin::AdminService& service, metrics::Metrics* metrics) : service_(service), metrics_(metrics) {}

  ::grpc::ServerUnaryReactor* Revoke(::grpc::CallbackServerContext* context, const admin_v1::RevokeRequest* request,
                                     admin_v1::RevokeResponse* response) override;
  ::grpc::ServerUnaryReactor* ListRevocations(::grpc::CallbackServerContext* context,
                                              const admin_v1::ListRevocationsRequest* request,
                                              admin_v1::ListRevocationsResponse* response) override;
  ::grpc::ServerUnaryReactor* Withdraw(::grpc::CallbackServerContext* context, const admin_v1::WithdrawRequest* request,
                                       admin_v1::WithdrawResponse* response) override;
  ::grpc::ServerUnaryReactor* GetLimitState(::grpc::CallbackServerContext* context,
                                            const admin_v1::GetLimitStateRequest* request,
                                            admin_v1::GetLimitStateResponse* response) override;
  ::grpc::ServerUnaryReactor* ListPlugins(::grpc::CallbackServerContext* context,
                                          const admin_v1::ListPluginsRequest* request,
                                          admin_v1::ListPluginsResponse* response) override;
  ::grpc::ServerUnaryReactor* ListRoutes(::grpc::CallbackServerContext* context,
                                         const admin_v1::ListRoutesRequest* request,
                                         admin_v1::ListRoutesResponse* response) override;
  ::grpc::ServerUnaryReactor* Reload(::grpc::CallbackServerContext* context, const admin_v1::ReloadRequest* request,
                                     admin_v1::ReloadResponse* response) override;

 private:
  // Authorizes the caller for `action` (audited as the HTTP door audits it),
  // then runs `act` with the caller's principal.
  ::grpc::ServerUnaryReactor* Authorized(std::string_view rpc, std::string_view action, nlohmann::json target,
                                         ::grpc::CallbackServerContext* context, google::protobuf::Message* response,
                                         std::function<void(const Principal&, const std::shared_ptr<Call>&)> act);

  admin::AdminService& service_;
  metrics::Metrics* metrics_;
};

}  // namespace mcpgw::rpc
