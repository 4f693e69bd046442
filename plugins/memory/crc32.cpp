#include "crc32.h"

#include <zlib.h>

namespace mcpgw::memory {

uint32_t Crc32(std::string_view bytes) {
  // zlib's crc32_z takes a size_t length, so any record size is fine.
  const uLong crc = crc32_z(0L, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size());
  return static_cast<uint32_t>(crc);
}

}  // namespace mcpgw::memory
