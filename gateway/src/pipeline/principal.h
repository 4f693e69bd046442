// Who is calling, as established by the pipeline's authentication stage.
// This is what plugins see instead of a credential.
#pragma once

#include <string>
#include <vector>

namespace mcpgw {

struct Principal {
  std::string subject;
  std::string tenant;
  std::string client_id;
  std::vector<std::string> scopes;

  bool operator==(const Principal&) const = default;
};

// The caller on a loopback-only gateway before the authentication stage
// exists: the machine's local user, in the default tenant.
inline Principal LocalUserPrincipal() { return Principal{"local-user", "default", "", {}}; }

}  // namespace mcpgw
