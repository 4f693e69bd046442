// mcpgw/plugin.hpp -- a C++ convenience layer over the C plugin ABI.
//
// Derive from mcpgw::Plugin, register tools (and optionally resources,
// templates and prompts) in the constructor, and export the class with
// MCPGW_PLUGIN(Class, "name", "version", flags). The macro builds the static
// mcpgw_plugin descriptor and trampolines that turn C++ exceptions into
// mcpgw_status values, so nothing C++ crosses the ABI.
//
// Depends on plugin.h and nlohmann/json only. A plugin that prefers another
// JSON library can implement plugin.h directly instead.
#pragma once

#include <mcpgw/plugin.h>

#include <nlohmann/json.hpp>

#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mcpgw {

using json = nlohmann::json;

inline std::string_view View(mcpgw_str s) { return s.len ? std::string_view(s.ptr, s.len) : std::string_view(); }

// Thrown by handlers to answer a protocol error (not a tool error).
class Error : public std::runtime_error {
 public:
  Error(mcpgw_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
  mcpgw_status status() const { return status_; }

 private:
  mcpgw_status status_;
};

// Thrown from a no-wait call that would have to wait (see Call::NoWait).
inline Error WouldBlock() { return Error(MCPGW_WOULD_BLOCK, "would block"); }

// The authenticated caller, copied out of mcpgw_principal.
struct Principal {
  std::string subject;
  std::string tenant;
  std::string client_id;
  std::vector<std::string> scopes;
  std::string method;
  std::string audience;
  std::string token_id;
  int64_t expires_at = 0;  // Unix seconds; 0: does not expire

  static Principal From(const mcpgw_principal* p) {
    Principal out;
    if (p == nullptr) return out;
    out.subject = std::string(View(p->subject));
    out.tenant = std::string(View(p->tenant));
    out.client_id = std::string(View(p->client_id));
    for (size_t i = 0; i < p->scope_count; ++i) out.scopes.emplace_back(View(p->scopes[i]));
    if (MCPGW_PRINCIPAL_HAS(p, expires_at)) {
      out.method = std::string(View(p->method));
      out.audience = std::string(View(p->audience));
      out.token_id = std::string(View(p->token_id));
      out.expires_at = p->expires_at;
    }
    return out;
  }
};

// One request in flight: progress, client-facing log, cancellation.
class Call {
 public:
  Call(const mcpgw_host_api* api, mcpgw_call* call, const mcpgw_principal* principal)
      : api_(api), call_(call), principal_(Principal::From(principal)) {}

  const Principal& principal() const { return principal_; }
  bool Cancelled() const { return api_->cancelled(call_) != 0; }
  // True in a no-wait call (plugins with MCPGW_PLUGIN_NOWAIT): a handler that
  // would wait throws WouldBlock() instead, before changing anything.
  bool NoWait() const { return MCPGW_HAS_FIELD(api_, mcpgw_host_api, nowait) && api_->nowait(call_) != 0; }
  void Progress(double progress, std::optional<double> total = std::nullopt, std::string_view message = {}) const {
    api_->progress(call_, progress, total.value_or(-1.0), message.empty() ? nullptr : message.data(), message.size());
  }
  void Log(mcpgw_log_level level, const json& data, const char* logger = nullptr) const {
    const std::string text = data.dump();
    api_->log(call_, level, logger, text.data(), text.size());
  }

 private:
  const mcpgw_host_api* api_;
  mcpgw_call* call_;
  Principal principal_;
};

// What a tool handler returns: a CallToolResult as a json value, or one
// already serialized (a JSON object as text, handed to the host unchanged;
// for results a plugin keeps ready-made).
class ToolOutput {
 public:
  ToolOutput(json value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  static ToolOutput Serialized(std::string json_object) {
    ToolOutput out{json()};
    out.text_ = std::move(json_object);
    out.serialized_ = true;
    return out;
  }
  std::string dump() const { return serialized_ ? text_ : value_.dump(); }

 private:
  json value_;
  std::string text_;
  bool serialized_ = false;
};

// Results a tool handler commonly returns.
inline json TextContent(std::string text) { return json{{"type", "text"}, {"text", std::move(text)}}; }
inline json ToolResult(std::string text) { return json{{"content", json::array({TextContent(std::move(text))})}}; }
inline json ToolError(std::string text) {
  return json{{"content", json::array({TextContent(std::move(text))})}, {"isError", true}};
}

// Base class of a C++ plugin. Not copyable; one object per instance.
class Plugin {
 public:
  using ToolHandler = std::function<ToolOutput(Call&, const json& arguments)>;
  using ResourceHandler = std::function<json(Call&, const std::string& uri)>;
  using PromptHandler = std::function<json(Call&, const json& arguments)>;

  explicit Plugin(const mcpgw_plugin_init* init)
      : api_(init->api),
        host_(init->host),
        name_(View(init->instance_name)),
        data_dir_(View(init->data_dir)),
        config_(init->config_json.len ? json::parse(View(init->config_json)) : json::object()) {}
  virtual ~Plugin() = default;
  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;

