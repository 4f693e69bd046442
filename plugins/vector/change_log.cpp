#include "change_log.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>

namespace mcpgw::vector {
namespace {

uint32_t Crc32(std::string_view bytes) {
  return static_cast<uint32_t>(crc32_z(0L, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

uint32_t GetU32(std::string_view bytes) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[static_cast<size_t>(i)]);
  return v;
}

}  // namespace

std::string FrameChangeRecord(std::string_view payload) {
  std::string out;
  out.reserve(kChangeRecordHeaderBytes + payload.size());
  PutU32(out, static_cast<uint32_t>(payload.size()));
  PutU32(out, Crc32(payload));
  out += payload;
  return out;
}

ChangeLogScan ScanChangeLog(std::string_view bytes) {
  ChangeLogScan scan;
  size_t offset = 0;
  while (bytes.size() - offset >= kChangeRecordHeaderBytes) {
    const uint32_t length = GetU32(bytes.substr(offset));
    const uint32_t crc = GetU32(bytes.substr(offset + 4));
    if (length > kMaxChangeRecordBytes || bytes.size() - offset - kChangeRecordHeaderBytes < length) break;
    const std::string_view payload = bytes.substr(offset + kChangeRecordHeaderBytes, length);
    if (Crc32(payload) != crc) break;
    scan.payloads.push_back(payload);
    offset += kChangeRecordHeaderBytes + length;
  }
  scan.intact_bytes = offset;
  return scan;
}

IoStatus ChangeLog::Open(const std::string& path, ChangeLog& out) {
  Fd fd;
  if (IoStatus opened = OpenFile(path, O_RDWR | O_CREAT, fd)) return opened;
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    return IoError{"lock " + path + " (is another gateway using this data directory?)", errno};
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return IoError{"stat " + path, errno};
  out.fd_ = std::move(fd);
  out.path_ = path;
  out.size_ = static_cast<uint64_t>(st.st_size);
  out.tail_dirty_ = false;
  return std::nullopt;
}

IoStatus ChangeLog::ReadAll(std::string& out) const { return ReadFile(path_, out); }

IoStatus ChangeLog::Append(std::string_view payload) {
  if (tail_dirty_) {
    if (IoStatus cut = TruncateTo(size_)) return cut;
  }
  const std::string record = FrameChangeRecord(payload);
  IoStatus status = WriteAll(fd_.get(), record, static_cast<off_t>(size_), path_);
  if (!status && ::fdatasync(fd_.get()) != 0) status = IoError{"fdatasync " + path_, errno};
  if (status) {
    tail_dirty_ = true;
    (void)TruncateTo(size_);  // best effort now; retried before the next append
    return status;
  }
  size_ += record.size();
  return std::nullopt;
}

IoStatus ChangeLog::TruncateTo(uint64_t length) {
  int rc;
  do {
    rc = ::ftruncate(fd_.get(), static_cast<off_t>(length));
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) return IoError{"truncate " + path_, errno};
  if (::fsync(fd_.get()) != 0) return IoError{"fsync " + path_, errno};
  size_ = length;
  tail_dirty_ = false;
  return std::nullopt;
}

}  // namespace mcpgw::vector
