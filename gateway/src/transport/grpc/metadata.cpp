#include "transport/grpc/metadata.h"

#include "schema/uri.h"

namespace mcpgw::rpc {

std::vector<std::string> MetadataValues(const ::grpc::CallbackServerContext& context, std::string_view key) {
  std::vector<std::string> out;
  const auto& md = context.client_metadata();
  for (auto [it, end] = md.equal_range(::grpc::string_ref(key.data(), key.size())); it != end; ++it) {
    out.emplace_back(it->second.data(), it->second.size());
  }
  return out;
}

CallerCredentials::CallerCredentials(const ::grpc::CallbackServerContext& context)
    : authorization_(MetadataValues(context, "authorization")), api_key_(MetadataValues(context, "x-api-key")) {}

pipeline::Credentials CallerCredentials::view() const {
  pipeline::Credentials credentials;
  if (!authorization_.empty()) credentials.authorization = authorization_.front();
  if (!api_key_.empty()) credentials.api_key = api_key_.front();
  return credentials;
}

std::string PeerAddress(std::string_view peer) {
  if (peer.starts_with("ipv4:")) {
    const std::string_view rest = peer.substr(5);
    return std::string(rest.substr(0, rest.rfind(':')));
  }
  if (peer.starts_with("ipv6:")) {
    // gRPC writes the peer as a URI: "ipv6:%5B::1%5D:39704" (1.51), or with
    // the brackets as they are in other versions (then a zone's % is bare).
    const std::string_view rest = peer.substr(5);
    const auto literal = rest.starts_with('[') ? rest.find(']') : std::string_view::npos;
    if (literal != std::string_view::npos) return std::string(rest.substr(1, literal - 1));
    const auto decoded = schema::detail::PercentDecode(rest);
    if (decoded && decoded->starts_with('[')) {
      const auto close = decoded->find(']');
      if (close != std::string::npos) return decoded->substr(1, close - 1);
    }
  }
  return std::string(peer);
}

}  // namespace mcpgw::rpc
