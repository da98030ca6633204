#include "store/internal/verbatim.h"

#include <zlib.h>
#include <zstd.h>

#include <cstring>

namespace opendtm::store::internal {

namespace {

// True for the bytes that make a cell need quotes anywhere in it.
constexpr bool IsCsvSpecial(char c) { return c == ',' || c == '"' || c == '\r' || c == '\n'; }

}  // namespace

// Writes into room made once per record (the longest it can get: every byte
// a doubled quote), then trims: this runs for every row an ingest stores.
void AppendCsvRecord(std::span<const std::string> cells, std::string& out) {
  size_t most = cells.size() + 1;  // delimiters and the line break
  for (const std::string& cell : cells) most += 2 * cell.size() + 2;
  const size_t start = out.size();
  out.resize(start + most);
  char* write = out.data() + start;
  for (size_t cell_idx = 0; cell_idx < cells.size(); ++cell_idx) {
    if (cell_idx > 0) *write++ = ',';
    const std::string& cell = cells[cell_idx];
    bool quote = !cell.empty() && (cell.front() == ' ' || cell.back() == ' ');
    for (size_t pos = 0; !quote && pos < cell.size(); ++pos) quote = IsCsvSpecial(cell[pos]);
    // A lone empty cell would make an empty line, which reads as no cells.
    if (cells.size() == 1 && cell.empty()) quote = true;
    if (!quote) {
      std::memcpy(write, cell.data(), cell.size());
      write += cell.size();
      continue;
    }
    *write++ = '"';
    for (char c : cell) {
      if (c == '"') *write++ = '"';
      *write++ = c;
    }
    *write++ = '"';
  }
  *write++ = '\n';
  out.resize(static_cast<size_t>(write - out.data()));
}

Result<std::vector<std::string>> ParseCsvRecord(std::string_view record) {
  if (!record.empty() && record.back() == '\n') record.remove_suffix(1);
  std::vector<std::string> cells;
  if (record.empty()) return cells;
  std::string cell;
  size_t pos = 0;
  while (true) {
    cell.clear();
    if (pos < record.size() && record[pos] == '"') {
      ++pos;
      while (true) {
        if (pos >= record.size()) return DataLossError("verbatim row: unterminated quote");
        if (record[pos] == '"') {
          if (pos + 1 < record.size() && record[pos + 1] == '"') {
            cell.push_back('"');
            pos += 2;
            continue;
          }
          ++pos;
          break;
        }
        cell.push_back(record[pos++]);
      }
      if (pos < record.size() && record[pos] != ',') {
        return DataLossError("verbatim row: text after a closing quote");
      }
    } else {
      size_t end = record.find(',', pos);
      if (end == std::string_view::npos) end = record.size();
      cell.assign(record.substr(pos, end - pos));
      pos = end;
    }
    cells.push_back(cell);
    if (pos >= record.size()) break;
    ++pos;  // the comma
  }
  return cells;
}

Result<std::string> CompressChunk(std::string_view raw) {
  std::string compressed(ZSTD_compressBound(raw.size()), '\0');
  size_t size = ZSTD_compress(compressed.data(), compressed.size(), raw.data(), raw.size(), 1);
  if (ZSTD_isError(size)) {
    return InternalError(std::string("zstd compress failed: ") + ZSTD_getErrorName(size));
  }
  compressed.resize(size);
  return compressed;
}

namespace {

bool IsZstdFrame(std::string_view compressed) {
  // ZSTD_MAGICNUMBER, little-endian; a zlib stream starts with 0x78.
  return compressed.size() >= 4 && static_cast<unsigned char>(compressed[0]) == 0x28 &&
         static_cast<unsigned char>(compressed[1]) == 0xB5 &&
         static_cast<unsigned char>(compressed[2]) == 0x2F &&
         static_cast<unsigned char>(compressed[3]) == 0xFD;
}

}  // namespace

Result<std::string> DecompressChunk(std::string_view compressed, int64_t raw_size) {
  if (raw_size < 0 || raw_size > kVerbatimChunkSize) {
    return DataLossError("verbatim chunk: bad size " + std::to_string(raw_size));
  }
  std::string raw(static_cast<size_t>(raw_size), '\0');
  if (IsZstdFrame(compressed)) {
    size_t size = ZSTD_decompress(raw.data(), raw.size(), compressed.data(), compressed.size());
    if (ZSTD_isError(size) || static_cast<int64_t>(size) != raw_size) {
      return DataLossError(std::string("verbatim chunk does not decompress (zstd: ") +
                           (ZSTD_isError(size) ? ZSTD_getErrorName(size) : "wrong size") + ")");
    }
    return raw;
  }
  uLongf size = static_cast<uLongf>(raw_size);
  int code = uncompress(reinterpret_cast<Bytef*>(raw.data()), &size,
                        reinterpret_cast<const Bytef*>(compressed.data()),
                        static_cast<uLong>(compressed.size()));
  if (code != Z_OK || static_cast<int64_t>(size) != raw_size) {
    return DataLossError("verbatim chunk does not decompress (zlib " + std::to_string(code) + ")");
  }
  return raw;
}

VerbatimSpan VerbatimWriter::Append(std::span<const std::string> cells) {
  const size_t start = pending_.size();
  AppendCsvRecord(cells, pending_);
  const std::string_view record = std::string_view(pending_).substr(start);
  VerbatimSpan span{size_, static_cast<int64_t>(record.size())};
  sha_.Update(record);
  size_ += span.length;
  return span;
}

std::string VerbatimWriter::TakeFullChunk(int64_t& index) {
  index = next_chunk_++;
  std::string chunk = pending_.substr(0, static_cast<size_t>(kVerbatimChunkSize));
  pending_.erase(0, static_cast<size_t>(kVerbatimChunkSize));
  return chunk;
}

std::string VerbatimWriter::TakeRest(int64_t& index) {
  index = next_chunk_++;
  std::string rest = std::move(pending_);
  pending_.clear();
  return rest;
}

}  // namespace opendtm::store::internal
