// A stage of the request pipeline: one decision about one request.
//
//   authenticate -> audience -> revocation -> authorize -> rate limit
//   -> validate arguments -> dispatch
//
// Each stage is a small class that either lets the request continue or
// returns a Denial. The front door maps a denial to its wire form (HTTP
// status, JSON-RPC error, gRPC code), a metric and an audit line; no stage
// knows which front door asked.
#pragma once

#include "pipeline/request.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpgw::pipeline {

enum class DenialKind {
  kUnauthenticated,   // 401
  kForbidden,         // 403
  kRateLimited,       // 429
  kInvalidArguments,  // tool arguments do not match the tool's inputSchema
  kUnavailable,       // 503
};
std::string_view DenialKindName(DenialKind kind);

struct Denial {
  DenialKind kind;
  std::string message;  // safe to show the caller
  std::vector<std::string> scopes;  // kForbidden: the scopes the request needs
  // kRateLimited, kUnavailable: seconds until a retry can pass (Retry-After).
  std::chrono::seconds retry_after{0};
  // kRateLimited: the policy that refused, and every policy that applied.
  std::string policy{};
  std::vector<LimitState> limits{};
};

class Stage {
 public:
  using Done = std::function<void(std::optional<Denial>)>;

  virtual ~Stage() = default;
  virtual std::string_view name() const = 0;
  // Returns nullopt to let the request continue. Called when Waits is false.
  virtual std::optional<Denial> Check(const Request& request) const = 0;

  // True when the decision about this request needs a round trip (a store
  // such as Redis): the pipeline then calls CheckAsync instead of Check.
  virtual bool Waits(const Request& /*request*/) const { return false; }
  // Calls `done` exactly once, on any thread; `request` stays alive until then.
  virtual void CheckAsync(const Request& request, Done done) const { done(Check(request)); }
};

}  // namespace mcpgw::pipeline
