// A unified diff of two texts, line by line, laid out as the `diff` npm
// package's createTwoFilesPatch(name, name, old, new, "original",
// "modified") lays it out (the reference server's edit_file answer):
// "Index:" and "====" header lines, four lines of context, and
// "\ No newline at end of file" markers.
#pragma once

#include <string>
#include <string_view>

namespace mcpgw::filesystem {

std::string UnifiedDiff(std::string_view file_name, std::string_view old_text, std::string_view new_text);

}  // namespace mcpgw::filesystem
