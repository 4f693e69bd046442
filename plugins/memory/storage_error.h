// What went wrong below the knowledge graph: a failed system call or a file
// whose contents make no sense. Carries host paths, so it goes to the
// operator's log and is reworded before anything reaches a client.
#pragma once

#include <string>

#include "result.h"

namespace mcpgw::memory {

struct StorageError {
  std::string detail;  // what was being done, on which path
  int code = 0;        // errno; 0 when the bytes on disk were wrong, not the system call

  bool corrupt() const { return code == 0; }
  std::string ToString() const;
};

// A storage error turned into the failure a client may see: corrupt data is
// an internal error, any failing system call makes the store unavailable.
Failure ToFailure(const StorageError& error, const std::string& client_message);

template <typename T>
using StorageResult = Result<T, StorageError>;
using StorageStatus = Result<void, StorageError>;

}  // namespace mcpgw::memory
