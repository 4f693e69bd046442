// CRC-32 (IEEE 802.3, zlib's crc32), used to tell a
// complete write-ahead log record from a torn or damaged one.
#pragma once

#include <cstdint>
#include <string_view>

namespace mcpgw::memory {

uint32_t Crc32(std::string_view bytes);

}  // namespace mcpgw::memory
