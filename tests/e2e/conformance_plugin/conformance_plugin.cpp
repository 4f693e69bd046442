// Test-only plugin: the server fixtures of the official MCP conformance
// suite (tools of every content type, logging, progress, errors, resources
// and a template, prompts, completions), offered through the plugin ABI so
// the suite exercises the gateway end to end, plus list-change triggers for
// the gateway's own notification tests. Fixtures that need server-to-client
// requests (test_sampling, test_elicitation*, the 2026-07-28 input_required
// tools) are absent: plugin ABI v1 has no host service for them
// (docs/adr/0002); tests/e2e/conformance-baseline.yml lists those scenarios.
//
// The plugin keeps no mutable state, so it is declared thread-safe.
#include "fixtures.h"

#include <mcpgw/plugin.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <thread>

namespace {

using mcpgw::json;
using namespace std::chrono_literals;

json NoArgs() { return {{"type", "object"}, {"properties", json::object()}}; }
json Text(const std::string& t) { return mcpgw::TextContent(t); }
json Image() { return {{"type", "image"}, {"data", conformance::kPng}, {"mimeType", "image/png"}}; }
json Embedded(const std::string& uri, const std::string& mime, const std::string& text) {
  return {{"type", "resource"}, {"resource", {{"uri", uri}, {"mimeType", mime}, {"text", text}}}};
}
json UserMessage(json content) { return {{"role", "user"}, {"content", std::move(content)}}; }

// The string argument `name` of a prompt, or INVALID_PARAMS when absent.
std::string RequiredArgument(const json& args, const char* name) {
  const auto it = args.find(name);
  if (it == args.end() || !it->is_string()) {
    throw mcpgw::Error(MCPGW_INVALID_PARAMS, std::string("Missing required argument: ") + name);
  }
  return it->get<std::string>();
}

// The <id> of test://template/<id>/data; empty when `uri` has another form.
std::string_view TemplateId(std::string_view uri) {
  constexpr std::string_view kPrefix = "test://template/", kSuffix = "/data";
  if (uri.size() <= kPrefix.size() + kSuffix.size() || !uri.starts_with(kPrefix) || !uri.ends_with(kSuffix)) return {};
  const std::string_view id = uri.substr(kPrefix.size(), uri.size() - kPrefix.size() - kSuffix.size());
  return id.find('/') == std::string_view::npos ? id : std::string_view();
}

class ConformancePlugin : public mcpgw::Plugin {
 public:
  static constexpr bool kResources = true, kPrompts = true, kCompletions = true;

  explicit ConformancePlugin(const mcpgw_plugin_init* init) : Plugin(init) {
    AddContentTools();
    AddBehaviourTools();
    AddTriggerTools();
    AddResources();
    AddPrompts();
  }

  // Serves the registered resources and every URI of the template.
  json ReadResource(mcpgw::Call& call, const std::string& uri) override {
    const std::string id(TemplateId(uri));
    if (id.empty()) return Plugin::ReadResource(call, uri);
    // ordered_json keeps the reference server's key order in the text.
    const nlohmann::ordered_json data{{"id", id}, {"templateTest", true}, {"data", "Data for ID: " + id}};
    return {{"contents", {{{"uri", uri}, {"mimeType", "application/json"}, {"text", data.dump()}}}}};
  }

  // Completes arg1 of test_prompt_with_arguments by prefix; nothing else.
  json Complete(mcpgw::Call&, const json& request) override {
    json values = json::array();
    const json ref = request.value("ref", json::object());
    const json arg = request.value("argument", json::object());
    if (ref.value("type", "") == "ref/prompt" && ref.value("name", "") == "test_prompt_with_arguments" &&
        arg.value("name", "") == "arg1") {
      const std::string prefix = arg.value("value", "");
      for (const std::string_view v : {"test1", "test2", "test3", "other"}) {
        if (v.starts_with(prefix)) values.push_back(v);
      }
    }
    const size_t total = values.size();
    return {{"completion", {{"values", std::move(values)}, {"total", total}, {"hasMore", false}}}};
  }

 private:
  void Tool(const std::string& name, const std::string& description, json schema, ToolHandler handler) {
    AddTool({{"name", name}, {"description", description}, {"inputSchema", std::move(schema)}}, std::move(handler));
  }

