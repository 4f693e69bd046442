// What the integration tests do with the gateway's own development tokens
// and its metrics: mint a token with `mcp-gateway token mint`, read a
// token's claims, and sum a metric's samples from /metrics.
#pragma once

#include "crypto/base64.h"
#include "support/gateway_process.h"
#include "support/http_client.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

namespace mcpgw::testing {

// `mcp-gateway token mint -c <config_path> --ttl <ttl> <args...>`: the token.
inline std::string MintToken(const std::string& config_path, const std::vector<std::string>& args,
                             const std::string& ttl = "5m") {
  std::vector<std::string> all{"token", "mint", "-c", config_path, "--ttl", ttl};
  all.insert(all.end(), args.begin(), args.end());
  ProcessResult r = RunGateway(all);
  EXPECT_EQ(r.exit_code, 0) << r.stderr_text;
  while (!r.stdout_text.empty() && r.stdout_text.back() == '\n') r.stdout_text.pop_back();
  return r.stdout_text;
}

// The JSON payload of a compact JWS (a test reads its own token's jti).
inline nlohmann::json JwsPayload(const std::string& token) {
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  const auto bytes = crypto::Base64UrlDecode(token.substr(first + 1, second - first - 1));
  return bytes ? nlohmann::json::parse(*bytes, nullptr, false) : nlohmann::json();
}

// The sum of a metric's samples whose labels contain every one of `labels`.
inline double MetricSum(uint16_t metrics_port, const std::string& name, const std::vector<std::string>& labels) {
  const HttpResponse m = Request(metrics_port, "GET", "/metrics", "", {});
  EXPECT_EQ(m.status, 200);
  std::istringstream lines(m.body);
  double sum = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name + "{", 0) != 0 && line.rfind(name + " ", 0) != 0) continue;
    bool all = true;
    for (const std::string& l : labels) all = all && line.find(l) != std::string::npos;
    if (all) sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

}  // namespace mcpgw::testing
