// Whole-file reads and atomic whole-file writes, with errors that name the
// file and say what the system said.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace mcpgw::os {

// The file's bytes, or nullopt with "cannot read <path>: <reason>" in *error.
std::optional<std::string> ReadFile(const std::string& path, std::string* error);

// Writes `bytes` to `path` with `mode` through a temporary file, fsync, a
// rename and an fsync of the directory, so no reader ever sees half of it and
// a write that returned survives a power cut. On failure the temporary file
// is removed. Returns an error message or "".
std::string WriteFileAtomically(const std::string& path, const std::string& bytes, mode_t mode);

}  // namespace mcpgw::os
