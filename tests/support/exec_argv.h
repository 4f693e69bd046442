// The argv of an execv/execvp, built before fork(). The child of a
// multithreaded process may only make async-signal-safe calls until it
// execs: another thread may have held the allocator's lock at the fork (under
// ASan it often does), and an allocation in the child would then wait forever.
#pragma once

#include <string>
#include <vector>

namespace mcpgw::testing {

// Points into `args`, which must outlive the exec.
inline std::vector<char*> ExecArgv(std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return argv;
}

}  // namespace mcpgw::testing
