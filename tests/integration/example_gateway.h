// A gateway serving the example plugin on /mcp/example, for integration
// tests, with helpers to open a session.
#pragma once

#include "support/gateway_process.h"
#include "support/http_client.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace mcpgw::testing {

inline std::string ExampleConfig(const std::string& server_extra = "") {
  return "server:\n  listen: 127.0.0.1:0\n  data_dir: ${DATA_DIR}\n" + server_extra +
         "metrics:\n  listen: 127.0.0.1:0\nplugin_dir: ${PLUGIN_DIR}\n"
         "plugins:\n  - name: example\n    file: example.so\n"
         "routes:\n  - name: example\n    path: /mcp/example\n    plugin: example\n";
}

class ExampleGatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gateway_ = std::make_unique<GatewayProcess>(ExampleConfig(ServerExtra()));
    ASSERT_TRUE(gateway_->Start()) << gateway_->Log();
  }
  virtual std::string ServerExtra() const { return ""; }

  uint16_t port() const { return gateway_->port(); }

  HttpResponse Post(const std::string& body, const Headers& headers, const std::string& path = "/mcp/example") {
    return Request(port(), "POST", path, body, headers);
  }

  // Initializes a session-era session and returns its id.
  std::string OpenSession(const std::string& version = "2025-11-25") {
    const HttpResponse r = Post(InitializeBody(version), McpHeaders());
    EXPECT_EQ(r.status, 200) << r.body;
    const std::string sid = r.Header("mcp-session-id");
    EXPECT_FALSE(sid.empty());
    const HttpResponse n = Post(R"({"jsonrpc":"2.0","method":"notifications/initialized"})", McpHeaders(sid, version));
    EXPECT_EQ(n.status, 202);
    return sid;
  }

  std::unique_ptr<GatewayProcess> gateway_;
};

}  // namespace mcpgw::testing
