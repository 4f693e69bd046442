// The routes served now, and how a new configuration's routes differ from
// them (ADR 0019).
//
// Every front door (HTTP, gRPC, stdio), the admin API and the session sweep
// read one immutable snapshot of the routes; a reload builds the next one
// and swaps it in whole. A request looks its backend up in the snapshot
// current when it arrives and holds that backend (a shared_ptr, in
// pipeline::Request) until it is answered, so swapping the table never frees
// a backend under a request: a retired backend goes when the last request,
// stream or plugin callback holding it ends.
#pragma once

#include "config/config.h"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mcpgw::mcp {

class Backend;

// One snapshot: never changed after it is built.
struct Routes {
  explicit Routes(std::vector<std::shared_ptr<Backend>> backends);

  // The backend at `path` or named `name`; null when there is none.
  std::shared_ptr<Backend> AtPath(std::string_view path) const;
  std::shared_ptr<Backend> Named(std::string_view name) const;

  std::vector<std::shared_ptr<Backend>> list;  // in configuration order
  std::map<std::string, std::shared_ptr<Backend>, std::less<>> by_path;
  std::map<std::string, std::shared_ptr<Backend>, std::less<>> by_name;
};

class RouteTable {
 public:
  explicit RouteTable(std::vector<std::shared_ptr<Backend>> backends = {});

  // The snapshot in force; hold it (or the backend taken from it) for as
  // long as it is used.
  std::shared_ptr<const Routes> Current() const { return routes_.load(); }
  // Serves `backends` from the next lookup on. Names and paths are unique
  // (the configuration checks that).
  void Replace(std::vector<std::shared_ptr<Backend>> backends);

 private:
  std::atomic<std::shared_ptr<const Routes>> routes_;
};

// How the routes of a new configuration differ from the ones served now,
// matched by name. Decides nothing about plugins or building backends.
struct RoutePlan {
  struct Entry {
    const config::Route* route = nullptr;  // in the new configuration
    std::shared_ptr<Backend> current;      // serving this name now; null for a new name
    // `current` serves `route` as it is (same path, resource, plugin and
    // instructions) and stays, its sessions and tool catalog with it; only
    // its scopes may change. Otherwise the route needs a new backend.
    bool keep = false;
  };
  std::vector<Entry> entries;                     // one per route of the new configuration, in its order
  std::vector<std::shared_ptr<Backend>> removed;  // backends whose name is gone

  // Whether any route was added, removed or re-pointed.
  bool changes() const;
  // "added b (/mcp/b, plugin p); removed c; re-pointed d (path /mcp/d -> /mcp/e)";
  // empty without changes.
  std::string Summary() const;
};

// The plan points into `next`, which must outlive it.
RoutePlan PlanRoutes(const Routes& current, const std::vector<config::Route>& next);
RoutePlan PlanRoutes(const Routes& current, std::vector<config::Route>&& next) = delete;

}  // namespace mcpgw::mcp
