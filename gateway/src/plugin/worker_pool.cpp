#include "plugin/worker_pool.h"

#include <pthread.h>

namespace mcpgw::plugin {

WorkerPool::WorkerPool(std::string name, unsigned threads, std::size_t capacity)
    : name_(std::move(name)), capacity_(capacity) {
  threads_.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) {
    threads_.emplace_back([this] { Run(); });
    // Thread names show up in top -H and in gdb; Linux caps them at 15 bytes.
    pthread_setname_np(threads_.back().native_handle(), ("w:" + name_).substr(0, 15).c_str());
  }
}

WorkerPool::~WorkerPool() { Stop(); }

bool WorkerPool::TryPost(Task task) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= capacity_) return false;
    queue_.push_back(std::move(task));
  }
  ready_.notify_one();
  return true;
}

void WorkerPool::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

std::size_t WorkerPool::depth() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void WorkerPool::Run() {
  for (;;) {
    Task task;
    {
      std::unique_lock lock(mu_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

}  // namespace mcpgw::plugin
