// A real crash: a child process commits changes in a loop and reports each
// acknowledged one through a pipe; the parent SIGKILLs it at a random
// moment -- mid-write, mid-fsync, mid-compaction -- and then loads the store
// and checks that every acknowledged change is there, and nothing else but
// possibly the one in flight.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <random>
#include <thread>

#include "graph_store.h"
#include "storage_test_support.h"

namespace mcpgw::memory {
namespace {

using namespace testing;  // NOLINT: test helpers

constexpr char kTenant[] = "crash-tenant";

std::string Name(uint64_t step) { return "e" + std::to_string(step); }

// Step `step` (1, 2, ...) of the workload, planned the same way in the child
// that commits it and in the parent's model. Every mutation kind appears.
Result<Mutation> PlanStep(uint64_t step, const KnowledgeGraph& g, const GraphLimits& limits) {
  switch (step % 6) {
    case 1:
      return g.PlanCreateEntities({MakeEntity(Name(step), "node", {"born " + std::to_string(step)})}, limits);
    case 2:  // e<step-1> was created by the previous step and lives for 16 steps
      return g.PlanAddObservations({{Name(step - 1), {"obs " + std::to_string(step), "shared", "shared"}}}, limits);
    case 3:
      return g.PlanCreateRelations({MakeRelation(Name(step - 2), Name(step > 8 ? step - 8 : 1), "follows")});
    case 4:
      return Mutation(DeleteObservations{{{Name(step - 3), {"born " + std::to_string(step - 3)}}}});
    case 5:
      if (step > 16) return Mutation(DeleteEntities{{Name(step - 16)}});
      return Mutation(DeleteRelations{{MakeRelation(Name(step - 4), Name(1), "follows")}});
    default:
      return g.PlanCreateEntities({MakeEntity("big" + std::to_string(step), "filler", {std::string(300, 'f')})},
                                  limits);
  }
}

// The child: commits steps from `first_step` on, writing each step number
// to `ack_fd` once Commit has returned. Runs until killed.
[[noreturn]] void CommitUntilKilled(const std::string& dir, const StoreOptions& options, uint64_t first_step,
                                    int ack_fd) {
  ::alarm(30);  // a safety net should the parent die without killing us
  GraphStore store(dir, options, [](mcpgw_log_level, std::string_view) {});
  auto graph = store.ForTenant(kTenant);
  if (!graph) ::_exit(2);
  for (uint64_t step = first_step;; ++step) {
    auto committed = (*graph)->Commit(
        [step](const KnowledgeGraph& g, const GraphLimits& limits) { return PlanStep(step, g, limits); });
    if (!committed) ::_exit(3);
    if (::write(ack_fd, &step, sizeof step) != static_cast<ssize_t>(sizeof step)) ::_exit(4);
  }
}

// Kills and reaps the child however the test ends.
class ChildProcess {
 public:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  ~ChildProcess() {
    if (pid_ > 0) KillAndReap();
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  int KillAndReap() {
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_;
};

// The step numbers the child acknowledged, read from the pipe.
class AckReader {
 public:
  enum class Outcome { kData, kTimeout, kEnd };

  AckReader(int fd, uint64_t first_step) : fd_(fd), last_(first_step - 1) {}

  // Reads what is available, waiting at most `timeout_ms` for something.
  Outcome ReadSome(int timeout_ms) {
    pollfd p{fd_.get(), POLLIN, 0};
    const int ready = ::poll(&p, 1, std::max(timeout_ms, 0));
    if (ready == 0) return Outcome::kTimeout;
    char chunk[4096];
    const ssize_t n = ready < 0 ? -1 : ::read(fd_.get(), chunk, sizeof chunk);
    if (n <= 0) return Outcome::kEnd;
    pending_.append(chunk, static_cast<size_t>(n));
    while (pending_.size() >= sizeof(uint64_t)) {
      std::memcpy(&last_, pending_.data(), sizeof last_);
      pending_.erase(0, sizeof last_);
      ++count_;
    }
    return Outcome::kData;
  }

  uint64_t count() const { return count_; }
  // The last acknowledged step; first_step - 1 before any acknowledgement.
  uint64_t last() const { return last_; }

 private:
  UniqueFd fd_;
  std::string pending_;
  uint64_t count_ = 0;
  uint64_t last_;
};

// The graph the workload leads to, advanced one step at a time.
class Model {
 public:
  void AdvanceTo(uint64_t step) {
    while (step_ < step) {
      ++step_;
      auto planned = PlanStep(step_, graph_, GraphLimits{});
      ASSERT_TRUE(planned.ok()) << "step " << step_ << ": " << planned.error().message;
      graph_.Apply(*planned);
    }
  }
  Graph contents() const { return Snapshot(graph_); }
  uint64_t step() const { return step_; }

 private:
  KnowledgeGraph graph_;
  uint64_t step_ = 0;
};

TEST(CrashTest, AcknowledgedChangesSurviveSigkillAtRandomMoments) {
  TempDirectory dir;
  StoreOptions options;
  options.compact_after_bytes = 4096;  // compaction every few dozen steps, so some kills land in it
  const uint64_t seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<uint64_t> acks_before_kill(0, 80);
  std::uniform_int_distribution<int> extra_microseconds(0, 400);

  Model model;
  int rounds = 0, in_flight_was_durable = 0;
  // At least kMinRounds rounds, more while time remains; each round kills
  // after a random number of acknowledgements or at its own time limit,
  // whichever comes first, so a slow disk shortens rounds, not coverage.
  constexpr int kMinRounds = 4, kMaxRounds = 40;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(3000);
  while (rounds < kMaxRounds && (rounds < kMinRounds || std::chrono::steady_clock::now() < deadline)) {
    ++rounds;
    int fds[2];
    ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
    const uint64_t first_step = model.step() + 1;
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      CommitUntilKilled(dir.path(), options, first_step, fds[1]);
    }
    ChildProcess child(pid);
    ::close(fds[1]);
    AckReader acks(fds[0], first_step);

    const uint64_t kill_after = acks_before_kill(rng);
    const auto round_end = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
    while (acks.count() < kill_after) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(round_end - std::chrono::steady_clock::now());
      const AckReader::Outcome outcome = acks.ReadSome(static_cast<int>(left.count()));
      ASSERT_NE(outcome, AckReader::Outcome::kEnd) << "round " << rounds << ": the child died by itself";
      if (outcome == AckReader::Outcome::kTimeout) break;
    }
    // Not waiting for a condition: this is the randomness of the moment.
    std::this_thread::sleep_for(std::chrono::microseconds(extra_microseconds(rng)));
    const int status = child.KillAndReap();
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child ended by itself: " << status;
    while (acks.ReadSome(5000) == AckReader::Outcome::kData) {
    }
    ASSERT_EQ(acks.last(), first_step - 1 + acks.count());

    LogRecorder log;
    GraphStore store(dir.path(), options, log.Sink());
    auto graph = store.ForTenant(kTenant);
    ASSERT_TRUE(graph.ok()) << "round " << rounds << ": " << graph.error().message;
    EXPECT_EQ(log.CountAtLeast(MCPGW_LOG_ERROR), 0u);
    const Graph loaded = Contents(**graph);
    ASSERT_NO_FATAL_FAILURE(model.AdvanceTo(acks.last()));
    if (loaded != model.contents()) {
      // The change in flight may have reached the file before the kill.
      ASSERT_NO_FATAL_FAILURE(model.AdvanceTo(acks.last() + 1));
      ASSERT_EQ(loaded, model.contents()) << "round " << rounds << ": acknowledged up to step " << acks.last();
      ++in_flight_was_durable;
    }
  }
  ::testing::Test::RecordProperty("rounds", rounds);
  ::testing::Test::RecordProperty("in_flight_was_durable", in_flight_was_durable);
  ::testing::Test::RecordProperty("steps", static_cast<int>(model.step()));
}

}  // namespace
}  // namespace mcpgw::memory
