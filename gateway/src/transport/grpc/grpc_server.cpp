#include "transport/grpc/grpc_server.h"

#include "os/file.h"

#include <grpc/grpc.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>

namespace mcpgw::rpc {
namespace {

constexpr int kMaxConcurrentStreams = 1000;

// gRPC's SSL credentials from server.tls: the same certificate and key as
// the HTTPS listener, and its client-certificate rule. gRPC never
// negotiates below TLS 1.2.
std::variant<std::shared_ptr<::grpc::ServerCredentials>, std::string> TlsCredentials(const config::Tls& tls) {
  // A file's text, or the message naming the key and the file.
  const auto read = [](const std::string& key, const std::string& path, std::string* out) -> std::string {
    std::string error;
    auto text = os::ReadFile(path, &error);
    if (!text) return "server.tls." + key + ": " + error;
    *out = std::move(*text);
    return "";
  };
  ::grpc::SslServerCredentialsOptions options;
  ::grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  if (std::string error = read("cert_file", tls.cert_file, &pair.cert_chain); !error.empty()) return error;
  if (std::string error = read("key_file", tls.key_file, &pair.private_key); !error.empty()) return error;
  options.pem_key_cert_pairs.push_back(std::move(pair));
  switch (tls.client_certificates) {
    case config::ClientCertificates::kNone:
      options.client_certificate_request = GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE;
      break;
    case config::ClientCertificates::kOptional:
      options.client_certificate_request = GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY;
      break;
    case config::ClientCertificates::kRequire:
      options.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
      break;
  }
  if (!tls.client_ca_file.empty()) {
    if (std::string error = read("client_ca_file", tls.client_ca_file, &options.pem_root_certs); !error.empty()) {
      return error;
    }
  }
  return ::grpc::SslServerCredentials(options);
}

}  // namespace

std::variant<std::unique_ptr<GrpcServer>, std::string> GrpcServer::Start(
    const GrpcServerOptions& options, const std::vector<::grpc::Service*>& services) {
  std::shared_ptr<::grpc::ServerCredentials> credentials = ::grpc::InsecureServerCredentials();
  if (options.tls != nullptr && options.tls->configured) {
    auto made = TlsCredentials(*options.tls);
    if (auto* error = std::get_if<std::string>(&made)) return *error;
    credentials = std::get<std::shared_ptr<::grpc::ServerCredentials>>(std::move(made));
  }
  // Process-wide switches; both only take effect for servers built after them.
  ::grpc::EnableDefaultHealthCheckService(true);
  ::grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<GrpcServer> server(new GrpcServer());
  ::grpc::ServerBuilder builder;
  int port = 0;
  const std::string address = options.listen.ToString();
  builder.AddListeningPort(address, credentials, &port);
  builder.SetMaxReceiveMessageSize(static_cast<int>(options.max_message_bytes));
  // Streams a connection may hold open at once (HTTP/2 SETTINGS): a client
  // that opens calls and never sends their request cannot pile them up.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, kMaxConcurrentStreams);
  for (::grpc::Service* service : services) builder.RegisterService(service);
  server->server_ = builder.BuildAndStart();
  if (!server->server_ || port == 0) return "server.grpc.listen: cannot listen on " + address;
  server->port_ = static_cast<uint16_t>(port);
  server->SetServing(false);
  return server;
}

GrpcServer::~GrpcServer() {
  // Any call still open is cancelled now; Wait returns once gRPC's threads
  // are done with the services.
  if (server_) {
    if (!shut_down_) server_->Shutdown(std::chrono::system_clock::now());
    server_->Wait();
  }
}

void GrpcServer::SetServing(bool serving) {
  if (auto* health = server_->GetHealthCheckService()) health->SetServingStatus(serving);
}

void GrpcServer::CancelRemaining() { grpc_server_cancel_all_calls(server_->c_server()); }

void GrpcServer::Shutdown(std::chrono::system_clock::time_point deadline) {
  SetServing(false);
  shut_down_ = true;
  server_->Shutdown(deadline);
}

}  // namespace mcpgw::rpc
