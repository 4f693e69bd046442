// edit_file's text replacement, as the reference server applies it: each
// edit in turn replaces the first exact occurrence of its oldText; failing
// that, the first run of lines equal to oldText's lines up to surrounding
// whitespace, re-indented to where it was found. Line endings are
// normalised to "\n" first.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
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

// How a file's bytes hold its text, so that edit_file writes back exactly
// the bytes it did not edit: a UTF-8 byte order mark is kept aside (no edit
// can match or remove it), and a file whose line endings are "\r\n" gets
// them back after the edit ("\n" in newText becomes "\r\n" too).
struct FileLayout {
  bool byte_order_mark = false;
  bool crlf = false;
};

// The layout of `bytes`, or why editing them would change bytes outside
// the edit ("is not valid UTF-8 text", or line endings mixed so that no
// one ending restores them after normalisation).
std::variant<FileLayout, std::string> DetectLayout(std::string_view bytes);

// `bytes` without the byte order mark the layout keeps aside.
std::string_view TextOf(const FileLayout& layout, std::string_view bytes);

// The bytes to write for `edited` (text with "\n" line endings).
std::string FileBytes(const FileLayout& layout, std::string_view edited);

}  // namespace mcpgw::filesystem