  // Registration, meant for the constructor. `definition` is the MCP Tool
  // (Resource, ResourceTemplate, Prompt) object as listed to clients.
  void AddTool(json definition, ToolHandler handler) {
    const std::string name = definition.at("name");
    tools_.push_back(std::move(definition));
    tool_handlers_[name] = std::move(handler);
  }
  void AddResource(json definition, ResourceHandler handler) {
    const std::string uri = definition.at("uri");
    resources_.push_back(std::move(definition));
    resource_handlers_[uri] = std::move(handler);
  }
  void AddResourceTemplate(json definition) { templates_.push_back(std::move(definition)); }
  void AddPrompt(json definition, PromptHandler handler) {
    const std::string name = definition.at("name");
    prompts_.push_back(std::move(definition));
    prompt_handlers_[name] = std::move(handler);
  }

  // Overridable behaviour. The defaults serve what was registered.
  virtual json ListTools(Call&) { return json{{"tools", tools_}}; }
  virtual ToolOutput CallTool(Call& call, const std::string& name, const json& arguments) {
    auto it = tool_handlers_.find(name);
    if (it == tool_handlers_.end()) throw Error(MCPGW_NOT_FOUND, "Unknown tool: " + name);
    return it->second(call, arguments);
  }
  virtual json ListResources(Call&) { return json{{"resources", resources_}}; }
  virtual json ListResourceTemplates(Call&) { return json{{"resourceTemplates", templates_}}; }
  // Reads a registered resource; override to serve templates or dynamic URIs.
  virtual json ReadResource(Call& call, const std::string& uri) {
    auto it = resource_handlers_.find(uri);
    if (it == resource_handlers_.end()) throw Error(MCPGW_NOT_FOUND, "Resource not found: " + uri);
    return it->second(call, uri);
  }
  virtual json ListPrompts(Call&) { return json{{"prompts", prompts_}}; }
  virtual json GetPrompt(Call& call, const std::string& name, const json& arguments) {
    auto it = prompt_handlers_.find(name);
    if (it == prompt_handlers_.end()) throw Error(MCPGW_NOT_FOUND, "Unknown prompt: " + name);
    return it->second(call, arguments);
  }
  virtual json Complete(Call&, const json& /*request*/) {
    return json{{"completion", {{"values", json::array()}, {"hasMore", false}}}};
  }

  // Host services not tied to a call.
  void HostLog(mcpgw_log_level level, std::string_view message) const {
    api_->host_log(host_, level, message.data(), message.size());
  }
  void NotifyListChanged(mcpgw_list_kind kind) const { api_->list_changed(host_, kind); }
  void NotifyResourceUpdated(std::string_view uri) const { api_->resource_updated(host_, uri.data(), uri.size()); }

  const mcpgw_host_api* api() const { return api_; }
  const std::string& instance_name() const { return name_; }
  const std::string& data_dir() const { return data_dir_; }
  const json& config() const { return config_; }

 private:
  const mcpgw_host_api* api_;
  mcpgw_host* host_;
  std::string name_;
  std::string data_dir_;
  json config_;
  json tools_ = json::array();
  json resources_ = json::array();
  json templates_ = json::array();
  json prompts_ = json::array();
  std::map<std::string, ToolHandler, std::less<>> tool_handlers_;
  std::map<std::string, ResourceHandler, std::less<>> resource_handlers_;
  std::map<std::string, PromptHandler, std::less<>> prompt_handlers_;
};

// Which optional features a plugin class offers. Specialise, or give the
// class static constexpr bools kResources / kPrompts / kCompletions.
namespace detail {

template <typename T, typename = void>
struct Offers {
  static constexpr bool resources = false, prompts = false, completions = false;
};
template <typename T>
struct Offers<T, std::void_t<decltype(T::kResources), decltype(T::kPrompts), decltype(T::kCompletions)>> {
  static constexpr bool resources = T::kResources, prompts = T::kPrompts, completions = T::kCompletions;
};

// Runs `body` and converts its outcome into the C ABI's terms. Unexpected
// exceptions reach the operator's log, never the client.
template <typename Body>
mcpgw_status Guard(const Plugin& plugin, mcpgw_call* call, Body&& body) {
  const mcpgw_host_api* api = plugin.api();
  auto fail = [&](mcpgw_status status, std::string_view message) {
    api->set_error(call, message.data(), message.size());
    return status;
  };
  try {
    const std::string out = body().dump();
    api->set_result(call, out.data(), out.size());
    return MCPGW_OK;
  } catch (const Error& e) {
    return fail(e.status(), e.what());
  } catch (const json::exception& e) {
    return fail(MCPGW_INVALID_PARAMS, std::string("invalid parameters: ") + e.what());
  } catch (const std::exception& e) {
    plugin.HostLog(MCPGW_LOG_ERROR, std::string("unexpected exception: ") + e.what());
    return fail(MCPGW_INTERNAL, "internal plugin error");
  } catch (...) {
    plugin.HostLog(MCPGW_LOG_ERROR, "unexpected non-standard exception");
    return fail(MCPGW_INTERNAL, "internal plugin error");
  }
}

template <typename T>
struct Trampolines {
  static T& Self(void* instance) { return *static_cast<T*>(instance); }
  static json Args(mcpgw_str s) { return s.len ? json::parse(View(s)) : json::object(); }
  static void CopyMessage(const char* message, char* out, size_t cap) {
    if (cap == 0) return;
    std::strncpy(out, message, cap - 1);
    out[cap - 1] = '\0';
  }

