// The gRPC door's loader (ADR 0023): a missing module is an error that says
// which file it looked for and where it belongs, not a crash.
#include "transport/grpc_door.h"

#include <gtest/gtest.h>

#include <variant>

namespace mcpgw::rpc {
namespace {

TEST(GrpcDoorLoader, AMissingModuleIsAnErrorThatNamesItsPath) {
  GrpcDoorParts parts;
  auto started = StartGrpcDoor(parts, "/nonexistent/grpc_door.so");
  ASSERT_TRUE(std::holds_alternative<std::string>(started));
  const std::string& error = std::get<std::string>(started);
  EXPECT_EQ(error.rfind("server.grpc needs the gRPC door module /nonexistent/grpc_door.so, installed next to the "
                        "mcp-gateway binary: ",
                        0),
            0u)
      << error;
  EXPECT_NE(error.find("No such file"), std::string::npos) << error;
}

}  // namespace
}  // namespace mcpgw::rpc
