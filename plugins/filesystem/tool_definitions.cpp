#include "tool_definitions.h"

namespace mcpgw::filesystem {
namespace {

using nlohmann::json;

constexpr const char* kWhere =
    " Paths are absolute under an allowed directory (see list_allowed_directories), or relative to the first one.";

json String(const char* description = nullptr) {
  json s{{"type", "string"}};
  if (description != nullptr) s["description"] = description;
  return s;
}

json Input(json properties, json required) {
  json s{{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) s["required"] = std::move(required);
  return s;
}

// Every tool but read_media_file answers {"content": "<the text>"}.
json TextOutput() {
  return json{{"type", "object"},
              {"properties", {{"content", String()}}},
              {"required", {"content"}},
              {"additionalProperties", false}};
}

json MediaOutput() {
  const json media{{"type", "object"},
                   {"properties",
                    {{"type", {{"type", "string"}, {"enum", {"image", "audio"}}}},
                     {"data", String()},
                     {"mimeType", String()}}},
                   {"required", {"type", "data", "mimeType"}},
                   {"additionalProperties", false}};
  const json resource{
      {"type", "object"},
      {"properties",
       {{"type", {{"type", "string"}, {"const", "resource"}}},
        {"resource",
         {{"type", "object"},
          {"properties", {{"uri", String()}, {"mimeType", String()}, {"blob", String()}}},
          {"required", {"uri", "blob"}},
          {"additionalProperties", false}}}}},
      {"required", {"type", "resource"}},
      {"additionalProperties", false}};
  return json{{"type", "object"},
              {"properties", {{"content", {{"type", "array"}, {"items", {{"anyOf", {media, resource}}}}}}}},
              {"required", {"content"}},
              {"additionalProperties", false}};
}

enum class Effect { kReads, kWritesIdempotent, kWritesDestructive, kCreates };

json Annotations(Effect effect) {
  json a{{"readOnlyHint", effect == Effect::kReads}, {"openWorldHint", false}};
  if (effect == Effect::kReads) return a;
  a["destructiveHint"] = effect != Effect::kCreates;
  a["idempotentHint"] = effect == Effect::kWritesIdempotent || effect == Effect::kCreates;
  return a;
}

json Tool(const char* name, const char* title, const std::string& description, json input, json output,
          Effect effect) {
  return json{{"name", name},         {"title", title},         {"description", description + kWhere},
              {"inputSchema", input}, {"outputSchema", output}, {"annotations", Annotations(effect)}};
}

json ReadTextInput() {
  return Input({{"path", String()},
                {"tail", {{"type", "number"}, {"description", "If provided, returns only the last N lines of the file"}}},
                {"head", {{"type", "number"}, {"description", "If provided, returns only the first N lines of the file"}}}},
               {"path"});
}

json PathOnly() { return Input({{"path", String()}}, {"path"}); }

json Patterns() { return json{{"type", "array"}, {"items", String()}, {"default", json::array()}}; }

}  // namespace

bool IsMutatingTool(std::string_view name) {
  return name == "write_file" || name == "edit_file" || name == "create_directory" || name == "move_file";
}

json FilesystemToolDefinitions() {
  json tools = json::array();
  tools.push_back(Tool("read_file", "Read File (Deprecated)",
                       "Read a whole file as UTF-8 text. Deprecated: use read_text_file.", ReadTextInput(),
                       TextOutput(), Effect::kReads));
  tools.push_back(Tool("read_text_file", "Read Text File",
                       "Read a file as UTF-8 text (invalid bytes become U+FFFD). 'head' returns only the first N "
                       "lines, 'tail' only the last N; not both. Files above the route's read limit are refused.",
                       ReadTextInput(), TextOutput(), Effect::kReads));
  tools.push_back(Tool("read_media_file", "Read Media File",
                       "Read a file as base64 with its MIME type: images and audio as image/audio content, anything "
                       "else as an embedded resource.",
                       PathOnly(), MediaOutput(), Effect::kReads));
  tools.push_back(Tool(
      "read_multiple_files", "Read Multiple Files",
      "Read several text files at once. Each file's text follows its path; a file that cannot be read shows its "
      "error instead and does not stop the others.",
      Input({{"paths",
              {{"type", "array"},
               {"items", String()},
               {"minItems", 1},
               {"description",
                "Array of file paths to read. Each path must be a string pointing to a valid file within allowed "
                "directories."}}}},
            {"paths"}),
      TextOutput(), Effect::kReads));
  tools.push_back(Tool("write_file", "Write File",
                       "Create a file or replace an existing one with the given text. The write is atomic: readers "
                       "see the old or the new content, never a mix.",
                       Input({{"path", String()}, {"content", String()}}, {"path", "content"}), TextOutput(),
                       Effect::kWritesIdempotent));
  tools.push_back(Tool(
      "edit_file", "Edit File",
      "Replace text in a file: each edit replaces the first match of oldText (exact, or line by line ignoring "
      "surrounding whitespace). Returns a git-style diff; with dryRun the file is left unchanged.",
      Input({{"path", String()},
             {"edits",
              {{"type", "array"},
               {"items", Input({{"oldText", String("Text to search for - must match exactly")},
                                {"newText", String("Text to replace with")}},
                               {"oldText", "newText"})}}},
             {"dryRun",
              {{"type", "boolean"}, {"default", false}, {"description", "Preview changes using git-style diff format"}}}},
            {"path", "edits"}),
      TextOutput(), Effect::kWritesDestructive));
  tools.push_back(Tool("create_directory", "Create Directory",
                       "Create a directory and any missing parents; succeeds if it already exists.", PathOnly(),
                       TextOutput(), Effect::kCreates));
  tools.push_back(Tool("list_directory", "List Directory",
                       "List a directory's entries, each marked [DIR] or [FILE].", PathOnly(), TextOutput(),
                       Effect::kReads));
  tools.push_back(Tool(
      "list_directory_with_sizes", "List Directory with Sizes",
      "List a directory's entries marked [DIR] or [FILE], with file sizes and totals.",
      Input({{"path", String()},
             {"sortBy",
              {{"type", "string"},
               {"enum", {"name", "size"}},
               {"default", "name"},
               {"description", "Sort entries by name or size"}}}},
            {"path"}),
      TextOutput(), Effect::kReads));
  tools.push_back(Tool("directory_tree", "Directory Tree",
                       "A recursive tree of a directory as JSON (2-space indented): entries with 'name' and 'type' "
                       "(file/directory); directories have 'children'. excludePatterns are globs on the path "
                       "relative to 'path'.",
                       Input({{"path", String()}, {"excludePatterns", Patterns()}}, {"path"}), TextOutput(),
                       Effect::kReads));
  tools.push_back(Tool("move_file", "Move File",
                       "Move or rename a file or directory. Fails if the destination exists (never overwrites).",
                       Input({{"source", String()}, {"destination", String()}}, {"source", "destination"}),
                       TextOutput(), Effect::kWritesDestructive));
  tools.push_back(Tool("search_files", "Search Files",
                       "Recursively find files and directories whose path relative to 'path' matches a glob "
                       "('*.ext' at the top, '**/*.ext' at any depth). Returns full paths, one per line.",
                       Input({{"path", String()}, {"pattern", String()}, {"excludePatterns", Patterns()}},
                             {"path", "pattern"}),
                       TextOutput(), Effect::kReads));
  tools.push_back(Tool("get_file_info", "Get File Info",
                       "Size, creation, modification and access times, type and permissions of a file or directory.",
                       PathOnly(), TextOutput(), Effect::kReads));
  tools.push_back(Tool("list_allowed_directories", "List Allowed Directories",
                       "The directories this route may access; everything below them is accessible too.",
                       Input(json::object(), json::array()), TextOutput(), Effect::kReads));
  return tools;
}

}  // namespace mcpgw::filesystem
