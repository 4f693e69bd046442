// Tool output capped at a byte budget (max_output_bytes). Producers stop
// once the budget is spent, so a huge diff or log never builds up in memory,
// and the text ends with a marker saying it was cut and how to get less.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mcpgw::git {

inline constexpr std::string_view kTruncationMarker = "\n[output truncated at max_output_bytes=";

class BoundedText {
 public:
  explicit BoundedText(size_t max_bytes) : max_bytes_(max_bytes) {}

  // Appends what fits; false once the budget is spent (stop producing).
  bool Append(std::string_view text);
  bool full() const { return truncated_; }

  // The text as valid UTF-8 (repository content need not be: invalid bytes
  // become U+FFFD), followed by the truncation marker when something was cut.
  // `strip_final_newline` drops one final newline of complete text, as
  // GitPython does with the git CLI's output.
  std::string Finish(bool strip_final_newline = false) &&;

 private:
  size_t max_bytes_;
  std::string text_;
  bool truncated_ = false;
};

// `bytes` with every invalid UTF-8 sequence replaced by U+FFFD.
std::string ValidUtf8(std::string_view bytes);

}  // namespace mcpgw::git