  void AddContentTools() {
    // test_simple_text first: header-validation scenarios call tools[0] with {}.
    Tool("test_simple_text", "Returns simple text content", NoArgs(),
         [](mcpgw::Call&, const json&) { return mcpgw::ToolResult("This is a simple text response for testing."); });
    Tool("test_image_content", "Returns image content", NoArgs(),
         [](mcpgw::Call&, const json&) { return json{{"content", {Image()}}}; });
    Tool("test_audio_content", "Returns audio content", NoArgs(), [](mcpgw::Call&, const json&) {
      return json{{"content", {{{"type", "audio"}, {"data", conformance::kWav}, {"mimeType", "audio/wav"}}}}};
    });
    Tool("test_embedded_resource", "Returns an embedded resource", NoArgs(), [](mcpgw::Call&, const json&) {
      return json{{"content", {Embedded("test://embedded-resource", "text/plain", "This is an embedded resource content.")}}};
    });
    Tool("test_multiple_content_types", "Returns text, image and resource content", NoArgs(),
         [](mcpgw::Call&, const json&) {
           return json{{"content",
                        {Text("Multiple content types test:"), Image(),
                         Embedded("test://mixed-content-resource", "application/json", R"({"test":"data","value":123})")}}};
         });
    Tool("test_error_handling", "Always fails, as a tool error (isError: true)", NoArgs(), [](mcpgw::Call&, const json&) {
      return mcpgw::ToolError("This tool intentionally returns an error for testing");
    });
    Tool("json_schema_2020_12_tool", "Has a JSON Schema 2020-12 input schema; echoes its arguments",
         json::parse(conformance::kJsonSchema202012),
         [](mcpgw::Call&, const json& args) { return mcpgw::ToolResult(args.dump()); });
    // 2026-07-28: the suite checks the Mcp-Param-Region header against `region`.
    Tool("test_custom_header", "Mirrors its region parameter into the Mcp-Param-Region header",
         {{"type", "object"},
          {"properties", {{"region", {{"type", "string"}, {"description", "Region"}, {"x-mcp-header", "Region"}}}}}},
         [](mcpgw::Call&, const json& args) { return mcpgw::ToolResult("region=" + args.value("region", "")); });
  }

  void AddBehaviourTools() {
    Tool("test_tool_with_logging", "Sends three info log messages while it runs", NoArgs(),
         [](mcpgw::Call& call, const json&) {
           bool first = true;
           for (const char* m : {"Tool execution started", "Tool processing data", "Tool execution completed"}) {
             if (!first) std::this_thread::sleep_for(50ms);
             first = false;
             call.Log(MCPGW_LOG_INFO, m);
           }
           return mcpgw::ToolResult("Tool with logging executed successfully");
         });
    // 2026-07-28: logs only when the request's _meta asks for a log level.
    Tool("test_logging_tool", "Logs one info message (sent only when the request asks for logs)", NoArgs(),
         [](mcpgw::Call& call, const json&) {
           call.Log(MCPGW_LOG_INFO, "logging tool ran");
           return mcpgw::ToolResult("Logging tool executed");
         });
    // The result text cannot be the progress token: the ABI does not expose it.
    Tool("test_tool_with_progress", "Reports progress 0, 50 and 100 of 100", NoArgs(),
         [](mcpgw::Call& call, const json&) {
           for (int step : {0, 50, 100}) {
             if (step != 0) std::this_thread::sleep_for(50ms);
             call.Progress(step, 100, "Completed step " + std::to_string(step) + " of 100");
           }
           return mcpgw::ToolResult("Progress test completed");
         });
    Tool("test_reconnection", "Runs for about 400 ms so its response stream can be closed and resumed", NoArgs(),
         [](mcpgw::Call& call, const json&) {
           for (int i = 0; i < 40; ++i) {
             if (call.Cancelled()) throw mcpgw::Error(MCPGW_CANCELLED, "cancelled");
             std::this_thread::sleep_for(10ms);
           }
           return mcpgw::ToolResult(conformance::kReconnectionText);
         });
  }

