// The harnesses' oracle for "every answer is JSON": a strict RFC 8259 recognizer (one value,
// nothing after it; strings of well-formed UTF-8 with no raw control characters; numbers in JSON's
// grammar only). Written apart from the core's parser, so a bug there cannot hide a bug in the
// writer. It allocates nothing and keeps no tokens: nlohmann::json::accept, which the harnesses used
// before, copied every string and number of an answer into a token buffer, and with its std::string
// and std::vector calls instrumented it took a fifth of the scenario harness's time.
// The namespace is in fuzz/coverage_ignore.txt: checking answers gives the fuzzer no feedback.
#pragma once

#include <cstddef>
#include <string_view>

namespace gpufit_fuzz_oracle {

class JsonCheck {
 public:
  explicit JsonCheck(std::string_view text) : s_(text) {}

  bool valid() {
    space();
    if (!value(0)) return false;
    space();
    return i_ == s_.size();
  }

 private:
  static constexpr int kMaxDepth = 1000;  // answers nest a few levels; deeper is a writer bug

  int peek() const { return i_ < s_.size() ? static_cast<unsigned char>(s_[i_]) : -1; }
  bool eat(char c) {
    if (peek() != static_cast<unsigned char>(c)) return false;
    ++i_;
    return true;
  }
  void space() {
    while (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r') ++i_;
  }
  bool word(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }

  bool value(int depth) {
    if (depth > kMaxDepth) return false;
    switch (peek()) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string();
      case 't':
        return word("true");
      case 'f':
        return word("false");
      case 'n':
        return word("null");
      default:
        return number();
    }
  }

  bool object(int depth) {
    ++i_;  // '{'
    space();
    if (eat('}')) return true;
    for (;;) {
      space();
      if (peek() != '"' || !string()) return false;
      space();
      if (!eat(':')) return false;
      space();
      if (!value(depth)) return false;
      space();
      if (eat('}')) return true;
      if (!eat(',')) return false;
    }
  }

  bool array(int depth) {
    ++i_;  // '['
    space();
    if (eat(']')) return true;
    for (;;) {
      space();
      if (!value(depth)) return false;
      space();
      if (eat(']')) return true;
      if (!eat(',')) return false;
    }
  }

  static bool hex(int c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
  // Four hex digits after "\\u", or -1.
  int code_unit() {
    int u = 0;
    for (int k = 0; k < 4; ++k, ++i_) {
      const int c = peek();
      if (!hex(c)) return -1;
      u = u * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return u;
  }
  static bool continuation(int c) { return c >= 0x80 && c <= 0xBF; }

  // One UTF-8 sequence starting at a byte >= 0x80: no overlong forms, no surrogates, at most U+10FFFF.
  bool utf8() {
    const int c = peek();
    int more = 0, lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      more = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      more = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      more = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    ++i_;
    for (int k = 0; k < more; ++k) {
      const int d = peek();
      if (k == 0 ? (d < lo || d > hi) : !continuation(d)) return false;
      ++i_;
    }
    return true;
  }

  bool string() {
    ++i_;  // '"'
    for (;;) {
      const int c = peek();
      if (c < 0x20) return false;  // end of text, or a raw control character
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c == '\\') {
        ++i_;
        const int e = peek();
        if (e < 0) return false;
        ++i_;
        if (e == 'u') {
          // As nlohmann::json did: a high surrogate only with a low one after it, no lone low one.
          const int u = code_unit();
          if (u < 0 || (u >= 0xDC00 && u <= 0xDFFF)) return false;
          if (u >= 0xD800 && u <= 0xDBFF) {
            if (!eat('\\') || !eat('u')) return false;
            const int low = code_unit();
            if (low < 0xDC00 || low > 0xDFFF) return false;
          }
        } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
          return false;
        }
      } else if (c >= 0x80) {
        if (!utf8()) return false;
      } else {
        ++i_;
      }
    }
  }

  bool digits() {
    const std::size_t start = i_;
    while (peek() >= '0' && peek() <= '9') ++i_;
    return i_ > start;
  }

  bool number() {
    eat('-');
    if (eat('0')) {
      if (peek() >= '0' && peek() <= '9') return false;  // no leading zeros
    } else if (!digits()) {
      return false;
    }
    if (eat('.') && !digits()) return false;
    if (eat('e') || eat('E')) {
      if (!eat('+')) eat('-');
      if (!digits()) return false;
    }
    return true;
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

inline bool is_json(std::string_view text) {
  return JsonCheck(text).valid();
}

}  // namespace gpufit_fuzz_oracle
