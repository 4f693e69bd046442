#include "wal.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>
#include <cstdio>

#include "crc32.h"

namespace mcpgw::memory {
namespace {

constexpr size_t kMaxLengthDigits = 10;  // kMaxWalPayloadBytes has 10 digits
constexpr size_t kCrcDigits = 8;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Parses the record starting at bytes[0]; returns its total size, or 0 if
// it is not an intact record.
size_t ParseRecord(std::string_view bytes, std::string_view& payload) {
  size_t pos = 0;
  uint64_t length = 0;
  while (pos < bytes.size() && pos < kMaxLengthDigits && IsDigit(bytes[pos])) {
    length = length * 10 + static_cast<uint64_t>(bytes[pos] - '0');
    ++pos;
  }
  if (pos == 0 || (bytes[0] == '0') || length > kMaxWalPayloadBytes) return 0;
  if (pos >= bytes.size() || bytes[pos] != ' ') return 0;
  ++pos;
  if (bytes.size() - pos < kCrcDigits + 1) return 0;
  uint32_t crc = 0;
  for (size_t i = 0; i < kCrcDigits; ++i) {
    const int v = HexValue(bytes[pos + i]);
    if (v < 0) return 0;
    crc = (crc << 4) | static_cast<uint32_t>(v);
  }
  pos += kCrcDigits;
  if (bytes[pos] != ' ') return 0;
  ++pos;
  if (bytes.size() - pos < length + 1) return 0;  // torn: the payload or its newline is missing
  const std::string_view body = bytes.substr(pos, length);
  if (bytes[pos + length] != '\n' || Crc32(body) != crc) return 0;
  payload = body;
  return pos + length + 1;
}

}  // namespace

std::string FrameWalRecord(std::string_view payload) {
  char crc[kCrcDigits + 1];
  std::snprintf(crc, sizeof crc, "%08x", Crc32(payload));
  std::string out = std::to_string(payload.size());
  out.reserve(out.size() + kCrcDigits + payload.size() + 3);
  out += ' ';
  out.append(crc, kCrcDigits);
  out += ' ';
  out += payload;
  out += '\n';
  return out;
}

WalScan ScanWal(std::string_view bytes) {
  WalScan scan;
  uint64_t offset = 0;
  while (offset < bytes.size()) {
    std::string_view payload;
    const size_t size = ParseRecord(bytes.substr(offset), payload);
    if (size == 0) break;
    scan.records.push_back(WalRecord{offset, offset + size, payload});
    offset += size;
  }
  scan.intact_bytes = offset;
  return scan;
}

StorageResult<WriteAheadLog> WriteAheadLog::Open(int dir_fd, const std::string& name, const std::string& shown_path) {
  auto fd = OpenFileAt(dir_fd, name, O_RDWR | O_CREAT, shown_path);
  if (!fd) return fd.error();
  if (::flock(fd->get(), LOCK_EX | LOCK_NB) != 0) {
    return StorageError{"lock " + shown_path + " (is another instance using this data directory?)", errno};
  }
  auto size = FileSize(fd->get(), shown_path);
  if (!size) return size.error();
  return WriteAheadLog(std::move(*fd), shown_path, static_cast<uint64_t>(*size));
}

StorageResult<std::string> WriteAheadLog::ReadAll() const { return ReadWholeFile(fd_.get(), shown_path_); }

StorageStatus WriteAheadLog::Append(std::string_view payload) {
  if (tail_dirty_) {
    if (StorageStatus cut = TruncateTo(size_); !cut) return cut;
  }
  const std::string record = FrameWalRecord(payload);
  StorageStatus status = WriteAllAt(fd_.get(), record, static_cast<off_t>(size_), shown_path_);
  if (status) status = SyncFileData(fd_.get(), shown_path_);
  if (!status) {
    tail_dirty_ = true;
    (void)TruncateTo(size_);  // best effort now; retried before the next append
    return status;
  }
  size_ += record.size();
  return {};
}

StorageStatus WriteAheadLog::TruncateTo(uint64_t length) {
  StorageStatus status = TruncateFile(fd_.get(), static_cast<off_t>(length), shown_path_);
  if (status) status = SyncFile(fd_.get(), shown_path_);
  if (!status) return status;
  size_ = length;
  tail_dirty_ = false;
  return {};
}

}  // namespace mcpgw::memory
