#include "mcp/route_table.h"

#include "mcp/backend.h"

#include <set>

namespace mcpgw::mcp {

Routes::Routes(std::vector<std::shared_ptr<Backend>> backends) : list(std::move(backends)) {
  for (const auto& b : list) {
    by_path.emplace(b->path(), b);
    by_name.emplace(b->name(), b);
  }
}

std::shared_ptr<Backend> Routes::AtPath(std::string_view path) const {
  const auto it = by_path.find(path);
  return it == by_path.end() ? nullptr : it->second;
}

std::shared_ptr<Backend> Routes::Named(std::string_view name) const {
  const auto it = by_name.find(name);
  return it == by_name.end() ? nullptr : it->second;
}

RouteTable::RouteTable(std::vector<std::shared_ptr<Backend>> backends)
    : routes_(std::make_shared<const Routes>(std::move(backends))) {}

void RouteTable::Replace(std::vector<std::shared_ptr<Backend>> backends) {
  routes_.store(std::make_shared<const Routes>(std::move(backends)));
}

RoutePlan PlanRoutes(const Routes& current, const std::vector<config::Route>& next) {
  RoutePlan plan;
  std::set<std::string, std::less<>> named;
  for (const config::Route& route : next) {
    RoutePlan::Entry entry;
    entry.route = &route;
    entry.current = current.Named(route.name);
    entry.keep = entry.current != nullptr && entry.current->Serves(route);
    plan.entries.push_back(std::move(entry));
    named.insert(route.name);
  }
  for (const auto& b : current.list) {
    if (named.count(b->name()) == 0) plan.removed.push_back(b);
  }
  return plan;
}

bool RoutePlan::changes() const {
  if (!removed.empty()) return true;
  for (const Entry& e : entries) {
    if (!e.keep) return true;
  }
  return false;
}

std::string RoutePlan::Summary() const {
  std::vector<std::string> added, repointed, gone;
  for (const Entry& e : entries) {
    const config::Route& r = *e.route;
    if (e.keep) continue;
    if (!e.current) {
      added.push_back(r.name + " (" + r.path + ", plugin " + r.plugin + ")");
      continue;
    }
    const Backend& b = *e.current;
    std::string what;
    const auto changed = [&what](const std::string& field, const std::string& from, const std::string& to) {
      if (from == to) return;
      what += (what.empty() ? "" : ", ") + field + " " + from + " -> " + to;
    };
    changed("path", b.path(), r.path);
    changed("resource", b.resource(), r.resource);
    changed("plugin", b.plugin_name(), r.plugin);
    if (b.instructions() != r.instructions) what += std::string(what.empty() ? "" : ", ") + "instructions";
    repointed.push_back(r.name + " (" + what + ")");
  }
  for (const auto& b : removed) gone.push_back(b->name());
  std::string out;
  const auto part = [&out](const char* verb, const std::vector<std::string>& names) {
    if (names.empty()) return;
    if (!out.empty()) out += "; ";
    out += verb;
    for (std::size_t i = 0; i < names.size(); ++i) out += (i == 0 ? " " : ", ") + names[i];
  };
  part("added", added);
  part("removed", gone);
  part("re-pointed", repointed);
  return out;
}

}  // namespace mcpgw::mcp
