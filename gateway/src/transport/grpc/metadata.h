// What the gRPC front door reads from request metadata: the caller's
// credential (authorization or x-api-key, never a message field) and the
// x-mcp-route routing hint. Keys are lower case on the wire.
#pragma once

#include "pipeline/admission.h"

#include <grpcpp/server_context.h>

#include <string>
#include <string_view>
#include <vector>

namespace mcpgw::rpc {

inline constexpr std::string_view kRouteMetadata = "x-mcp-route";

// Every value of one metadata key.
std::vector<std::string> MetadataValues(const ::grpc::CallbackServerContext& context, std::string_view key);

// The credential metadata of a call, copied out of the call.
class CallerCredentials {
 public:
  explicit CallerCredentials(const ::grpc::CallbackServerContext& context);

  // More than one credential entry: refused, as HTTP refuses two headers.
  bool ambiguous() const { return authorization_.size() + api_key_.size() > 1; }
  // Views into this object: keep it alive while they are used.
  pipeline::Credentials view() const;

 private:
  std::vector<std::string> authorization_;
  std::vector<std::string> api_key_;
};

// The caller's address in gRPC's peer text, as the HTTP door gives a
// request's source: "ipv4:203.0.113.9:5123" is 203.0.113.9 and
// "ipv6:[2001:db8::1]:5123" is 2001:db8::1 (the port is the connection, not
// the caller: keyed by it, a per-source limit would start afresh on every
// new connection). Other forms (unix:...) are kept whole.
std::string PeerAddress(std::string_view peer);

inline constexpr char kAmbiguousCredentials[] =
    "Send exactly one credential: one authorization (Bearer) or one x-api-key metadata entry";

}  // namespace mcpgw::rpc
