#include "filesystem_tools.h"

#include <cmath>
#include <cstdio>

#include "file_format.h"
#include "file_ops.h"
#include "path_addressing.h"
#include "text_edits.h"
#include "tool_definitions.h"
#include "unified_diff.h"
#include "utf8_text.h"

namespace mcpgw::filesystem {

using nlohmann::json;

namespace {

std::string WithLimit(std::string message, const SysError& error, uint64_t limit) {
  if (error.code == kReadLimit) message += " (this route reads at most " + std::to_string(limit) + " bytes)";
  return message;
}

std::vector<std::string> SplitOn(std::string_view text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    const size_t at = text.find(separator, start);
    parts.emplace_back(text.substr(start, at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

// JavaScript truthiness of an optional numeric argument (0 and NaN are false).
std::optional<double> Count(const json& arguments, const char* key) {
  if (!arguments.contains(key) || arguments[key].is_null()) return std::nullopt;
  const double value = arguments[key].get<double>();
  if (value == 0 || std::isnan(value)) return std::nullopt;
  return value;
}

}  // namespace

std::string JoinRelative(std::string_view relative, std::string_view name) {
  if (relative.empty()) return std::string(name);
  std::string joined(relative);
  if (joined.back() != '/') joined.push_back('/');
  return joined + std::string(name);
}

json TextAnswer(std::string text) {
  json answer{{"content", json::array({{{"type", "text"}, {"text", text}}})}};
  answer["structuredContent"] = {{"content", std::move(text)}};
  return answer;
}

std::variant<std::unique_ptr<FilesystemTools>, std::string> FilesystemTools::Create(FilesystemConfig config) {
  std::vector<ConfinedRoot> roots;
  for (const RootConfig& root : config.roots) {
    auto opened = ConfinedRoot::Open(root.host_path, config.no_symlinks);
    if (!opened) {
      const SysError& error = opened.error();
      if (error.code == ENOSYS || std::string_view(error.syscall) == "openat2") {
        return "filesystem: this kernel does not allow openat2(2) (Linux 5.6+ without a seccomp filter "
               "blocking it is required): " + DescribeSysError(error, root.host_path, "");
      }
      return "filesystem: root \"" + root.name + "\" cannot be opened as a directory: " +
             DescribeSysError(error, root.host_path, "");
    }
    roots.push_back(std::move(*opened));
  }
  return std::unique_ptr<FilesystemTools>(new FilesystemTools(std::move(config), std::move(roots)));
}

FilesystemTools::FilesystemTools(FilesystemConfig config, std::vector<ConfinedRoot> roots)
    : config_(std::move(config)), roots_(std::move(roots)) {
  for (const RootConfig& root : config_.roots) root_names_.push_back(root.name);
}

json FilesystemTools::ListTools() const {
  json tools = json::array();
  for (json& tool : FilesystemToolDefinitions()) {
    if (config_.read_only && IsMutatingTool(tool.at("name").get<std::string>())) continue;
    tools.push_back(std::move(tool));
  }
  return json{{"tools", std::move(tools)}};
}

std::optional<json> FilesystemTools::Call(std::string_view name, const json& arguments) const {
  using Handler = json (FilesystemTools::*)(const json&) const;
  struct Entry {
    std::string_view name;
    Handler handler;
  };
  static constexpr Entry kHandlers[] = {
      {"read_file", &FilesystemTools::ReadTextFile},
      {"read_text_file", &FilesystemTools::ReadTextFile},
      {"read_media_file", &FilesystemTools::ReadMediaFile},
      {"read_multiple_files", &FilesystemTools::ReadMultipleFiles},
      {"write_file", &FilesystemTools::WriteFile},
      {"edit_file", &FilesystemTools::EditFile},
      {"create_directory", &FilesystemTools::CreateDirectory},
      {"list_directory", &FilesystemTools::ListDirectory},
      {"list_directory_with_sizes", &FilesystemTools::ListDirectoryWithSizes},
      {"directory_tree", &FilesystemTools::DirectoryTree},
      {"move_file", &FilesystemTools::MoveFile},
      {"search_files", &FilesystemTools::SearchFiles},
      {"get_file_info", &FilesystemTools::GetFileInfo},
  };
  try {
    if (name == "list_allowed_directories") return ListAllowedDirectories();
    for (const Entry& entry : kHandlers) {
      if (entry.name != name) continue;
      if (config_.read_only && IsMutatingTool(name)) {
        return json{{"content", json::array({{{"type", "text"},
                                               {"text", std::string(name) +
                                                            " is not available: this route is read-only"}}})},
                    {"isError", true}};
      }
      return (this->*entry.handler)(arguments);
    }
    return std::nullopt;
  } catch (const ToolRefusal& refusal) {
    return json{{"content", json::array({{{"type", "text"}, {"text", refusal.message}}})}, {"isError", true}};
  }
}

FilesystemTools::Target FilesystemTools::Resolve(const std::string& given) const {
  if (given.find('\0') != std::string::npos) {
    throw ToolRefusal{"Invalid path - it contains a NUL byte: " + json(given).dump()};
  }
  const auto address = ResolveAddress(root_names_, given);
  if (!address) Fail(SysError{kEscapesRoot, "open"}, given);
  return Target{&roots_[address->root], &root_names_[address->root], address->relative, given};
}

void FilesystemTools::Fail(const SysError& error, std::string_view shown) const {
  throw ToolRefusal{WithLimit(DescribeSysError(error, shown, AllowedRoots(", ")), error, config_.max_read_bytes)};
}

std::string FilesystemTools::AllowedRoots(std::string_view separator) const {
  std::vector<std::string> shown;
  for (const std::string& name : root_names_) shown.push_back("/" + name);
  return Join(shown, separator);
}

std::string FilesystemTools::ReadBytesOf(const Target& target, uint64_t limit) const {
  auto bytes = ReadWholeFile(*target.root, target.relative, limit);
  if (!bytes) Fail(bytes.error(), target.given);
  return std::move(*bytes);
}

std::string FilesystemTools::ReadTextOf(const Target& target, uint64_t limit) const {
  return DecodeUtf8Lossy(ReadBytesOf(target, limit));
}

json FilesystemTools::ReadTextFile(const json& arguments) const {
  const Target target = Resolve(arguments.at("path").get<std::string>());
  const std::optional<double> head = Count(arguments, "head"), tail = Count(arguments, "tail");
  if (head && tail) throw ToolRefusal{"Cannot specify both head and tail parameters simultaneously"};
  if (tail) {
    // The last N "\n"-separated pieces; a file ending in "\n" ends in an
    // empty piece, as in the reference.
    const auto lines = static_cast<uint64_t>(std::max(0.0, std::trunc(*tail)));
    auto bytes = ReadTrailingLines(*target.root, target.relative, lines, config_.max_read_bytes);
    if (!bytes) Fail(bytes.error(), target.given);
    const std::vector<std::string> pieces = SplitOn(NormalizeLineEndings(DecodeUtf8Lossy(*bytes)), '\n');
    const size_t keep = std::min<size_t>(pieces.size(), lines);
    return TextAnswer(Join(std::vector<std::string>(pieces.end() - static_cast<ptrdiff_t>(keep), pieces.end()), "\n"));
  }
  if (head) {
    // The first N lines; an unterminated last line counts, a final "\n"
    // adds no empty line.
    const auto lines = static_cast<uint64_t>(std::max(0.0, std::ceil(*head)));
    auto bytes = ReadLeadingLines(*target.root, target.relative, lines, config_.max_read_bytes);
    if (!bytes) Fail(bytes.error(), target.given);
    std::vector<std::string> pieces = SplitOn(DecodeUtf8Lossy(*bytes), '\n');
    if (pieces.back().empty()) pieces.pop_back();
    if (pieces.size() > lines) pieces.resize(lines);
    return TextAnswer(Join(pieces, "\n"));
  }
  return TextAnswer(ReadTextOf(target, config_.max_read_bytes));
}

json FilesystemTools::ReadMediaFile(const json& arguments) const {
  const Target target = Resolve(arguments.at("path").get<std::string>());
  const std::string bytes = ReadBytesOf(target, config_.max_read_bytes);
  const std::string shown = DisplayPath(*target.root_name, target.relative);
  const std::string mime = MediaMimeType(shown.substr(shown.rfind('/') + 1));
  json item;
  if (mime.rfind("image/", 0) == 0 || mime.rfind("audio/", 0) == 0) {
    item = {{"type", mime.substr(0, 5)}, {"data", Base64(bytes)}, {"mimeType", mime}};
  } else {
    item = {{"type", "resource"}, {"resource", {{"uri", FileUrl(shown)}, {"mimeType", mime}, {"blob", Base64(bytes)}}}};
  }
  json answer{{"content", json::array({item})}};
  answer["structuredContent"] = {{"content", json::array({std::move(item)})}};
  return answer;
}

json FilesystemTools::ReadMultipleFiles(const json& arguments) const {
  // One budget for all files together, so a long list cannot multiply the
  // route's read limit.
  uint64_t budget = config_.max_read_bytes;
  std::vector<std::string> parts;
  for (const json& path : arguments.at("paths")) {
    const std::string given = path.get<std::string>();
    try {
      const std::string text = ReadTextOf(Resolve(given), budget);
      budget -= std::min<uint64_t>(budget, text.size());
      parts.push_back(given + ":\n" + text + "\n");
    } catch (const ToolRefusal& refusal) {
      parts.push_back(given + ": Error - " + refusal.message);
    }
  }
  return TextAnswer(Join(parts, "\n---\n"));
}

json FilesystemTools::WriteFile(const json& arguments) const {
  const Target target = Resolve(arguments.at("path").get<std::string>());
  const std::string& content = arguments.at("content").get_ref<const std::string&>();
  if (content.size() > config_.max_write_bytes) {
    throw ToolRefusal{"Content too large to write to " + target.given + ": " + std::to_string(content.size()) +
                      " bytes (this route writes at most " + std::to_string(config_.max_write_bytes) + " bytes)"};
  }
  if (auto written = WriteFileAtomically(*target.root, target.relative, content); !written) {
    Fail(written.error(), target.given);
  }
  return TextAnswer("Successfully wrote to " + target.given);
}

json FilesystemTools::EditFile(const json& arguments) const {
  const Target target = Resolve(arguments.at("path").get<std::string>());
  std::vector<TextEdit> edits;
  for (const json& edit : arguments.at("edits")) {
    edits.push_back(TextEdit{edit.at("oldText").get<std::string>(), edit.at("newText").get<std::string>()});
  }
  const bool dry_run = arguments.value("dryRun", false);
  // Only the edited bytes may change: a file whose other bytes could not be
  // written back as they are (not UTF-8, mixed line endings) is refused.
  const std::string bytes = ReadBytesOf(target, config_.max_read_bytes);
  const auto layout = DetectLayout(bytes);
  if (const auto* reason = std::get_if<std::string>(&layout)) {
    throw ToolRefusal{"Refused - " + target.given + " " + *reason +
                      "; edit_file would change bytes it was not asked to change, so nothing was written"};
  }
  const FileLayout& file = std::get<FileLayout>(layout);
  const EditOutcome outcome = ApplyTextEdits(TextOf(file, bytes), edits);
  if (outcome.failure) throw ToolRefusal{*outcome.failure};
  // The diff is of the text with "\n" line endings and no byte order mark.
  const std::string diff =
      FencedDiff(UnifiedDiff(DisplayPath(*target.root_name, target.relative), outcome.original, outcome.edited));
  if (!dry_run) {
    const std::string edited = FileBytes(file, outcome.edited);
    if (edited.size() > config_.max_write_bytes) {
      throw ToolRefusal{"The edited file would be too large to write: " + std::to_string(edited.size()) +
                        " bytes (this route writes at most " + std::to_string(config_.max_write_bytes) + " bytes)"};
    }
    if (auto written = WriteFileAtomically(*target.root, target.relative, edited); !written) {
      Fail(written.error(), target.given);
    }
  }
  return TextAnswer(diff);
}

json FilesystemTools::CreateDirectory(const json& arguments) const {
  const Target target = Resolve(arguments.at("path").get<std::string>());
  if (auto made = MakeDirectories(*target.root, target.relative); !made) Fail(made.error(), target.given);
  return TextAnswer("Successfully created directory " + target.given);
}

json FilesystemTools::MoveFile(const json& arguments) const {
  const Target source = Resolve(arguments.at("source").get<std::string>());
  const Target destination = Resolve(arguments.at("destination").get<std::string>());
  auto from = source.root->OpenParent(source.relative);
  if (!from) Fail(Relabel(from.error(), "rename"), source.given);
  auto to = destination.root->OpenParent(destination.relative);
  if (!to) Fail(Relabel(to.error(), "rename"), destination.given);
  if (auto moved = MoveEntry(*from, *to); !moved) {
    if (moved.error().code == EEXIST) throw ToolRefusal{"Destination already exists: " + destination.given};
    Fail(moved.error(), source.given + "' -> '" + destination.given);
  }
  return TextAnswer("Successfully moved " + source.given + " to " + destination.given);
}

json FilesystemTools::GetFileInfo(const json& arguments) const {
  const Target target = Resolve(arguments.at("path").get<std::string>());
  auto info = StatBeneath(*target.root, target.relative);
  if (!info) Fail(info.error(), target.given);
  const auto when = [](const statx_timestamp& t) { return FormatJsDate(timespec{t.tv_sec, t.tv_nsec}); };
  const bool has_birth = (info->stx_mask & STATX_BTIME) != 0;
  char permissions[8];
  std::snprintf(permissions, sizeof permissions, "%03o", info->stx_mode & 0777u);
  const bool is_directory = S_ISDIR(info->stx_mode), is_file = S_ISREG(info->stx_mode);
  return TextAnswer("size: " + std::to_string(info->stx_size) + "\ncreated: " +
                    when(has_birth ? info->stx_btime : info->stx_ctime) + "\nmodified: " + when(info->stx_mtime) +
                    "\naccessed: " + when(info->stx_atime) + "\nisDirectory: " + (is_directory ? "true" : "false") +
                    "\nisFile: " + (is_file ? "true" : "false") + "\npermissions: " + permissions);
}

json FilesystemTools::ListAllowedDirectories() const {
  return TextAnswer("Allowed directories:\n" + AllowedRoots("\n"));
}

}  // namespace mcpgw::filesystem
