// A fixed set of threads draining a bounded queue of tasks.
//
// Bounded on purpose: when a backend falls behind, callers learn it at once
// (TryPost returns false, the front door answers 503) instead of queueing
// without limit and timing out later.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mcpgw::plugin {

class WorkerPool {
 public:
  using Task = std::function<void()>;

  WorkerPool(std::string name, unsigned threads, std::size_t capacity);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task` unless the queue is full or the pool is stopping.
  bool TryPost(Task task);

  // Stops accepting tasks, runs those already queued, joins the threads.
  void Stop();

  std::size_t depth() const;

 private:
  void Run();

  const std::string name_;
  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable ready_;
  std::deque<Task> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace mcpgw::plugin
