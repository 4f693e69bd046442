#include "transport/grpc/admin_service.h"

#include "admin/views.h"
#include "revocation/entry_codec.h"
#include "transport/grpc/metadata.h"

namespace mcpgw::rpc {
namespace {

using json = nlohmann::json;

::grpc::StatusCode CodeOf(admin::Status status) {
  switch (status) {
    case admin::Status::kOk:
    case admin::Status::kCreated:
    case admin::Status::kDeleted: return ::grpc::StatusCode::OK;
    case admin::Status::kInvalidArgument: return ::grpc::StatusCode::INVALID_ARGUMENT;
    case admin::Status::kNotFound: return ::grpc::StatusCode::NOT_FOUND;
    case admin::Status::kUnauthenticated: return ::grpc::StatusCode::UNAUTHENTICATED;
    case admin::Status::kForbidden: return ::grpc::StatusCode::PERMISSION_DENIED;
    case admin::Status::kUnavailable: return ::grpc::StatusCode::UNAVAILABLE;
    case admin::Status::kFailed: return ::grpc::StatusCode::INTERNAL;
  }
  return ::grpc::StatusCode::UNKNOWN;
}

Answer AnswerOf(const admin::Problem& problem) { return Refusal(CodeOf(problem.status), problem.message); }

// The service's result as {key: json}, or its problem.
template <class T, class ToJson>
Answer AnswerOf(const admin::Result<T>& result, const char* key, ToJson to_json) {
  if (const admin::Problem* p = admin::ProblemOf(result)) return AnswerOf(*p);
  Answer answer;
  answer.result = json{{key, to_json(std::get<T>(result))}};
  return answer;
}

}  // namespace

::grpc::ServerUnaryReactor* AdminGrpcService::Authorized(
    std::string_view rpc, std::string_view action, json target, ::grpc::CallbackServerContext* context,
    google::protobuf::Message* response, std::function<void(const Principal&, const std::shared_ptr<Call>&)> act) {
  auto call = std::make_shared<UnaryCall>(rpc, metrics_, context, response);
  ::grpc::ServerUnaryReactor* reactor = call->Bind();
  auto caller = std::make_shared<const CallerCredentials>(*context);
  if (caller->ambiguous()) {
    call->Finish(Refusal(::grpc::StatusCode::UNAUTHENTICATED, kAmbiguousCredentials));
    return reactor;
  }
  // `caller` stays alive until the answer: the credential views point into it.
  service_.Authorize(caller->view(), action, target,
                     [call, caller, act = std::move(act)](admin::Result<Principal> authorized) {
                       if (const admin::Problem* p = admin::ProblemOf(authorized)) return call->Finish(AnswerOf(*p));
                       act(std::get<Principal>(authorized), call);
                     });
  return reactor;
}

::grpc::ServerUnaryReactor* AdminGrpcService::Revoke(::grpc::CallbackServerContext* context,
                                                     const admin_v1::RevokeRequest* request,
                                                     admin_v1::RevokeResponse* response) {
  admin::RevokeRequest revoke;
  revoke.kind = request->kind();
  revoke.value = request->value();
  revoke.reason = request->reason();
  if (request->has_until()) revoke.until = request->until();
  if (request->has_before()) revoke.before = request->before();
  return Authorized("Revoke", "revoke", nullptr, context, response,
                    [this, revoke = std::move(revoke)](const Principal& principal, const std::shared_ptr<Call>& call) {
                      service_.Revoke(principal, revoke, [call](admin::Result<revocation::Entry> r) {
                        call->Finish(AnswerOf(r, "entry", revocation::EntryToJson));
                      });
                    });
}

::grpc::ServerUnaryReactor* AdminGrpcService::ListRevocations(::grpc::CallbackServerContext* context,
                                                              const admin_v1::ListRevocationsRequest*,
                                                              admin_v1::ListRevocationsResponse* response) {
  return Authorized("ListRevocations", "list_revocations", nullptr, context, response,
                    [this](const Principal& principal, const std::shared_ptr<Call>& call) {
                      call->Finish(AnswerOf(service_.ListRevocations(principal), "result", admin::RevocationsJson));
                    });
}

::grpc::ServerUnaryReactor* AdminGrpcService::Withdraw(::grpc::CallbackServerContext* context,
                                                       const admin_v1::WithdrawRequest* request,
                                                       admin_v1::WithdrawResponse* response) {
  std::string kind = request->kind(), value = request->value();
  json target{{"kind", kind}, {"value", value}};
  return Authorized("Withdraw", "withdraw", std::move(target), context, response,
                    [this, kind, value](const Principal& principal, const std::shared_ptr<Call>& call) {
                      service_.Withdraw(principal, kind, value, [call](admin::Result<std::monostate> r) {
                        if (const admin::Problem* p = admin::ProblemOf(r)) return call->Finish(AnswerOf(*p));
                        call->Finish(Answer{::grpc::Status::OK, json::object(), std::nullopt, {}});
                      });
                    });
}

::grpc::ServerUnaryReactor* AdminGrpcService::GetLimitState(::grpc::CallbackServerContext* context,
                                                            const admin_v1::GetLimitStateRequest* request,
                                                            admin_v1::GetLimitStateResponse* response) {
  std::string policy = request->policy();
  std::map<std::string, std::string> key(request->key().begin(), request->key().end());
  return Authorized("GetLimitState", "peek_limit", json{{"policy", policy}}, context, response,
                    [this, policy, key](const Principal& principal, const std::shared_ptr<Call>& call) {
                      service_.PeekLimit(principal, policy, key, [call, key](admin::Result<limits::PolicyState> r) {
                        call->Finish(AnswerOf(r, "result",
                                              [&key](const limits::PolicyState& s) { return admin::StateJson(s, key); }));
                      });
                    });
}

::grpc::ServerUnaryReactor* AdminGrpcService::ListPlugins(::grpc::CallbackServerContext* context,
                                                          const admin_v1::ListPluginsRequest*,
                                                          admin_v1::ListPluginsResponse* response) {
  return Authorized("ListPlugins", "list_plugins", nullptr, context, response,
                    [this](const Principal& principal, const std::shared_ptr<Call>& call) {
                      call->Finish(AnswerOf(service_.ListPlugins(principal), "result", admin::PluginsJson));
                    });
}

::grpc::ServerUnaryReactor* AdminGrpcService::ListRoutes(::grpc::CallbackServerContext* context,
                                                         const admin_v1::ListRoutesRequest*,
                                                         admin_v1::ListRoutesResponse* response) {
  return Authorized("ListRoutes", "list_routes", nullptr, context, response,
                    [this](const Principal& principal, const std::shared_ptr<Call>& call) {
                      call->Finish(AnswerOf(service_.ListRoutes(principal), "result", admin::RoutesJson));
                    });
}

::grpc::ServerUnaryReactor* AdminGrpcService::Reload(::grpc::CallbackServerContext* context,
                                                     const admin_v1::ReloadRequest*, admin_v1::ReloadResponse* response) {
  return Authorized("Reload", "reload", nullptr, context, response,
                    [this](const Principal& principal, const std::shared_ptr<Call>& call) {
                      call->Finish(AnswerOf(service_.Reload(principal), "result", admin::ReloadJson));
                    });
}

}  // namespace mcpgw::rpc
