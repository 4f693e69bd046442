#include "unified_diff.h"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <vector>

namespace mcpgw::filesystem {
namespace {

constexpr size_t kContext = 4;
// Past this many differences the middle of the texts is shown as removed
// and re-added in one block: a shortest edit script that large costs
// quadratic memory and helps no reader.
constexpr int kMaxEditDistance = 2000;

// Lines with their "\n" (the last one may lack it).
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t newline = text.find('\n', start);
    const size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

enum class Op { kKeep, kRemove, kAdd };

// The shortest edit script (Myers, O(ND)) turning a[0..n) into b[0..m).
std::vector<Op> ShortestEditScript(const std::vector<int>& a, const std::vector<int>& b) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  const int max_d = std::min(n + m, kMaxEditDistance);
  const int offset = max_d + 1;
  std::vector<int> v(static_cast<size_t>(2 * offset + 1), 0);
  std::vector<std::vector<int>> trace;
  int found_d = -1;
  for (int d = 0; d <= max_d && found_d < 0; ++d) {
    trace.push_back(v);
    for (int k = -d; k <= d; k += 2) {
      const size_t at = static_cast<size_t>(k + offset);
      int x = (k == -d || (k != d && v[at - 1] < v[at + 1])) ? v[at + 1] : v[at - 1] + 1;
      int y = x - k;
      while (x < n && y < m && a[static_cast<size_t>(x)] == b[static_cast<size_t>(y)]) ++x, ++y;
      v[at] = x;
      if (x >= n && y >= m) {
        found_d = d;
        break;
      }
    }
  }
  std::vector<Op> script;
  if (found_d < 0) {  // too different: everything out, everything in
    script.assign(static_cast<size_t>(n), Op::kRemove);
    script.insert(script.end(), static_cast<size_t>(m), Op::kAdd);
    return script;
  }
  int x = n, y = m;
  for (int d = found_d; d > 0; --d) {
    const std::vector<int>& before = trace[static_cast<size_t>(d)];
    const int k = x - y;
    const size_t at = static_cast<size_t>(k + offset);
    const bool down = k == -d || (k != d && before[at - 1] < before[at + 1]);
    const int prev_k = down ? k + 1 : k - 1;
    const int prev_x = before[static_cast<size_t>(prev_k + offset)];
    const int prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) script.push_back(Op::kKeep), --x, --y;
    script.push_back(down ? Op::kAdd : Op::kRemove);
    x = prev_x, y = prev_y;
  }
  while (x > 0 && y > 0) script.push_back(Op::kKeep), --x, --y;
  std::reverse(script.begin(), script.end());
  return script;
}

// A run of lines that are kept, or one change (removals, then additions).
struct Block {
  bool changed = false;
  std::vector<std::string_view> removed;  // or the kept lines
  std::vector<std::string_view> added;
};

std::vector<Block> DiffBlocks(const std::vector<std::string_view>& old_lines,
                              const std::vector<std::string_view>& new_lines) {
  std::unordered_map<std::string_view, int> ids;
  const auto id = [&](std::string_view line) { return ids.emplace(line, static_cast<int>(ids.size())).first->second; };
  std::vector<int> a, b;
  for (std::string_view line : old_lines) a.push_back(id(line));
  for (std::string_view line : new_lines) b.push_back(id(line));
  std::vector<Block> blocks;
  size_t i = 0, j = 0;
  for (const Op op : ShortestEditScript(a, b)) {
    const bool changed = op != Op::kKeep;
    if (blocks.empty() || blocks.back().changed != changed) blocks.push_back(Block{changed, {}, {}});
    if (op == Op::kAdd) {
      blocks.back().added.push_back(new_lines[j++]);
    } else {
      blocks.back().removed.push_back(old_lines[i++]);
      if (op == Op::kKeep) ++j;
    }
  }
  return blocks;
}

struct Hunk {
  size_t old_start = 0, old_count = 0, new_start = 0, new_count = 0;
  std::vector<std::string> lines;  // with their ' ', '-' or '+' prefix and "\n"
};

void AppendLines(Hunk& hunk, char prefix, const std::vector<std::string_view>& lines, size_t from, size_t to) {
  for (size_t k = from; k < to; ++k) hunk.lines.push_back(prefix + std::string(lines[k]));
}

std::vector<Hunk> Hunks(const std::vector<Block>& blocks) {
  std::vector<Hunk> hunks;
  std::optional<Hunk> open;
  size_t old_line = 1, new_line = 1;
  for (size_t i = 0; i < blocks.size(); ++i) {
    const Block& block = blocks[i];
    if (block.changed) {
      if (!open) {
        open.emplace();
        open->old_start = old_line, open->new_start = new_line;
        if (i > 0) {  // leading context: the end of the kept run before
          const auto& kept = blocks[i - 1].removed;
          const size_t take = std::min(kept.size(), kContext);
          AppendLines(*open, ' ', kept, kept.size() - take, kept.size());
          open->old_start -= take, open->new_start -= take;
        }
      }
      AppendLines(*open, '-', block.removed, 0, block.removed.size());
      AppendLines(*open, '+', block.added, 0, block.added.size());
      old_line += block.removed.size(), new_line += block.added.size();
      continue;
    }
    const auto& kept = block.removed;
    if (open) {
      const bool last = i + 1 == blocks.size();
      if (kept.size() <= 2 * kContext && !last) {  // short gap: the next change joins this hunk
        AppendLines(*open, ' ', kept, 0, kept.size());
      } else {
        const size_t take = std::min(kept.size(), kContext);
        AppendLines(*open, ' ', kept, 0, take);
        open->old_count = old_line - open->old_start + take;
        open->new_count = new_line - open->new_start + take;
        hunks.push_back(std::move(*open));
        open.reset();
      }
    }
    old_line += kept.size(), new_line += kept.size();
  }
  if (open) {  // the texts end in a change
    open->old_count = old_line - open->old_start;
    open->new_count = new_line - open->new_start;
    hunks.push_back(std::move(*open));
  }
  return hunks;
}

}  // namespace

std::string UnifiedDiff(std::string_view file_name, std::string_view old_text, std::string_view new_text) {
  const std::string name(file_name);
  std::string out = "Index: " + name + "\n" + std::string(67, '=') + "\n--- " + name + "\toriginal\n+++ " + name +
                    "\tmodified\n";
  for (Hunk& hunk : Hunks(DiffBlocks(SplitLines(old_text), SplitLines(new_text)))) {
    const size_t old_start = hunk.old_count == 0 ? hunk.old_start - 1 : hunk.old_start;
    const size_t new_start = hunk.new_count == 0 ? hunk.new_start - 1 : hunk.new_start;
    out += "@@ -" + std::to_string(old_start) + "," + std::to_string(hunk.old_count) + " +" +
           std::to_string(new_start) + "," + std::to_string(hunk.new_count) + " @@\n";
    for (const std::string& line : hunk.lines) {
      if (!line.empty() && line.back() == '\n') {
        out += line;
      } else {
        out += line + "\n\\ No newline at end of file\n";
      }
    }
  }
  return out;
}

}  // namespace mcpgw::filesystem
