// TimeoutList: callbacks fire in deadline order whatever order they were
// added in, cancelled ones never fire, and nothing lingers.
#include "timing/timeout_list.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace mcpgw::timing {
namespace {

using namespace std::chrono_literals;

struct Recorder {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<int> fired;
  void Fire(int id) {
    std::lock_guard lock(mu);
    fired.push_back(id);
    cv.notify_all();
  }
  bool WaitFor(std::size_t n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, 5s, [&] { return fired.size() >= n; });
  }
};

TEST(TimeoutList, FiresInDeadlineOrderWhateverTheOrderOfAdding) {
  TimeoutList list;
  Recorder r;
  const auto now = TimeoutList::Clock::now();
  list.Add(now + 60ms, [&] { r.Fire(3); });
  list.Add(now + 20ms, [&] { r.Fire(1); });
  list.Add(now + 40ms, [&] { r.Fire(2); });
  ASSERT_TRUE(r.WaitFor(3));
  EXPECT_EQ(r.fired, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(list.size(), 0u);
}

TEST(TimeoutList, NeverFiresACancelledCallback) {
  TimeoutList list;
  Recorder r;
  const auto now = TimeoutList::Clock::now();
  auto cancelled = list.Add(now + 10ms, [&] { r.Fire(1); });
  list.Add(now + 30ms, [&] { r.Fire(2); });
  list.Cancel(cancelled);
  list.Cancel(cancelled);  // twice is harmless
  list.Cancel(nullptr);
  ASSERT_TRUE(r.WaitFor(1));
  EXPECT_EQ(r.fired, (std::vector<int>{2}));
}

TEST(TimeoutList, KeepsNothingOnceEverythingIsCancelledWithMixedDelays) {
  TimeoutList list;
  std::vector<TimeoutList::Handle> handles;
  const auto now = TimeoutList::Clock::now();
  for (int i = 0; i < 10000; ++i) handles.push_back(list.Add(now + (i % 2 ? 30s : 55s), [] {}));
  EXPECT_EQ(list.size(), 10000u);
  for (auto& h : handles) list.Cancel(h);
  EXPECT_EQ(list.size(), 0u);
}

// Cancelled deadlines leave the thread asleep until a later wake-up it
// chose itself; a new, earlier deadline must still wake it in time, both
// while something is listed and after the list emptied.
TEST(TimeoutList, AnEarlierDeadlineWakesTheThreadWhateverItWasSleepingFor) {
  TimeoutList list;
  Recorder r;
  list.Cancel(list.Add(TimeoutList::Clock::now() + 1h, [&] { r.Fire(0); }));
  const auto far = list.Add(TimeoutList::Clock::now() + 1h, [&] { r.Fire(0); });
  auto start = TimeoutList::Clock::now();
  list.Add(start + 20ms, [&] { r.Fire(1); });
  ASSERT_TRUE(r.WaitFor(1));
  EXPECT_LT(TimeoutList::Clock::now() - start, 300ms);  // not at the next tick or the hour

  list.Cancel(far);
  std::this_thread::sleep_for(50ms);  // the list is empty: the thread ticks
  start = TimeoutList::Clock::now();
  list.Add(start + 20ms, [&] { r.Fire(2); });
  ASSERT_TRUE(r.WaitFor(2));
  EXPECT_LT(TimeoutList::Clock::now() - start, 300ms);
  EXPECT_EQ(r.fired, (std::vector<int>{1, 2}));
}

}  // namespace
}  // namespace mcpgw::timing
