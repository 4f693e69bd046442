#include "admin/views.h"

#include "revocation/entry_codec.h"

namespace mcpgw::admin {

using json = nlohmann::json;

json RevocationsJson(const RevocationListing& listing) {
  json entries = json::array();
  for (const auto& e : listing.entries) entries.push_back(revocation::EntryToJson(e));
  json out = {{"revocations", std::move(entries)},
              {"fresh", listing.health.fresh},
              {"since_sync_s", listing.health.since_sync.count()}};
  if (!listing.sync_error.empty()) out["sync_error"] = listing.sync_error;
  return out;
}

json StateJson(const limits::PolicyState& s, const std::map<std::string, std::string>& key) {
  return {{"policy", s.policy},         {"key", key},
          {"limit", s.limit},           {"window_s", s.window.count()},
          {"used", s.used},             {"remaining", s.remaining},
          {"reset_s", s.reset.count()}, {"retry_after_s", s.retry_after.count()}};
}

json PluginsJson(const std::vector<PluginStatus>& plugins) {
  json out = json::array();
  for (const auto& p : plugins) {
    out.push_back({{"name", p.name},
                   {"file", p.file},
                   {"version", p.version},
                   {"loaded", p.loaded},
                   {"thread_safe", p.thread_safe},
                   {"workers", p.workers},
                   {"queue_capacity", p.queue_capacity},
                   {"queue_depth", p.queue_depth}});
  }
  return {{"plugins", std::move(out)}};
}

json RoutesJson(const std::vector<RouteStatus>& routes) {
  json out = json::array();
  for (const auto& r : routes) {
    out.push_back({{"name", r.name},
                   {"path", r.path},
                   {"resource", r.resource},
                   {"plugin", r.plugin},
                   {"plugin_loaded", r.plugin_loaded},
                   {"tools", r.tools}});
  }
  return {{"routes", std::move(out)}};
}

json ReloadStepsJson(const ReloadReport& report) {
  json steps = json::array();
  for (const auto& s : report.steps) {
    steps.push_back({{"what", s.what}, {"ok", s.ok}});
    if (!s.ok) steps.back()["error"] = s.error;
    if (!s.changed.empty()) steps.back()["changed"] = s.changed;
  }
  return steps;
}

json ReloadJson(const ReloadReport& report) {
  json body{{"ok", report.ok()}, {"steps", ReloadStepsJson(report)}};
  if (!report.ok()) {
    body["error"] = "reload_failed";
    // Each step stands alone: the ones that succeeded are in force.
    std::string failed, applied;
    for (const ReloadStep& s : report.steps) {
      std::string& names = s.ok ? applied : failed;
      names += (names.empty() ? "" : ", ") + s.what;
    }
    body["message"] = "reload step(s) failed: " + failed + "; each keeps what it had" +
                      (applied.empty() ? std::string() : "; applied: " + applied);
  }
  return body;
}

}  // namespace mcpgw::admin