  static mcpgw_status Create(const mcpgw_plugin_init* init, void** out, char* error, size_t cap) {
    try {
      *out = std::make_unique<T>(init).release();  // owned by the host until Destroy
      return MCPGW_OK;
    } catch (const std::exception& e) {
      CopyMessage(e.what(), error, cap);
    } catch (...) {
      CopyMessage("unknown error", error, cap);
    }
    return MCPGW_INTERNAL;
  }
  static void Destroy(void* instance) { delete static_cast<T*>(instance); }

  // Runs `fn(self, call)` for a request function under Guard.
  template <typename Fn>
  static mcpgw_status Run(void* instance, mcpgw_call* c, const mcpgw_principal* p, Fn&& fn) {
    T& self = Self(instance);
    return Guard(self, c, [&] {
      Call call(self.api(), c, p);
      return fn(self, call);
    });
  }

  static mcpgw_status ListTools(void* i, mcpgw_call* c, const mcpgw_principal* p) {
    return Run(i, c, p, [](T& self, Call& call) { return self.ListTools(call); });
  }
  static mcpgw_status CallTool(void* i, mcpgw_call* c, const mcpgw_principal* p, mcpgw_str name, mcpgw_str args) {
    return Run(i, c, p, [&](T& self, Call& call) { return self.CallTool(call, std::string(View(name)), Args(args)); });
  }
  static mcpgw_status ListResources(void* i, mcpgw_call* c, const mcpgw_principal* p) {
    return Run(i, c, p, [](T& self, Call& call) { return self.ListResources(call); });
  }
  static mcpgw_status ListResourceTemplates(void* i, mcpgw_call* c, const mcpgw_principal* p) {
    return Run(i, c, p, [](T& self, Call& call) { return self.ListResourceTemplates(call); });
  }
  static mcpgw_status ReadResource(void* i, mcpgw_call* c, const mcpgw_principal* p, mcpgw_str uri) {
    return Run(i, c, p, [&](T& self, Call& call) { return self.ReadResource(call, std::string(View(uri))); });
  }
  static mcpgw_status ListPrompts(void* i, mcpgw_call* c, const mcpgw_principal* p) {
    return Run(i, c, p, [](T& self, Call& call) { return self.ListPrompts(call); });
  }
  static mcpgw_status GetPrompt(void* i, mcpgw_call* c, const mcpgw_principal* p, mcpgw_str name, mcpgw_str args) {
    return Run(i, c, p, [&](T& self, Call& call) { return self.GetPrompt(call, std::string(View(name)), Args(args)); });
  }
  static mcpgw_status Complete(void* i, mcpgw_call* c, const mcpgw_principal* p, mcpgw_str request) {
    return Run(i, c, p, [&](T& self, Call& call) { return self.Complete(call, Args(request)); });
  }

  static mcpgw_plugin Describe(const char* name, const char* version, uint32_t flags) {
    mcpgw_plugin d{};
    d.abi_version = MCPGW_PLUGIN_ABI_VERSION;
    d.struct_size = sizeof(mcpgw_plugin);
    d.name = name;
    d.version = version;
    d.flags = flags;
    d.create = &Create;
    d.destroy = &Destroy;
    d.list_tools = &ListTools;
    d.call_tool = &CallTool;
    if constexpr (Offers<T>::resources) {
      d.list_resources = &ListResources;
      d.list_resource_templates = &ListResourceTemplates;
      d.read_resource = &ReadResource;
    }
    if constexpr (Offers<T>::prompts) {
      d.list_prompts = &ListPrompts;
      d.get_prompt = &GetPrompt;
    }
    if constexpr (Offers<T>::completions) d.complete = &Complete;
    return d;
  }
};

}  // namespace detail
}  // namespace mcpgw

// Exports `Class` (derived from mcpgw::Plugin) as this shared object's plugin.
#define MCPGW_PLUGIN(Class, name, version, flags)                                                 \
  extern "C" MCPGW_PLUGIN_EXPORT const mcpgw_plugin* mcpgw_plugin_entry(void) {                   \
    static const mcpgw_plugin descriptor = ::mcpgw::detail::Trampolines<Class>::Describe(name, version, flags); \
    return &descriptor;                                                                           \
  }
