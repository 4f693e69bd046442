#include "plugin/shared_library.h"

#include <dlfcn.h>

namespace mcpgw::plugin {

std::variant<std::unique_ptr<SharedLibrary>, std::string> SharedLibrary::Open(const std::string& path) {
  dlerror();
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    return std::string(why ? why : "dlopen failed");
  }
  return std::unique_ptr<SharedLibrary>(new SharedLibrary(handle, path));
}

SharedLibrary::~SharedLibrary() {
  if (handle_ != nullptr) dlclose(handle_);
}

void* SharedLibrary::Find(const char* symbol) const { return dlsym(handle_, symbol); }

}  // namespace mcpgw::plugin
