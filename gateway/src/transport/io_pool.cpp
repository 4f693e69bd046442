#include "transport/io_pool.h"

#include "log/log.h"

#include <pthread.h>

#include <exception>
#include <string>
#include <thread>

namespace mcpgw::transport {
namespace {
thread_local boost::asio::io_context* current = nullptr;

void RunAsCurrent(boost::asio::io_context& context) {
  current = &context;
  RunContext(context);
  current = nullptr;
}
}  // namespace

void RunContext(boost::asio::io_context& context) {
  for (;;) {
    try {
      context.run();
      return;
    } catch (const std::exception& e) {
      log::Error("handler_exception", {{"what", e.what()}});
    } catch (...) {
      log::Error("handler_exception", {{"what", "not a std::exception"}});
    }
  }
}

IoPool::IoPool(unsigned threads) {
  if (threads == 0) threads = 1;
  for (unsigned i = 0; i < threads; ++i) {
    // Each context is run by exactly one thread: tell Asio so it can skip
    // its internal locking.
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    guards_.emplace_back(contexts_.back()->get_executor());
  }
}

std::vector<boost::asio::io_context*> IoPool::contexts() const {
  std::vector<boost::asio::io_context*> out;
  for (const auto& c : contexts_) out.push_back(c.get());
  return out;
}

boost::asio::io_context& IoPool::Next() { return *contexts_[next_.fetch_add(1) % contexts_.size()]; }

boost::asio::io_context* IoPool::Current() { return current; }

void IoPool::Run() {
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < contexts_.size(); ++i) {
    threads.emplace_back([this, i] { RunAsCurrent(*contexts_[i]); });
    pthread_setname_np(threads.back().native_handle(), ("io-" + std::to_string(i)).c_str());
  }
  RunAsCurrent(*contexts_[0]);
  for (auto& t : threads) t.join();
}

void IoPool::Stop() {
  for (auto& g : guards_) g.reset();
  for (auto& c : contexts_) c->stop();
}

}  // namespace mcpgw::transport
