// Test-only plugin: the server fixtures of the official MCP conformance
// suite (tools of every content type, logging, progress, errors, list-change
// triggers, resources and a template, prompts, completions), offered through
// the plugin ABI so the suite exercises the gateway end to end. Fixtures that
// need server-to-client requests (sampling, elicitation, MRTR) are absent:
// plugin ABI v1 has none (docs/adr/0002).
#include "fixtures.h"

#include <mcpgw/plugin.hpp>

#include <chrono>
#include <regex>
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

class ConformancePlugin : public mcpgw::Plugin {
 public:
  static constexpr bool kResources = true, kPrompts = true, kCompletions = true;

  explicit ConformancePlugin(const mcpgw_plugin_init* init) : Plugin(init) {
    AddContentTools();
    AddBehaviourTools();
    AddResources();
    AddPrompts();
  }

  json ReadResource(mcpgw::Call& call, const std::string& uri) override {
    static const std::regex kTemplate("^test://template/([^/]+)/data$");
    std::smatch m;
    if (!std::regex_match(uri, m, kTemplate)) return Plugin::ReadResource(call, uri);
    const std::string id = m[1];
    const json data{{"id", id}, {"templateTest", true}, {"data", "Data for ID: " + id}};
    return {{"contents", {{{"uri", uri}, {"mimeType", "application/json"}, {"text", data.dump()}}}}};
  }

  json Complete(mcpgw::Call&, const json& request) override {
    json values = json::array();
    const json ref = request.value("ref", json::object());
    const json arg = request.value("argument", json::object());
    if (ref.value("name", "") == "test_prompt_with_arguments" && arg.value("name", "") == "arg1") {
      const std::string prefix = arg.value("value", "");
      for (const char* v : {"test1", "test2", "test3", "other"}) {
        if (std::string(v).rfind(prefix, 0) == 0) values.push_back(v);
      }
    }
    return {{"completion", {{"values", values}, {"total", values.size()}, {"hasMore", false}}}};
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
    Tool("test_error_handling", "Always fails, as a tool error", NoArgs(), [](mcpgw::Call&, const json&) {
      return mcpgw::ToolError("This tool intentionally returns an error for testing");
    });
    Tool("json_schema_2020_12_tool", "Has a JSON Schema 2020-12 input schema",
         json::parse(conformance::kJsonSchema202012),
         [](mcpgw::Call&, const json& args) { return mcpgw::ToolResult(args.dump()); });
    Tool("test_custom_header", "Mirrors its region parameter into the Mcp-Param-Region header",
         {{"type", "object"},
          {"properties", {{"region", {{"type", "string"}, {"description", "Region"}, {"x-mcp-header", "Region"}}}}}},
         [](mcpgw::Call&, const json& args) { return mcpgw::ToolResult("region=" + args.value("region", "")); });
  }

  void AddBehaviourTools() {
    Tool("test_tool_with_logging", "Sends three log messages while it runs", NoArgs(), [](mcpgw::Call& call, const json&) {
      for (const char* m : {"Tool execution started", "Tool processing data", "Tool execution completed"}) {
        call.Log(MCPGW_LOG_INFO, m);
        std::this_thread::sleep_for(50ms);
      }
      return mcpgw::ToolResult("Tool with logging executed successfully");
    });
    Tool("test_logging_tool", "Logs only when the request asks for log messages", NoArgs(),
         [](mcpgw::Call& call, const json&) {
           call.Log(MCPGW_LOG_INFO, "logging tool ran");
           return mcpgw::ToolResult("Logging tool executed");
         });
    Tool("test_tool_with_progress", "Reports progress 0, 50, 100", NoArgs(), [](mcpgw::Call& call, const json&) {
      for (int step : {0, 50, 100}) {
        call.Progress(step, 100, "Completed step " + std::to_string(step) + " of 100");
        std::this_thread::sleep_for(50ms);
      }
      return mcpgw::ToolResult("Progress test completed");
    });
    Tool("test_reconnection", "Runs for about 400 ms so a long-call stream can be polled", NoArgs(),
         [](mcpgw::Call& call, const json&) {
           for (int i = 0; i < 40; ++i) {
             if (call.Cancelled()) throw mcpgw::Error(MCPGW_CANCELLED, "cancelled");
             std::this_thread::sleep_for(10ms);
           }
           return mcpgw::ToolResult(
               "Reconnection test completed successfully. If you received this, the client properly reconnected "
               "after stream closure.");
         });
    Tool("test_trigger_tool_change", "Reports that the tool list changed", NoArgs(), [this](mcpgw::Call&, const json&) {
      NotifyListChanged(MCPGW_LIST_TOOLS);
      return mcpgw::ToolResult("tools list change triggered");
    });
    Tool("test_trigger_prompt_change", "Reports that the prompt list changed", NoArgs(),
         [this](mcpgw::Call&, const json&) {
           NotifyListChanged(MCPGW_LIST_PROMPTS);
           return mcpgw::ToolResult("prompts list change triggered");
         });
    Tool("test_trigger_resource_updated", "Reports that a resource changed",
         {{"type", "object"}, {"properties", {{"uri", {{"type", "string"}}}}}, {"required", {"uri"}}},
         [this](mcpgw::Call&, const json& args) {
           NotifyResourceUpdated(args.at("uri").get<std::string>());
           return mcpgw::ToolResult("resource update triggered");
         });
  }

