#include "transport/grpc_door.h"

#include "plugin/shared_library.h"

#include <filesystem>
#include <mutex>

namespace mcpgw::rpc {

std::variant<std::unique_ptr<GrpcDoor>, std::string> StartGrpcDoor(const GrpcDoorParts& parts,
                                                                   const std::string& module_path) {
  // Never closed: gRPC keeps threads and exit hooks for the process's life.
  static std::mutex mu;
  static plugin::SharedLibrary* module = nullptr;
  std::lock_guard lock(mu);
  if (module == nullptr) {
    std::string path = module_path;
    if (path.empty()) {
      std::error_code ec;
      const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
      path = (ec ? std::filesystem::path(kGrpcDoorModule) : exe.parent_path() / kGrpcDoorModule).string();
    }
    auto opened = plugin::SharedLibrary::Open(path);
    if (auto* error = std::get_if<std::string>(&opened)) {
      return "server.grpc needs the gRPC door module " + path + ", installed next to the mcp-gateway binary: " +
             *error;
    }
    module = std::get<std::unique_ptr<plugin::SharedLibrary>>(std::move(opened)).release();
  }
  const auto start = reinterpret_cast<StartGrpcDoorFn>(module->Find(kStartGrpcDoorSymbol));
  if (start == nullptr) return module->path() + " is not a gRPC door module (no " + kStartGrpcDoorSymbol + ")";
  std::string error;
  GrpcDoor* door = start(&parts, &error);
  if (door == nullptr) return error.empty() ? "the gRPC door did not start" : error;
  return std::unique_ptr<GrpcDoor>(door);
}

}  // namespace mcpgw::rpc
