// edit_file's text replacement, as the reference server applies it: each
// edit in turn replaces the first exact occurrence of its oldText; failing
// that, the first run of lines equal to oldText's lines up to surrounding
// whitespace, re-indented to where it was found. Line endings are
// normalised to "\n" first.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mcpgw::filesystem {

struct TextEdit {
  std::string old_text;
  std::string new_text;
};

struct EditOutcome {
  std::string original;  // the file's text with "\r\n" normalised to "\n"
  std::string edited;
  std::optional<std::string> failure;  // the caller-facing reason no edit was written
};

EditOutcome ApplyTextEdits(std::string_view file_text, const std::vector<TextEdit>& edits);

// The diff as edit_file reports it: fenced with enough backticks that the
// diff itself cannot close the fence, followed by a blank line.
std::string FencedDiff(std::string_view diff);

std::string NormalizeLineEndings(std::string_view text);

}  // namespace mcpgw::filesystem
