// An open shared object (dlopen handle) with RAII close.
#pragma once

#include <memory>
#include <string>
#include <variant>

namespace mcpgw::plugin {

class SharedLibrary {
 public:
  // Opens `path` with RTLD_NOW | RTLD_LOCAL, so unresolved symbols fail at
  // load and one plugin's symbols never satisfy another's.
  static std::variant<std::unique_ptr<SharedLibrary>, std::string> Open(const std::string& path);
  ~SharedLibrary();
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;

  // Returns the address of `symbol`, or nullptr.
  void* Find(const char* symbol) const;
  const std::string& path() const { return path_; }

 private:
  SharedLibrary(void* handle, std::string path) : handle_(handle), path_(std::move(path)) {}
  void* handle_;
  std::string path_;
};

}  // namespace mcpgw::plugin
