#include "auth/challenge.h"

namespace mcpgw::auth {
namespace {

std::size_t PathStart(std::string_view uri) {
  const std::size_t authority = uri.find("://");
  const std::size_t path = authority == std::string_view::npos ? std::string_view::npos : uri.find('/', authority + 3);
  return path == std::string_view::npos ? uri.size() : path;
}

std::string Joined(const std::vector<std::string>& scopes) {
  std::string out;
  for (const std::string& s : scopes) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

}  // namespace

std::string ResourceMetadataUrl(std::string_view resource) {
  const std::size_t path = PathStart(resource);
  std::string url(resource.substr(0, path));
  url += kProtectedResourcePath;
  url += resource.substr(path);
  return url;
}

std::string_view PathOfUri(std::string_view uri) { return uri.substr(PathStart(uri)); }

std::string UnauthorizedChallenge(std::string_view resource, const std::vector<std::string>& scopes,
                                  bool invalid_token) {
  std::string challenge = "Bearer resource_metadata=\"" + ResourceMetadataUrl(resource) + "\"";
  if (!scopes.empty()) challenge += ", scope=\"" + Joined(scopes) + "\"";
  if (invalid_token) challenge += ", error=\"invalid_token\"";
  return challenge;
}

std::string InsufficientScopeChallenge(std::string_view resource, const std::vector<std::string>& required) {
  std::string challenge = "Bearer error=\"insufficient_scope\"";
  if (!required.empty()) challenge += ", scope=\"" + Joined(required) + "\"";
  challenge += ", resource_metadata=\"" + ResourceMetadataUrl(resource) + "\"";
  return challenge;
}

}  // namespace mcpgw::auth
