#include "json_write.hpp"

#include "utf8.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

// nlohmann::json's own shortest-round-trip double formatting (Grisu2). std::to_chars(double)
// would do, but Emscripten 3.1.6's libc++ lacks its floating-point overloads.
#include <nlohmann/detail/conversions/to_chars.hpp>

namespace gpufit::detail {

void JsonWriter::grow(std::size_t more) {
  const std::size_t want = std::max(cap_ * 2, len_ + more);
  out_.resize(want);
  buf_ = out_.data();
  cap_ = want;
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (depth_ > 0) {
    if (!first_[depth_ - 1]) put(',');
    first_[depth_ - 1] = false;
  }
}

namespace {
// Deeper than the writer tracks: a bug (the values written back are depth-limited when parsed).
void too_deep() {
  std::abort();
}
}  // namespace

JsonWriter& JsonWriter::begin_object() {
  before_value();
  put('{');
  if (depth_ == kMaxDepth) too_deep();
  first_[depth_++] = true;
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  put('}');
  --depth_;
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  put('[');
  if (depth_ == kMaxDepth) too_deep();
  first_[depth_++] = true;
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  put(']');
  --depth_;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  before_value();
  append_quoted(name);
  put(':');
  after_key_ = true;  // the next value belongs to this key: no comma before it
  return *this;
}

JsonWriter& JsonWriter::number(double v) {
  if (!std::isfinite(v)) {
#ifdef GPUFIT_FUZZING
    std::abort();  // fuzzing: a non-finite figure is a bug to report, not to hide as null
#endif
    return null();
  }
  if (v == std::floor(v) && std::fabs(v) < 9e15) return integer(static_cast<long long>(v));
  before_value();
  char buf[64];
  char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, v);
  put(std::string_view(buf, static_cast<std::size_t>(end - buf)));
  return *this;
}

JsonWriter& JsonWriter::number(const std::optional<double>& v) {
  return v ? number(*v) : null();
}

JsonWriter& JsonWriter::integer(long long v) {
  before_value();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  put(std::string_view(buf, static_cast<std::size_t>(end - buf)));
  return *this;
}

JsonWriter& JsonWriter::boolean(bool v) {
  before_value();
  put(v ? std::string_view("true") : std::string_view("false"));
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  put("null");
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json_text) {
  before_value();
  put(json_text);
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view text) {
  before_value();
  append_quoted(text);
  return *this;
}

void JsonWriter::append_quoted(std::string_view text) {
  put('"');
  std::size_t run = 0;  // start of the pending run of characters that need no escaping
  const auto flush = [&](std::size_t i) { put(text.substr(run, i - run)); };
  const char* const data = text.data();
  for (std::size_t i = 0; i < text.size();) {
    // Keys and most values are plain ASCII throughout: one table test a byte (raw pointers: the
    // size-optimized WebAssembly build calls string_view's accessors rather than inlining them).
    {
      const char* p = data + i;
      const char* const end = data + text.size();
      while (p < end && kJsonPlainByte[static_cast<unsigned char>(*p)]) ++p;
      i = static_cast<std::size_t>(p - data);
      if (i >= text.size()) break;
    }
    const unsigned char c = static_cast<unsigned char>(data[i]);
    if (c >= 0x80) {
      const std::size_t n = utf8_length(text, i);
      if (n > 0) {
        i += n;  // valid UTF-8 stays in the run
        continue;
      }
    }
    flush(i);
    switch (c) {
      case '"':
        put("\\\"");
        break;
      case '\\':
        put("\\\\");
        break;
      case '\b':
        put("\\b");
        break;
      case '\f':
        put("\\f");
        break;
      case '\n':
        put("\\n");
        break;
      case '\r':
        put("\\r");
        break;
      case '\t':
        put("\\t");
        break;
      default:
        if (c < 0x20) {
          static const char kHex[] = "0123456789abcdef";
          put("\\u00");
          put(kHex[c >> 4]);
          put(kHex[c & 0xF]);
        } else {
          put("\xEF\xBF\xBD");  // U+FFFD for a byte that starts no valid UTF-8 sequence
        }
    }
    run = ++i;
  }
  flush(text.size());
  put('"');
}

JsonWriter& JsonWriter::string_or_null(std::string_view text) {
  return text.empty() ? null() : string(text);
}

JsonWriter& JsonWriter::strings(const std::vector<std::string>& items) {
  begin_array();
  for (const auto& s : items) string(s);
  return end_array();
}

}  // namespace gpufit::detail