  // Tools that make the host send notifications. test_trigger_* are the
  // suite's 2026-07-28 fixtures; the others serve the gateway's own tests.
  void AddTriggerTools() {
    ListChangedTool("trigger_list_changed", "Test helper: reports that the tool list changed", MCPGW_LIST_TOOLS);
    ListChangedTool("test_trigger_tool_change", "Reports that the tool list changed", MCPGW_LIST_TOOLS);
    ListChangedTool("test_trigger_prompt_change", "Reports that the prompt list changed", MCPGW_LIST_PROMPTS);
    Tool("trigger_resource_updated", "Test helper: reports that the resource `uri` changed",
         {{"type", "object"},
          {"properties", {{"uri", {{"type", "string"}, {"description", "The resource that changed"}}}}},
          {"required", {"uri"}}},
         [this](mcpgw::Call&, const json& args) {
           NotifyResourceUpdated(args.at("uri").get<std::string>());
           return mcpgw::ToolResult("ok");
         });
  }

  void ListChangedTool(const std::string& name, const std::string& description, mcpgw_list_kind kind) {
    Tool(name, description, NoArgs(), [this, kind](mcpgw::Call&, const json&) {
      NotifyListChanged(kind);
      return mcpgw::ToolResult("ok");
    });
  }

  void AddResources() {
    auto text = [](const std::string& body) {
      return [body](mcpgw::Call&, const std::string& uri) {
        return json{{"contents", {{{"uri", uri}, {"mimeType", "text/plain"}, {"text", body}}}}};
      };
    };
    AddResource({{"uri", "test://static-text"}, {"name", "static-text"}, {"title", "Static text"},
                 {"description", "A static text resource"}, {"mimeType", "text/plain"}},
                text("This is the content of the static text resource."));
    AddResource({{"uri", "test://static-binary"}, {"name", "static-binary"}, {"title", "Static binary"},
                 {"description", "A static 1x1 PNG"}, {"mimeType", "image/png"}},
                [](mcpgw::Call&, const std::string& uri) {
                  return json{{"contents", {{{"uri", uri}, {"mimeType", "image/png"}, {"blob", conformance::kPng}}}}};
                });
    AddResource({{"uri", "test://watched-resource"}, {"name", "watched-resource"}, {"title", "Watched resource"},
                 {"description", "A resource to subscribe to"}, {"mimeType", "text/plain"}},
                text("Watched resource content"));
    AddResourceTemplate({{"uriTemplate", "test://template/{id}/data"}, {"name", "template"},
                         {"title", "Template data"}, {"description", "JSON data for an id"},
                         {"mimeType", "application/json"}});
  }

  void AddPrompts() {
    AddPrompt({{"name", "test_simple_prompt"}, {"description", "A prompt without arguments"}},
              [](mcpgw::Call&, const json&) {
                return json{{"messages", {UserMessage(Text("This is a simple prompt for testing."))}}};
              });
    AddPrompt({{"name", "test_prompt_with_arguments"},
               {"description", "A prompt with two required arguments"},
               {"arguments", {{{"name", "arg1"}, {"description", "First argument"}, {"required", true}},
                              {{"name", "arg2"}, {"description", "Second argument"}, {"required", true}}}}},
              [](mcpgw::Call&, const json& args) {
                const std::string text = "Prompt with arguments: arg1='" + RequiredArgument(args, "arg1") +
                                         "', arg2='" + RequiredArgument(args, "arg2") + "'";
                return json{{"messages", {UserMessage(Text(text))}}};
              });
    AddPrompt({{"name", "test_prompt_with_embedded_resource"},
               {"description", "A prompt that embeds a resource"},
               {"arguments", {{{"name", "resourceUri"}, {"description", "URI of the resource to embed"},
                               {"required", true}}}}},
              [](mcpgw::Call&, const json& args) {
                const std::string uri = RequiredArgument(args, "resourceUri");
                return json{{"messages",
                             {UserMessage(Embedded(uri, "text/plain", "Embedded resource content for testing.")),
                              UserMessage(Text("Please process the embedded resource above."))}}};
              });
    AddPrompt({{"name", "test_prompt_with_image"}, {"description", "A prompt with an image"}},
              [](mcpgw::Call&, const json&) {
                return json{{"messages", {UserMessage(Image()), UserMessage(Text("Please analyze the image above."))}}};
              });
  }
};

}  // namespace

MCPGW_PLUGIN(ConformancePlugin, "conformance", "1.0.0", MCPGW_PLUGIN_THREAD_SAFE)