  void AddResources() {
    auto text = [](const std::string& mime, const std::string& body) {
      return [mime, body](mcpgw::Call&, const std::string& uri) {
        return json{{"contents", {{{"uri", uri}, {"mimeType", mime}, {"text", body}}}}};
      };
    };
    AddResource({{"uri", "test://static-text"}, {"name", "static-text"}, {"title", "Static text"},
                 {"description", "A static text resource"}, {"mimeType", "text/plain"}},
                text("text/plain", "This is the content of the static text resource."));
    AddResource({{"uri", "test://static-binary"}, {"name", "static-binary"}, {"title", "Static binary"},
                 {"description", "A static PNG"}, {"mimeType", "image/png"}},
                [](mcpgw::Call&, const std::string& uri) {
                  return json{{"contents", {{{"uri", uri}, {"mimeType", "image/png"}, {"blob", conformance::kPng}}}}};
                });
    AddResource({{"uri", "test://watched-resource"}, {"name", "watched-resource"}, {"title", "Watched"},
                 {"description", "A resource to subscribe to"}, {"mimeType", "text/plain"}},
                text("text/plain", "Watched resource content"));
    AddResourceTemplate({{"uriTemplate", "test://template/{id}/data"}, {"name", "template"},
                         {"description", "Data for an id"}, {"mimeType", "application/json"}});
  }

  void AddPrompts() {
    auto user = [](json content) { return json{{"role", "user"}, {"content", std::move(content)}}; };
    auto need = [](const json& args, const char* name) {
      if (!args.contains(name) || !args[name].is_string()) {
        throw mcpgw::Error(MCPGW_INVALID_PARAMS, std::string("Missing required argument: ") + name);
      }
      return args[name].get<std::string>();
    };
    AddPrompt({{"name", "test_simple_prompt"}, {"description", "A prompt without arguments"}},
              [user](mcpgw::Call&, const json&) {
                return json{{"messages", {user(Text("This is a simple prompt for testing."))}}};
              });
    AddPrompt({{"name", "test_prompt_with_arguments"},
               {"description", "A prompt with two required arguments"},
               {"arguments", {{{"name", "arg1"}, {"description", "First"}, {"required", true}},
                              {{"name", "arg2"}, {"description", "Second"}, {"required", true}}}}},
              [user, need](mcpgw::Call&, const json& args) {
                const std::string text =
                    "Prompt with arguments: arg1='" + need(args, "arg1") + "', arg2='" + need(args, "arg2") + "'";
                return json{{"messages", {user(Text(text))}}};
              });
    AddPrompt({{"name", "test_prompt_with_embedded_resource"},
               {"description", "A prompt that embeds a resource"},
               {"arguments", {{{"name", "resourceUri"}, {"description", "The resource"}, {"required", true}}}}},
              [user, need](mcpgw::Call&, const json& args) {
                return json{{"messages",
                             {user(Embedded(need(args, "resourceUri"), "text/plain", "Embedded resource content for testing.")),
                              user(Text("Please process the embedded resource above."))}}};
              });
    AddPrompt({{"name", "test_prompt_with_image"}, {"description", "A prompt with an image"}},
              [user](mcpgw::Call&, const json&) {
                return json{{"messages", {user(Image()), user(Text("Please analyze the image above."))}}};
              });
  }
};

}  // namespace

MCPGW_PLUGIN(ConformancePlugin, "conformance", "1.0.0", MCPGW_PLUGIN_THREAD_SAFE)
