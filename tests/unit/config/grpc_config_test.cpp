// server.grpc (ADR 0018): off unless configured, and the listener rules of
// server.listen (loopback unless auth:, distinct from the other listeners).
#include "config/config.h"

#include "unit/config/parse_helpers.h"

#include <gtest/gtest.h>

#include <string>

namespace mcpgw::config {
namespace {

using testing::Errors;
using testing::HasError;
using testing::ParseOk;

constexpr const char* kRoutes = testing::kMemoryRoute;

TEST(GrpcConfig, IsOffUnlessTheSectionIsPresentAndOnWhenItIs) {
  EXPECT_FALSE(ParseOk(kRoutes).server.grpc.enabled);
  const Config on = ParseOk(std::string("server:\n  grpc:\n    listen: 127.0.0.1:9191\n") + kRoutes);
  EXPECT_TRUE(on.server.grpc.enabled);
  EXPECT_EQ(on.server.grpc.listen.ToString(), "127.0.0.1:9191");
  EXPECT_FALSE(ParseOk(std::string("server:\n  grpc:\n    enabled: false\n") + kRoutes).server.grpc.enabled);
}

TEST(GrpcConfig, RefusesANonLoopbackListenerWithoutAuthentication) {
  const auto errors = Errors(std::string("server:\n  grpc:\n    listen: 0.0.0.0:9090\n") + kRoutes);
  EXPECT_TRUE(HasError(errors, "server.grpc.listen: must be a loopback address"));
}

TEST(GrpcConfig, RefusesTheAddressOfAnotherListenerAndUnknownKeys) {
  EXPECT_TRUE(HasError(Errors(std::string("server:\n  listen: 127.0.0.1:8080\n  grpc:\n    listen: 127.0.0.1:8080\n") +
                              kRoutes),
                       "server.grpc.listen: must differ from server.listen, metrics.listen and admin.listen"));
  EXPECT_TRUE(HasError(Errors(std::string("server:\n  grpc:\n    port: 9090\n") + kRoutes), "server.grpc"));
}

}  // namespace
}  // namespace mcpgw::config
