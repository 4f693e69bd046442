// Reads the sections about state shared between replicas and operating the
// gateway: redis, rate_limits, revocation, admin. Reads no file and no
// environment variable (the Redis password is read at start-up).
#pragma once

#include "config/config.h"
#include "config/yaml_reader.h"

namespace mcpgw::config {

void ReadRedis(YamlReader& reader, const YAML::Node& node, Redis* out);
void ReadRateLimits(YamlReader& reader, const YAML::Node& node, RateLimits* out);
void ReadRevocation(YamlReader& reader, const YAML::Node& node, Revocation* out);
void ReadAdmin(YamlReader& reader, const YAML::Node& node, Admin* out);

// Checks server.trusted_proxies (each a CIDR or an address).
void CheckTrustedProxies(YamlReader& reader, const std::vector<std::string>& proxies);

}  // namespace mcpgw::config
