// A plugin shared object loaded through the C ABI the way the gateway loads
// it (dlopen, the entry symbol, create, the call table), with a recording
// fake host: the gateway's own plugin host is not part of the plugins' unit
// test binaries, so this implements the whole mcpgw_host_api table and keeps
// what a plugin sends back (log lines, resource updates, list changes).
//
// Header-only, and it defines the ABI's opaque mcpgw_call and mcpgw_host:
// include it from exactly one source file of a test binary.
#pragma once

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <mcpgw/plugin.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

struct mcpgw_call {
  std::string result;
  std::string error;
  bool nowait = false;     // the host asks for a no-wait call
  bool cancelled = false;  // the client cancelled the request
};

struct mcpgw_host {
  std::mutex mutex;
  std::vector<std::string> updated_uris;
  std::vector<std::string> log_lines;
  int list_changes = 0;
};

namespace mcpgw::testing {

namespace harness {
inline void SetResult(mcpgw_call* call, const char* text, size_t len) { call->result.assign(text, len); }
inline void SetError(mcpgw_call* call, const char* text, size_t len) { call->error.assign(text, len); }
inline int Cancelled(const mcpgw_call* call) { return call->cancelled ? 1 : 0; }
inline int NoWait(const mcpgw_call* call) { return call->nowait ? 1 : 0; }
inline void Progress(mcpgw_call*, double, double, const char*, size_t) {}
inline void Log(mcpgw_call*, mcpgw_log_level, const char*, const char*, size_t) {}
inline void HostLog(mcpgw_host* host, mcpgw_log_level, const char* text, size_t len) {
  std::lock_guard lock(host->mutex);
  host->log_lines.emplace_back(text, len);
}
inline void ListChanged(mcpgw_host* host, mcpgw_list_kind) {
  std::lock_guard lock(host->mutex);
  ++host->list_changes;
}
inline void ResourceUpdated(mcpgw_host* host, const char* uri, size_t len) {
  std::lock_guard lock(host->mutex);
  host->updated_uris.emplace_back(uri, len);
}
inline constexpr mcpgw_host_api kHostApi = {
    sizeof(mcpgw_host_api), MCPGW_PLUGIN_ABI_VERSION, &SetResult, &SetError, &Cancelled, &Progress, &Log, &HostLog,
    &ListChanged,           &ResourceUpdated,          &NoWait};
}  // namespace harness

// A view of `s`, which must outlive the view.
inline mcpgw_str Str(const std::string& s) { return mcpgw_str{s.data(), s.size()}; }

class LoadedPlugin {
 public:
  using json = nlohmann::json;

  // What one call answered: the status, the result (null when none) and the
  // error text the plugin set.
  struct Answer {
    mcpgw_status status;
    json result;
    std::string error;
  };

  // Loads the shared object; a failure is a test failure, and loaded() false.
  explicit LoadedPlugin(const char* path) {
    library_ = ::dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (library_ == nullptr) {
      ADD_FAILURE() << ::dlerror();
      return;
    }
    auto entry = reinterpret_cast<mcpgw_plugin_entry_fn>(::dlsym(library_, MCPGW_PLUGIN_ENTRY_SYMBOL));
    if (entry == nullptr) {
      ADD_FAILURE() << "no " << MCPGW_PLUGIN_ENTRY_SYMBOL << " in " << path;
      return;
    }
    plugin_ = entry();
  }
  ~LoadedPlugin() {
    if (instance_ != nullptr) plugin_->destroy(instance_);
    if (library_ != nullptr) ::dlclose(library_);
  }
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  bool loaded() const { return plugin_ != nullptr; }
  const mcpgw_plugin& descriptor() const { return *plugin_; }
  void* library() const { return library_; }
  mcpgw_host& host() { return host_; }

  // Creates the instance (replacing one created before); "" or create's error text.
  std::string Create(const std::string& name, const std::string& config, const std::string& data_dir) {
    if (instance_ != nullptr) plugin_->destroy(instance_);
    instance_ = nullptr;
    const mcpgw_plugin_init init{sizeof(mcpgw_plugin_init), &harness::kHostApi, &host_, Str(name), Str(config),
                                 Str(data_dir)};
    char error[512] = "";
    const mcpgw_status status = plugin_->create(&init, &instance_, error, sizeof error);
    if (status != MCPGW_OK) instance_ = nullptr;
    return status == MCPGW_OK ? std::string() : std::string(error);
  }

  // How the host makes a call, besides the tool and its arguments.
  struct CallAs {
    std::string tenant = "tenant-a";
    std::string subject = "user";
    bool nowait = false;
    bool cancelled = false;
  };

  Answer CallTool(const std::string& tool, const json& arguments, const std::string& tenant = "tenant-a",
                  bool nowait = false) {
    return CallTool(tool, arguments, CallAs{tenant, "user", nowait, false});
  }
  Answer CallTool(const std::string& tool, const json& arguments, const CallAs& as) {
    const std::string args = arguments.dump();
    const mcpgw_principal principal = PrincipalOf(as.subject, as.tenant);
    mcpgw_call call;
    call.nowait = as.nowait;
    call.cancelled = as.cancelled;
    const mcpgw_status status = plugin_->call_tool(instance_, &call, &principal, Str(tool), Str(args));
    return AnswerOf(status, call);
  }

  Answer ReadResource(const std::string& uri, const std::string& tenant = "tenant-a") {
    const std::string subject = "user";
    const mcpgw_principal principal = PrincipalOf(subject, tenant);
    mcpgw_call call;
    const mcpgw_status status = plugin_->read_resource(instance_, &call, &principal, Str(uri));
    return AnswerOf(status, call);
  }

  // list_tools, list_resources and the like: the listing as JSON (null on failure).
  json List(mcpgw_status (*mcpgw_plugin::*list)(void*, mcpgw_call*, const mcpgw_principal*)) {
    const std::string subject = "user", tenant = "tenant-a";
    const mcpgw_principal principal = PrincipalOf(subject, tenant);
    mcpgw_call call;
    const mcpgw_status status = (plugin_->*list)(instance_, &call, &principal);
    EXPECT_EQ(status, MCPGW_OK) << call.error;
    return status == MCPGW_OK ? json::parse(call.result) : json();
  }

  std::vector<std::string> ToolNames() {
    std::vector<std::string> names;
    const json listed = List(&mcpgw_plugin::list_tools);
    if (!listed.is_object()) return names;
    for (const json& tool : listed.at("tools")) names.push_back(tool.at("name"));
    return names;
  }

 private:
  // What the host passes for a caller: who, and whose data; nothing else set.
  static mcpgw_principal PrincipalOf(const std::string& subject, const std::string& tenant) {
    mcpgw_principal p{};
    p.struct_size = sizeof(mcpgw_principal);
    p.subject = Str(subject);
    p.tenant = Str(tenant);
    return p;
  }
  static Answer AnswerOf(mcpgw_status status, const mcpgw_call& call) {
    return Answer{status, call.result.empty() ? json() : json::parse(call.result), call.error};
  }

  mcpgw_host host_;
  void* library_ = nullptr;
  const mcpgw_plugin* plugin_ = nullptr;
  void* instance_ = nullptr;
};

}  // namespace mcpgw::testing
