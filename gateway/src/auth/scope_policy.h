// Which scopes a request needs on one route (issue 3, "scopes per tool").
//
// Compiled once from a route's `scopes:` section. Every MCP method belongs
// to a class (list, read, call, admin) or needs no scope (the protocol's own
// plumbing: initialize, ping, server/discover); a tools/call needs the call
// class's scopes and its tool's. A class or tool without an entry is denied:
// authorization defaults to no.
//
// Tool entries are matched exact name first, then patterns with `*` from the
// most specific (most literal characters) to the least, ties in
// configuration order.
#pragma once

#include "config/config.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpgw::auth {

enum class MethodClass { kNone, kList, kRead, kCall, kAdmin };

// The class of an MCP request method; kNone for the protocol's plumbing and
// for methods the gateway does not serve (they end as "method not found").
MethodClass ClassOf(std::string_view method);
std::string_view MethodClassName(MethodClass c);

// What one request needs: views into its ScopePolicy, which must outlive it
// (no copy on the request path).
struct Requirement {
  bool mapped = true;  // false: nothing grants it, deny
  const std::vector<std::string>* class_scopes = nullptr;
  const std::vector<std::string>* tool_scopes = nullptr;  // tools/call only

  // True when `granted` holds every required scope.
  bool SatisfiedBy(const std::vector<std::string>& granted) const;
  // Every required scope, class scopes first, each once.
  std::vector<std::string> All() const;
};

class ScopePolicy {
 public:
  ScopePolicy() = default;
  explicit ScopePolicy(const config::RouteScopes& scopes);

  // `tool` is the tools/call tool name (empty for other methods).
  Requirement Required(std::string_view method, std::string_view tool) const;

  // True when `granted` would be allowed a tools/call of `tool`: what
  // tools/list shows a caller.
  bool MayCall(std::string_view tool, const std::vector<std::string>& granted) const;

  // True when a tools/call may need other scopes under `other` than here
  // (the call class or a tool entry differs): what tools/list shows changes.
  bool CallsDifferFrom(const config::RouteScopes& other) const;

  // Every scope this route mentions, sorted and unique (RFC 9728
  // scopes_supported, and the `scope` of a 401 challenge).
  const std::vector<std::string>& supported() const { return supported_; }

 private:
  const config::ToolScopes* FindTool(std::string_view tool) const;

  std::optional<std::vector<std::string>> classes_[5];  // by MethodClass; kNone unused
  std::vector<config::ToolScopes> exact_;
  std::vector<config::ToolScopes> patterns_;  // most specific first
  std::vector<std::string> supported_;
  std::vector<config::ToolScopes> tools_;  // in configuration order, for CallsDifferFrom
};

// True when `granted` holds every scope of `required`.
bool HasAllScopes(const std::vector<std::string>& granted, const std::vector<std::string>& required);

// `*` matches any run of characters (also none); everything else literally.
bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace mcpgw::auth
