// The I/O threads' loop: a handler that throws loses its own work, never the
// thread (and with it the process).
#include "transport/io_pool.h"

#include <boost/asio/post.hpp>
#include <gtest/gtest.h>

#include <stdexcept>

namespace mcpgw::transport {
namespace {

TEST(RunContext, AThrowingHandlerIsLoggedAndTheContextRunsOn) {
  boost::asio::io_context context(1);
  int ran = 0;
  boost::asio::post(context, [] { throw std::runtime_error("a mistake"); });
  boost::asio::post(context, [&] { ++ran; });
  boost::asio::post(context, [] { throw 7; });  // not even a std::exception
  boost::asio::post(context, [&] { ++ran; });
  testing::internal::CaptureStderr();
  RunContext(context);  // returns once the queue is empty
  const std::string log = testing::internal::GetCapturedStderr();
  EXPECT_EQ(ran, 2);
  EXPECT_NE(log.find(R"("event":"handler_exception")"), std::string::npos) << log;
  EXPECT_NE(log.find("a mistake"), std::string::npos) << log;
  EXPECT_NE(log.find("not a std::exception"), std::string::npos) << log;
}

}  // namespace
}  // namespace mcpgw::transport
