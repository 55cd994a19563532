#include "json_write.hpp"

#include "utf8.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

// nlohmann::json's own shortest-round-trip double formatting (Grisu2). std::to_chars(double)
// would do, but Emscripten 3.1.6's libc++ lacks its floating-point overloads.
#include <nlohmann/detail/conversions/to_chars.hpp>

namespace gpufit::detail {

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}

JsonWriter& JsonWriter::begin_object() {
  before_value();
  out_ += '{';
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  out_ += '}';
  first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  before_value();
  out_ += '[';
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  out_ += ']';
  first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  before_value();
  append_quoted(name);
  out_ += ':';
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
  out_.append(buf, end);
  return *this;
}

JsonWriter& JsonWriter::number(const std::optional<double>& v) {
  return v ? number(*v) : null();
}

JsonWriter& JsonWriter::integer(long long v) {
  before_value();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, end);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool v) {
  before_value();
  out_ += v ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json_text) {
  before_value();
  out_ += json_text;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view text) {
  before_value();
  append_quoted(text);
  return *this;
}

void JsonWriter::append_quoted(std::string_view text) {
  out_ += '"';
  std::size_t run = 0;  // start of the pending run of characters that need no escaping
  const auto flush = [&](std::size_t i) { out_.append(text.data() + run, i - run); };
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
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
        out_ += "\\\"";
        break;
      case '\\':
        out_ += "\\\\";
        break;
      case '\b':
        out_ += "\\b";
        break;
      case '\f':
        out_ += "\\f";
        break;
      case '\n':
        out_ += "\\n";
        break;
      case '\r':
        out_ += "\\r";
        break;
      case '\t':
        out_ += "\\t";
        break;
      default:
        if (c < 0x20) {
          static const char kHex[] = "0123456789abcdef";
          out_ += "\\u00";
          out_ += kHex[c >> 4];
          out_ += kHex[c & 0xF];
        } else {
          out_ += "\xEF\xBF\xBD";  // U+FFFD for a byte that starts no valid UTF-8 sequence
        }
    }
    run = ++i;
  }
  flush(text.size());
  out_ += '"';
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
