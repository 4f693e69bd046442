// A real crash: a child process runs tool calls in a loop and reports each
// acknowledged one through a pipe; the parent SIGKILLs it at a random
// moment -- mid-write, mid-fsync, mid-snapshot -- then loads the store and
// checks that every acknowledged change is there, and nothing else but
// possibly the one in flight.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <map>
#include <random>
#include <thread>

#include "tools_harness.h"

namespace mcpgw::vector {
namespace {

using namespace testing;  // NOLINT: test helpers
using nlohmann::json;

constexpr char kTenant[] = "crash-tenant";
constexpr uint64_t kMaxIds = 200;

VectorConfig CrashConfig() {
  VectorConfig config;
  config.compact_after_bytes = 16384;  // a snapshot every few dozen steps, so some kills land in one
  config.limits.max_batch_documents = kMaxIds + 10;
  return config;
}

std::string Id(uint64_t n) { return "d" + std::to_string(n % kMaxIds); }

// Step `step` (1, 2, ...) of the workload as a tool call; the model applies the same.
std::pair<std::string, json> Step(uint64_t step) {
  if (step % 5 == 0) return {"delete_documents", {{"collection", "c"}, {"ids", {Id(step - 3), Id(step - 1)}}}};
  json docs = json::array();
  for (uint64_t k = 0; k < 1 + step % 3; ++k) {
    docs.push_back(Doc(Id(step + k * 7), "step " + std::to_string(step) + " text " + std::to_string(k)));
  }
  return {"upsert_documents", {{"collection", "c"}, {"documents", docs}}};
}

class Model {
 public:
  void AdvanceTo(uint64_t step) {
    for (; step_ < step; ) {
      ++step_;
      const auto [tool, args] = Step(step_);
      if (tool == "delete_documents") {
        for (const auto& id : args["ids"]) docs_.erase(id.get<std::string>());
      } else {
        for (const auto& d : args["documents"]) docs_[d["id"]] = d["text"];
      }
    }
  }
  const std::map<std::string, std::string>& docs() const { return docs_; }
  uint64_t step() const { return step_; }

 private:
  std::map<std::string, std::string> docs_;
  uint64_t step_ = 0;
};

[[noreturn]] void RunUntilKilled(const std::string& dir, uint64_t first_step, int ack_fd) {
  ::alarm(30);  // a safety net should the parent die without killing us
  VectorConfig config = CrashConfig();
  HashingEmbedder embedder;
  VectorStore store(dir, config.compact_after_bytes, DiscardLog());
  VectorTools tools(store, embedder, config);
  for (uint64_t step = first_step;; ++step) {
    const auto [tool, args] = Step(step);
    auto answer = tools.Call(tool, kTenant, args);
    if (!answer || answer->value("isError", false)) ::_exit(3);
    if (::write(ack_fd, &step, sizeof step) != static_cast<ssize_t>(sizeof step)) ::_exit(4);
  }
}

// Reads acknowledged step numbers; returns the last one (or first_step - 1).
uint64_t ReadAcks(int fd, uint64_t first_step, size_t want, std::chrono::milliseconds limit) {
  uint64_t last = first_step - 1;
  size_t count = 0;
  std::string pending;
  const auto end = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    if (count >= want || left.count() <= 0) return last;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return last;
    char chunk[512];
    const ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) return last;
    pending.append(chunk, static_cast<size_t>(n));
    while (pending.size() >= sizeof last) {
      std::memcpy(&last, pending.data(), sizeof last);
      pending.erase(0, sizeof last);
      ++count;
    }
  }
}

std::map<std::string, std::string> Load(ToolsHarness& h) {
  json ids = json::array();
  for (uint64_t i = 0; i < kMaxIds; ++i) ids.push_back(Id(i));
  std::map<std::string, std::string> out;
  const json answer = h.Ok("get_documents", {{"collection", "c"}, {"ids", ids}}, kTenant);
  for (const auto& d : answer["documents"]) {
    out[d["id"]] = d["text"];
  }
  return out;
}

TEST(VectorCrashTest, AcknowledgedChangesSurviveSigkillAtRandomMoments) {
  ToolsHarness h(CrashConfig());
  const uint64_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<size_t> acks_before_kill(0, 60);
  std::uniform_int_distribution<int> extra_microseconds(0, 400);
  h.Ok("create_collection", {{"name", "c"}}, kTenant);
  Model model;
  int rounds = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (rounds < 40 && (rounds < 4 || std::chrono::steady_clock::now() < deadline)) {
    ++rounds;
    h.Restart();  // nothing loaded: the child takes the tenant's lock
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    const uint64_t first_step = model.step() + 1;
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      RunUntilKilled(h.dir(), first_step, fds[1]);
    }
    ::close(fds[1]);
    uint64_t last = ReadAcks(fds[0], first_step, acks_before_kill(rng), std::chrono::milliseconds(300));
    // Not waiting for a condition: this is the randomness of the moment.
    std::this_thread::sleep_for(std::chrono::microseconds(extra_microseconds(rng)));
    ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the child ended by itself: " << status;
    last = std::max(last, ReadAcks(fds[0], last + 1, SIZE_MAX, std::chrono::milliseconds(2000)));
    ::close(fds[0]);
    h.Restart();
    const std::map<std::string, std::string> loaded = Load(h);
    EXPECT_EQ(h.log().CountAtLeast(MCPGW_LOG_ERROR), 0u) << h.log().All();
    model.AdvanceTo(last);
    if (loaded != model.docs()) {
      model.AdvanceTo(last + 1);  // the change in flight may have reached the disk
      ASSERT_EQ(loaded, model.docs()) << "round " << rounds << ": acknowledged up to step " << last;
    }
  }
  ::testing::Test::RecordProperty("rounds", rounds);
  ::testing::Test::RecordProperty("steps", static_cast<int>(model.step()));
}

}  // namespace
}  // namespace mcpgw::vector
