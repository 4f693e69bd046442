#include "timing/timeout_list.h"

#include <pthread.h>

namespace mcpgw::timing {

TimeoutList::TimeoutList() {
  thread_ = std::thread([this] { Run(); });
  pthread_setname_np(thread_.native_handle(), "timeouts");
}

TimeoutList::~TimeoutList() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

TimeoutList::Handle TimeoutList::Add(Clock::time_point deadline, std::function<void()> fire) {
  auto node = std::make_shared<Node>();
  node->deadline = deadline;
  node->fire = std::move(fire);
  bool earliest = false;
  {
    std::lock_guard lock(mu_);
    node->position = nodes_.emplace(deadline, node);
    node->listed = true;
    added_ = true;
    // The thread wakes at wake_at_ anyway and then sleeps until the earliest
    // deadline; only one due before then needs it woken now.
    earliest = deadline < wake_at_;
    if (earliest) wake_at_ = deadline;
  }
  if (earliest) changed_.notify_one();
  return node;
}

void TimeoutList::Cancel(const Handle& handle) {
  if (!handle) return;
  std::lock_guard lock(mu_);
  if (!handle->listed) return;
  nodes_.erase(handle->position);
  handle->listed = false;
}

std::size_t TimeoutList::size() const {
  std::lock_guard lock(mu_);
  return nodes_.size();
}

void TimeoutList::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    const Clock::time_point now = Clock::now();
    if (nodes_.empty()) {
      // Under load deadlines come and go (most calls are answered in time):
      // a short tick then keeps Add from waking this thread for each one.
      // Once nothing was added for a tick, sleep until the next Add.
      wake_at_ = added_ ? now + kTick : Clock::time_point::max();
      added_ = false;
      if (wake_at_ == Clock::time_point::max()) {
        changed_.wait(lock);
      } else {
        changed_.wait_until(lock, wake_at_);
      }
      continue;
    }
    const Clock::time_point next = nodes_.begin()->first;
    if (now < next) {
      wake_at_ = next;
      changed_.wait_until(lock, next);
      continue;
    }
    Handle due = std::move(nodes_.begin()->second);
    nodes_.erase(nodes_.begin());
    due->listed = false;
    lock.unlock();
    due->fire();
    lock.lock();
  }
}

}  // namespace mcpgw::timing
