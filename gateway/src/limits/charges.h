// Which rate-limit policies apply to a request, and the counter key each one
// charges it under.
//
// A policy applies when every field of its match holds: the route's name,
// the method, the tool name against the tool pattern (`*` glob, as in
// scopes; a tool match implies tools/call). Its key is the policy name and
// the request's value for each dimension it counts by, in the policy's
// order. A missing value (no client id, not a tools/call) counts as "-".
// Values are percent-escaped to a small alphabet, and a value longer than 64
// bytes once escaped is replaced by "#" and 32 hex digits of its SHA-256, so
// a key is bounded and safe in Redis and in logs. The principal carries no
// credential, so no key can contain one.
#pragma once

#include "config/config.h"
#include "limits/limiter.h"

#include <string>
#include <string_view>
#include <vector>

namespace mcpgw::limits {

// What a request offers to the match and the dimensions, as plain views.
struct RequestFacts {
  std::string_view route;
  std::string_view method;
  std::string_view tool;  // tools/call only; empty otherwise
  std::string_view subject, client, tenant, source;
};

bool Applies(const config::LimitPolicy& policy, const RequestFacts& facts);

// One value, escaped (or hashed) as it appears in a key; "-" when empty.
std::string KeyPart(std::string_view value);

// "<policy>:<part>:<part>..." (a policy without dimensions: "<policy>:*").
std::string KeyFor(const config::LimitPolicy& policy, const RequestFacts& facts);

// The charges of every applicable policy, in configuration order.
std::vector<Charge> ChargesFor(const std::vector<config::LimitPolicy>& policies, const RequestFacts& facts);

}  // namespace mcpgw::limits
