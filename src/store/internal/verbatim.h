// The verbatim copy of a source file: its header and rows as they came (pii
// cells already blank), written as CSV text (RFC 4180, "\n" after each record)
// so that the decompressed copy is itself a readable file.
//
// The copy is cut into chunks of a fixed uncompressed size, each compressed on
// its own (zstd; copies written before zstd hold zlib chunks, told apart by
// the zstd frame's magic number), so that one row is recovered by
// decompressing one or two chunks rather than the whole file. A row is addressed by its byte offset and
// length in the uncompressed copy; the chunk holding byte `offset` is
// `offset / chunk_size`.
//
// Thread-safety: VerbatimWriter is a value type; the functions are pure.
#ifndef OPENDTM_STORE_INTERNAL_VERBATIM_H_
#define OPENDTM_STORE_INTERNAL_VERBATIM_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/sha256.h"

namespace opendtm::store::internal {

// Uncompressed bytes per chunk.
inline constexpr int64_t kVerbatimChunkSize = 256 * 1024;

// Appends `cells` to `out` as one CSV record ending in "\n"; a cell is quoted
// when it holds a comma, a quote, CR or LF, or starts or ends with a space.
void AppendCsvRecord(std::span<const std::string> cells, std::string& out);

// Parses one record written by AppendCsvRecord (the trailing "\n" optional).
// Errors: DataLoss when the text is not such a record.
Result<std::vector<std::string>> ParseCsvRecord(std::string_view record);

// zstd at level 1: CSV text compresses well at any level (about 4:1) and
// ingest speed matters more. DecompressChunk also reads the zlib chunks of
// older copies. Errors: Internal / DataLoss.
Result<std::string> CompressChunk(std::string_view raw);
Result<std::string> DecompressChunk(std::string_view compressed, int64_t raw_size);

// Where a record landed in the uncompressed copy.
struct VerbatimSpan {
  int64_t offset = 0;
  int64_t length = 0;
};

// Builds the copy record by record, handing out full chunks as they fill,
// and hashes the whole copy on the way (for deduplication).
class VerbatimWriter {
 public:
  VerbatimSpan Append(std::span<const std::string> cells);

  // Total bytes appended so far.
  int64_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // True when a full chunk waits to be taken.
  bool HasFullChunk() const { return static_cast<int64_t>(pending_.size()) >= kVerbatimChunkSize; }
  // Takes the next full chunk; `index` is set to its number. Precondition: HasFullChunk().
  std::string TakeFullChunk(int64_t& index);
  // Takes whatever is left (the last, short chunk), possibly empty.
  std::string TakeRest(int64_t& index);

  // The hex SHA-256 of everything appended. Call once, at the end.
  std::string FinishSha256() { return sha_.FinishHex(); }

 private:
  std::string pending_;
  int64_t size_ = 0;
  int64_t next_chunk_ = 0;
  core::Sha256 sha_;
};

}  // namespace opendtm::store::internal

#endif  // OPENDTM_STORE_INTERNAL_VERBATIM_H_
