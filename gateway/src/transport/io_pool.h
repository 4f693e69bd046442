// One io_context per I/O thread. A connection lives on one context for its
// whole life, so its handlers never contend with another thread's and need
// no strand; the listener hands new connections out round-robin. Context 0
// also carries the acceptors, signals and housekeeping timers.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <memory>
#include <vector>

namespace mcpgw::transport {

// Runs `context` until it stops. A handler that throws loses its own request,
// never the process: the exception is logged and the context runs on (Asio
// allows run() again after a handler threw). Handlers are written not to
// throw; this is the net under a mistake, which would otherwise let one bad
// request end every caller's.
void RunContext(boost::asio::io_context& context);

class IoPool {
 public:
  explicit IoPool(unsigned threads);

  boost::asio::io_context& control() { return *contexts_[0]; }
  // Every context, control() first.
  std::vector<boost::asio::io_context*> contexts() const;
  // The context for the next connection.
  boost::asio::io_context& Next();
  // The context the calling thread runs, or null on a thread of no pool.
  static boost::asio::io_context* Current();

  // Runs every context (context 0 on the calling thread) until Stop.
  void Run();
  void Stop();

 private:
  using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<Guard> guards_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace mcpgw::transport
