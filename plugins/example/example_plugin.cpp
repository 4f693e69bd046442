// The example plugin: the whole plugin contract in one file.
//
// It offers two tools (one with structured output and a progress report),
// one resource and one prompt, and shows how a tool reports a failure to the
// model (isError) versus a protocol error (mcpgw::Error). Build it against
// gateway/include only; the tests load it into the real gateway.
#include <mcpgw/plugin.hpp>

namespace {

using mcpgw::json;

class ExamplePlugin : public mcpgw::Plugin {
 public:
  static constexpr bool kResources = true, kPrompts = true, kCompletions = false;

  explicit ExamplePlugin(const mcpgw_plugin_init* init) : Plugin(init) {
    greeting_ = config().value("greeting", "Hello");

    AddTool({{"name", "echo"},
             {"title", "Echo"},
             {"description", "Returns the given text unchanged."},
             {"inputSchema",
              {{"type", "object"},
               {"properties", {{"text", {{"type", "string"}, {"description", "Text to echo"}}}}},
               {"required", {"text"}}}},
             {"annotations", {{"readOnlyHint", true}, {"idempotentHint", true}}}},
            [](mcpgw::Call&, const json& args) { return mcpgw::ToolResult(args.at("text").get<std::string>()); });

    AddTool({{"name", "divide"},
             {"title", "Divide"},
             {"description", "Divides a by b."},
             {"inputSchema",
              {{"type", "object"},
               {"properties", {{"a", {{"type", "number"}}}, {"b", {{"type", "number"}}}}},
               {"required", {"a", "b"}}}},
             {"outputSchema",
              {{"type", "object"}, {"properties", {{"quotient", {{"type", "number"}}}}}, {"required", {"quotient"}}}},
             {"annotations", {{"readOnlyHint", true}, {"idempotentHint", true}}}},
            [](mcpgw::Call& call, const json& args) {
              const double a = args.at("a"), b = args.at("b");
              if (b == 0) return mcpgw::ToolError("Cannot divide by zero: pass a non-zero b.");
              call.Progress(1, 1, "divided");
              json result = mcpgw::ToolResult(json(a / b).dump());
              result["structuredContent"] = {{"quotient", a / b}};
              return result;
            });

    AddResource({{"uri", "example://greeting"}, {"name", "greeting"}, {"mimeType", "text/plain"}},
                [this](mcpgw::Call& call, const std::string& uri) {
                  const std::string text = greeting_ + ", " + call.principal().subject + "!";
                  return json{{"contents", {{{"uri", uri}, {"mimeType", "text/plain"}, {"text", text}}}}};
                });

    AddPrompt({{"name", "greet"},
               {"description", "A prompt that greets someone."},
               {"arguments", {{{"name", "who"}, {"description", "Who to greet"}, {"required", true}}}}},
              [this](mcpgw::Call&, const json& args) {
                if (!args.contains("who")) throw mcpgw::Error(MCPGW_INVALID_PARAMS, "Missing required argument: who");
                const std::string text = greeting_ + ", " + args["who"].get<std::string>() + "!";
                return json{{"messages", {{{"role", "user"}, {"content", {{"type", "text"}, {"text", text}}}}}}};
              });
  }

 private:
  std::string greeting_;
};

}  // namespace

MCPGW_PLUGIN(ExamplePlugin, "example", "1.0.0", MCPGW_PLUGIN_THREAD_SAFE)
