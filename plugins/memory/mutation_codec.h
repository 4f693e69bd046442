// A SequencedMutation as one line of JSON, the payload of a WAL record:
//   {"seq":7,"op":"add_observations","results":[{"entityName":...,"addedObservations":[...]}]}
// The op names and argument names are the tools' own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mutation.h"

namespace mcpgw::memory {

// Compact JSON without a newline (newlines in strings are escaped).
std::string EncodeMutation(uint64_t sequence, const Mutation& mutation);

// Nothing when `payload` is not a mutation this code wrote.
std::optional<SequencedMutation> DecodeMutation(std::string_view payload);

}  // namespace mcpgw::memory
