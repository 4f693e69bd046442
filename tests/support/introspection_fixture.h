// A gateway that checks opaque tokens by RFC 7662 introspection against an
// OriginServer standing in for the authorization server, as the HTTP and the
// gRPC integration tests use it: the example plugin on /mcp/example, the
// scope example:call, the client secret in a file of the data directory.
#pragma once

#include "support/origin_server.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

namespace mcpgw::testing {

inline constexpr char kIntrospectedAudience[] = "https://gw.test/mcp/example";
inline constexpr char kIntrospectionSecret[] = "s3cret-of-the-gateway";

// `server_extra` goes under `server:` (e.g. a gRPC listener).
inline std::string IntrospectionConfig(const std::string& endpoint, const std::string& server_extra = "") {
  return "server:\n  listen: 127.0.0.1:0\n  public_url: https://gw.test\n  data_dir: ${DATA_DIR}\n" + server_extra +
         "metrics:\n  listen: 127.0.0.1:0\nplugin_dir: ${PLUGIN_DIR}\n"
         "auth:\n  issuers:\n    - issuer: https://idp.test\n      jwks_file: ${DATA_DIR}/jwks.json\n"
         "  introspection:\n    endpoint: " + endpoint + "\n    client_id: gateway\n"
         "    client_secret_file: ${DATA_DIR}/introspection.secret\n    timeout_ms: 2000\n"
         "plugins:\n  - name: example\n    file: example.so\n"
         "routes:\n  - name: example\n    path: /mcp/example\n    plugin: example\n"
         "    scopes:\n      call: [example:call]\n      tools:\n        \"*\": []\n";
}

// The files the configuration names, written before the gateway starts.
inline void WriteIntrospectionFiles(const std::string& data_dir) {
  std::filesystem::create_directories(data_dir);
  std::ofstream(data_dir + "/introspection.secret") << kIntrospectionSecret;
  // The issuer's local keys are not used, but the file must be valid.
  std::ofstream(data_dir + "/jwks.json")
      << R"({"keys":[{"kty":"EC","crv":"P-256","alg":"ES256","kid":"k",)"
         R"("x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]})";
}

// The authorization server's view of each opaque token: opaque-good is
// active for the route's exact audience, opaque-elsewhere for another one,
// anything else is inactive.
inline OriginReply IntrospectionAnswer(const OriginRequest& request) {
  const long now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string times = ",\"iat\":" + std::to_string(now) + ",\"exp\":" + std::to_string(now + 300);
  if (request.body.find("token=opaque-good&") == 0) {
    return {200, std::string(R"({"active":true,"sub":"carol","client_id":"app","scope":"example:call","aud":")") +
                     kIntrospectedAudience + "\"" + times + "}", "", "", {}};
  }
  if (request.body.find("token=opaque-elsewhere&") == 0) {
    return {200, R"({"active":true,"sub":"carol","scope":"example:call","aud":"https://gw.test/mcp/other")" + times + "}",
            "", "", {}};
  }
  return {200, R"({"active":false})", "", "", {}};
}

}  // namespace mcpgw::testing
