// One route: a plugin instance served as its own MCP server, with its own
// canonical resource URI, tool catalog, sessions and change listeners.
#pragma once

#include "auth/scope_policy.h"
#include "config/config.h"
#include "mcp/session_registry.h"
#include "mcp/tool_catalog.h"
#include "plugin/plugin_instance.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace mcpgw::mcp {

using json = nlohmann::json;

// A stateless-era subscriptions/listen stream: what it asked for and where
// its notifications go.
class Listener {
 public:
  struct Filter {
    bool tools = false, prompts = false, resources = false;
    std::set<std::string> resource_uris;
  };
  Listener(Filter filter, json subscription_id, std::function<void(const json&)> send)
      : filter_(std::move(filter)), subscription_id_(std::move(subscription_id)), send_(std::move(send)) {}
  const Filter& filter() const { return filter_; }
  // Sends `method` with `params`, tagged with this subscription's id.
  void Notify(const std::string& method, json params) const;

 private:
  Filter filter_;
  json subscription_id_;
  std::function<void(const json&)> send_;
};

// Owned through std::shared_ptr (the route table, requests in flight and
// plugin callbacks share it; see mcp/route_table.h).
class Backend : public std::enable_shared_from_this<Backend> {
 public:
  Backend(const config::Route& route, plugin::PluginInstance* plugin,
          std::shared_ptr<const session::SessionIdCodec> codec, metrics::Metrics* metrics);

  const std::string& name() const { return route_.name; }
  const std::string& path() const { return route_.path; }
  const std::string& resource() const { return route_.resource; }
  const std::string& instructions() const { return route_.instructions; }
  const std::string& plugin_name() const { return route_.plugin; }
  // Whether this backend serves `route` as configured: the same name, path,
  // resource, plugin and instructions (the scopes are replaced in place).
  bool Serves(const config::Route& route) const;
  // The scopes this route requires; replaced on reload, so callers hold the
  // snapshot they read for as long as they use it.
  std::shared_ptr<const auth::ScopePolicy> scope_policy() const { return scope_policy_.load(); }
  // When what a tools/call needs changed and calls are authorized (`auth:`),
  // so did what tools/list shows a caller (ADR 0026): the route's sessions
  // and listeners hear notifications/tools/list_changed. Without `auth:` the
  // list does not depend on scopes and nobody is told.
  void ReplaceScopes(const config::RouteScopes& scopes, bool authorized);
  plugin::PluginInstance& plugin() { return *plugin_; }
  ToolCatalog& tools() { return tools_; }
  SessionRegistry& sessions() { return sessions_; }

  // Lists the plugin's tools on the calling thread (start-up).
  std::optional<std::string> LoadTools();

  // The server capabilities this backend advertises.
  json Capabilities() const;

  // Plugin events (any thread).
  void OnListChanged(mcpgw_list_kind kind);
  void OnResourceUpdated(const std::string& uri);

  void AddListener(const std::shared_ptr<Listener>& listener);

  // The route was removed or re-pointed by a reload: ends the sessions this
  // replica holds for it, closing their server channels (SSE streams), and
  // has `successor` (the route's new backend, when its name stays) refuse
  // their ids and those already ended here. Listen streams are the core's
  // to end (Core::CloseListenStreams).
  void Retire(Backend* successor);

 private:
  void ToolListRefreshed(const plugin::PluginReply& reply);
  void Broadcast(mcpgw_list_kind kind);
  std::vector<std::shared_ptr<Listener>> LiveListeners();

  config::Route route_;
  std::atomic<std::shared_ptr<const auth::ScopePolicy>> scope_policy_;
  plugin::PluginInstance* plugin_;
  ToolCatalog tools_;
  SessionRegistry sessions_;
  std::mutex mu_;
  std::vector<std::weak_ptr<Listener>> listeners_;
};

// Fans one plugin instance's events out to every backend it serves. A
// reload adds and removes backends while events arrive on plugin threads:
// an event goes to the backends registered when it arrives, each held until
// it has been told.
class PluginEventFanout final : public plugin::EventSink {
 public:
  void Add(std::shared_ptr<Backend> backend);
  void Remove(const Backend* backend);
  void ListChanged(mcpgw_list_kind kind) override;
  void ResourceUpdated(std::string uri) override;

 private:
  std::shared_ptr<const std::vector<std::shared_ptr<Backend>>> Backends() const;

  mutable std::mutex mu_;  // guards the pointer; the vector it points to never changes
  std::shared_ptr<const std::vector<std::shared_ptr<Backend>>> backends_ =
      std::make_shared<const std::vector<std::shared_ptr<Backend>>>();
};

}  // namespace mcpgw::mcp
