// Deadlines for many short-lived things (request deadlines, SSE polling),
// served by one thread.
//
// Why not an Asio timer per request: arming and cancelling one costs a heap
// insert, a reactor update and a cancelled completion handler on an I/O
// thread. Here adding and cancelling are O(log n) operations on an ordered
// map under a mutex, and wake the thread only when a new deadline is due
// before the thread would wake anyway; the thread sleeps until the earliest
// deadline, or for a short tick after the list emptied, so that a stream of
// calls answered before their deadline never wakes it.
//
// A callback may run after its owner was cancelled or destroyed if the two
// race: callbacks must hold only weak references to what they act on.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace mcpgw::timing {

class TimeoutList {
 public:
  using Clock = std::chrono::steady_clock;
  struct Node;
  using Handle = std::shared_ptr<Node>;

  TimeoutList();
  ~TimeoutList();
  TimeoutList(const TimeoutList&) = delete;
  TimeoutList& operator=(const TimeoutList&) = delete;

  // Calls `fire` on the timeout thread at `deadline` unless cancelled first.
  Handle Add(Clock::time_point deadline, std::function<void()> fire);

  // Cancels; harmless if it already fired, was cancelled, or is null.
  void Cancel(const Handle& handle);

  std::size_t size() const;

  struct Node {
    Clock::time_point deadline;
    std::function<void()> fire;
    std::multimap<Clock::time_point, Handle>::iterator position;
    bool listed = false;
  };

 private:
  void Run();

  static constexpr std::chrono::milliseconds kTick{500};

  mutable std::mutex mu_;
  std::condition_variable changed_;
  Clock::time_point wake_at_ = Clock::time_point::max();  // when Run wakes next
  bool added_ = false;                                     // since Run last slept
  std::multimap<Clock::time_point, Handle> nodes_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace mcpgw::timing
