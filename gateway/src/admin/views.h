// The admin API's answers as JSON, one shape for both doors: the HTTP
// endpoint sends them as bodies, the gRPC admin service as Structs.
#pragma once

#include "admin/admin_service.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace mcpgw::admin {

nlohmann::json RevocationsJson(const RevocationListing& listing);
nlohmann::json StateJson(const limits::PolicyState& state, const std::map<std::string, std::string>& key);
nlohmann::json PluginsJson(const std::vector<PluginStatus>& plugins);
nlohmann::json RoutesJson(const std::vector<RouteStatus>& routes);
// One {"what", "ok"} per step, plus "error" when it failed and "changed"
// when it says what it changed.
nlohmann::json ReloadStepsJson(const ReloadReport& report);
// {"ok", "steps"}, plus "error" and "message" when a step failed.
nlohmann::json ReloadJson(const ReloadReport& report);

}  // namespace mcpgw::admin
