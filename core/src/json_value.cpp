#include "json_value.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "json_write.hpp"
#include "utf8.hpp"

namespace gpufit::detail {

Json Json::boolean(bool b) {
  Json j;
  j.type_ = Type::kBool;
  j.bool_ = b;
  return j;
}

Json Json::number(double v, bool integral) {
  Json j;
  j.type_ = Type::kNumber;
  j.number_ = v;
  j.integral_ = integral;
  return j;
}

Json Json::string(std::string s) {
  Json j;
  j.type_ = Type::kString;
  j.string_ = std::move(s);
  return j;
}

Json Json::array(std::vector<Json> items) {
  Json j;
  j.type_ = Type::kArray;
  j.items_ = std::move(items);
  return j;
}

Json Json::object(std::vector<JsonMember> members) {
  Json j;
  j.type_ = Type::kObject;
  j.members_ = std::move(members);
  return j;
}

std::size_t Json::size() const {
  if (type_ == Type::kArray) return items_.size();
  if (type_ == Type::kObject) return members_.size();
  return 0;
}

const Json* Json::find(std::string_view key) const {
  if (type_ != Type::kObject) return nullptr;
  for (const JsonMember& m : members_) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

const char* Json::type_words(Type t) {
  switch (t) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return "a boolean";
    case Type::kNumber:
      return "a number";
    case Type::kString:
      return "a string";
    case Type::kArray:
      return "an array";
    case Type::kObject:
      return "an object";
  }
  return "a value";
}

namespace {

// Values are at most kMaxJsonDepth deep, so writing them back recursively is bounded too.
// enough > 0: stop once the text holds that many bytes (a prefix for a message, not JSON): a
// string is escaped from its first enough + 4 bytes only, which give at least enough bytes of
// text whenever it is longer (every byte writes one or more), with any UTF-8 sequence cut at
// that end replaced past them.
void write_value(JsonWriter& w, const Json& j, std::size_t enough) {
  const auto full = [&] { return enough > 0 && w.text().size() >= enough; };
  if (full()) return;
  switch (j.type()) {
    case Json::Type::kNull:
      w.null();
      break;
    case Json::Type::kBool:
      w.boolean(j.as_bool());
      break;
    case Json::Type::kNumber:
      w.number(j.as_number());
      break;
    case Json::Type::kString: {
      const std::string_view text = j.as_string();
      w.string(enough > 0 ? text.substr(0, enough + 4) : text);
      break;
    }
    case Json::Type::kArray:
      w.begin_array();
      for (const Json& x : j.items()) {
        if (full()) break;
        write_value(w, x, enough);
      }
      w.end_array();
      break;
    case Json::Type::kObject:
      w.begin_object();
      for (const JsonMember& m : j.members()) {
        if (full()) break;
        w.key(enough > 0 ? std::string_view(m.key).substr(0, enough + 4) : std::string_view(m.key));
        write_value(w, m.value, enough);
      }
      w.end_object();
      break;
  }
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  // The first error wins; parsing stops there.
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }

  Json document() {
    skip_space();
    Json v = value(1);
    if (failed()) return {};
    skip_space();
    if (i_ < s_.size()) fail("unexpected text after the JSON value");
    return v;
  }

 private:
  void fail(const std::string& what) {
    if (failed()) return;
    // Line and column of the offending byte, counted as an editor would (1-based), newline to
    // newline (string_view::find is memchr): a byte at a time was a twentieth of fuzzing the
    // catalog, whose refused inputs are tens of kilobytes.
    const std::string_view before = s_.substr(0, std::min(i_, s_.size()));
    std::size_t line = 1, line_start = 0;
    for (std::size_t k = before.find('\n'); k != std::string_view::npos; k = before.find('\n', k + 1)) {
      ++line;
      line_start = k + 1;
    }
    const std::size_t column = before.size() - line_start + 1;
    error_ = "syntax error at line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + what;
  }

  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }

  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  Json value(int depth) {
    if (i_ >= s_.size()) {
      fail("unexpected end of input, expected a value");
      return {};
    }
    switch (s_[i_]) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return Json::string(string_literal());
      case 't':
        if (literal("true")) return Json::boolean(true);
        break;
      case 'f':
        if (literal("false")) return Json::boolean(false);
        break;
      case 'n':
        if (literal("null")) return Json();
        break;
      default:
        if (s_[i_] == '-' || (s_[i_] >= '0' && s_[i_] <= '9')) return number();
    }
    fail("expected a value (an object, array, string, number, true, false or null)");
    return {};
  }

  bool too_deep(int depth) {
    if (depth <= kMaxJsonDepth) return false;
    deep_ = true;
    fail("nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    return true;
  }

  Json object(int depth) {
    if (too_deep(depth)) return {};
    ++i_;  // {
    std::vector<JsonMember> members;
    skip_space();
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
      return Json::object(std::move(members));
    }
    for (;;) {
      skip_space();
      if (i_ >= s_.size() || s_[i_] != '"') {
        fail("expected a key in double quotes");
        return {};
      }
      std::string key = string_literal();
      if (failed()) return {};
      for (const JsonMember& m : members) {
        if (m.key == key) {
          fail("duplicate key \"" + (key.size() > 60 ? key.substr(0, 60) + "..." : key) + "\"");
          return {};
        }
      }
      skip_space();
      if (i_ >= s_.size() || s_[i_] != ':') {
        fail("expected ':' after an object key");
        return {};
      }
      ++i_;
      skip_space();
      Json v = value(depth + 1);
      if (failed()) return {};
      members.push_back({std::move(key), std::move(v)});
      skip_space();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        return Json::object(std::move(members));
      }
      fail("expected ',' or '}' in an object");
      return {};
    }
  }

  Json array(int depth) {
    if (too_deep(depth)) return {};
    ++i_;  // [
    std::vector<Json> items;
    skip_space();
    if (i_ < s_.size() && s_[i_] == ']') {
      ++i_;
      return Json::array(std::move(items));
    }
    for (;;) {
      skip_space();
      Json v = value(depth + 1);
      if (failed()) return {};
      items.push_back(std::move(v));
      skip_space();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return Json::array(std::move(items));
      }
      fail("expected ',' or ']' in an array");
      return {};
    }
  }

  int hex4() {
    if (i_ + 4 > s_.size()) return -1;
    int v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_ + k];
      int d = -1;
      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    i_ += 4;
    return v;
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::string string_literal() {
    ++i_;  // opening quote
    std::string out;
    std::size_t run = i_;  // start of the pending run copied as it is
    // The next '"' at or after i_ (npos: none), found with memchr and kept until passed: it stops
    // the scan below without a bounds test per byte.
    std::size_t quote = i_;
    while (i_ < s_.size()) {
      // Printable ASCII other than '"' and '\\', nearly every byte of a catalog's strings, in one
      // test a byte: the checks below cost four (and, traced in fuzzing builds, a sixth of the
      // catalog harness's time).
      if (quote != std::string_view::npos && quote < i_) quote = i_;
      if (quote == i_) quote = s_.find('"', i_);
      if (quote != std::string_view::npos) {
        const char* p = s_.data() + i_;
        while (kJsonPlainByte[static_cast<unsigned char>(*p)]) ++p;  // stops at `quote` at the latest
        i_ = static_cast<std::size_t>(p - s_.data());
      } else {
        while (i_ < s_.size() && kJsonPlainByte[static_cast<unsigned char>(s_[i_])]) ++i_;
        if (i_ >= s_.size()) break;
      }
      const unsigned char c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        out.append(s_.data() + run, i_ - run);
        ++i_;
        return out;
      }
      if (c < 0x20) {
        fail("control character in a string (write it as an escape such as \\n)");
        return {};
      }
      if (c >= 0x80) {
        const std::size_t n = utf8_length(s_, i_);
        if (n == 0) {
          fail("invalid UTF-8 in a string");
          return {};
        }
        i_ += n;
        continue;
      }
      if (c != '\\') {
        ++i_;
        continue;
      }
      out.append(s_.data() + run, i_ - run);
      if (++i_ >= s_.size()) break;
      const char e = s_[i_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          int cp = hex4();
          if (cp < 0) {
            fail("\\u must be followed by four hex digits");
            return {};
          }
          if (cp >= 0xD800 && cp <= 0xDBFF) {  // a high surrogate needs its low half
            int lo = -1;
            if (i_ + 1 < s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u') {
              i_ += 2;
              lo = hex4();
            }
            if (lo < 0xDC00 || lo > 0xDFFF) {
              fail("a \\u surrogate pair is incomplete");
              return {};
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail("a \\u surrogate pair is incomplete");
            return {};
          }
          append_utf8(out, static_cast<unsigned>(cp));
          break;
        }
        default:
          --i_;
          fail("invalid escape in a string");
          return {};
      }
      run = i_;
    }
    fail("unterminated string");
    return {};
  }

  Json number() {
    const std::size_t start = i_;
    bool integral = true;
    if (s_[i_] == '-') ++i_;
    const auto digits = [&] {
      const std::size_t from = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      return i_ - from;
    };
    if (i_ < s_.size() && s_[i_] == '0') {
      ++i_;
    } else if (digits() == 0) {
      fail("expected a digit");
      return {};
    }
    if (i_ < s_.size() && s_[i_] == '.') {
      integral = false;
      ++i_;
      if (digits() == 0) {
        fail("expected a digit after the decimal point");
        return {};
      }
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      integral = false;
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (digits() == 0) {
        fail("expected a digit in the exponent");
        return {};
      }
    }
    // strtod needs a terminated string; numbers are short, the rare long one goes to the heap.
    const std::size_t n = i_ - start;
    char small[64];
    std::string big;
    const char* text = small;
    if (n < sizeof small) {
      std::memcpy(small, s_.data() + start, n);
      small[n] = '\0';
    } else {
      big.assign(s_.data() + start, n);
      text = big.c_str();
    }
    const double v = std::strtod(text, nullptr);
    if (!std::isfinite(v)) {
      i_ = start;
      fail("number out of range");
      return {};
    }
    return Json::number(v, integral);
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::string error_;

 public:
  bool deep_ = false;  // the error is the depth limit (reported as too_large, not as a syntax error)
};

}  // namespace

namespace {

// The end of the JSON value starting at text[i] (already validated): strings skipped whole,
// brackets counted.
std::size_t value_end(std::string_view text, std::size_t i) {
  // Raw pointers: this walks whole files character by character (the catalog's entries' text,
  // deferred rows), and the -Oz WebAssembly build calls string_view's accessors rather than
  // inlining them.
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  int depth = 0;
  bool in_string = false;
  for (const char* p = begin + i; p < end; ++p) {
    const char c = *p;
    if (in_string) {
      if (c == '\\') {
        if (++p == end) break;
      } else if (c == '"') {
        in_string = false;
        if (depth == 0) return static_cast<std::size_t>(p + 1 - begin);
      }
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '[' || c == '{')
      ++depth;
    else if (c == ']' || c == '}') {
      if (--depth == 0) return static_cast<std::size_t>(p + 1 - begin);
      if (depth < 0) return static_cast<std::size_t>(p - begin);
    } else if (depth == 0 && (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
      return static_cast<std::size_t>(p - begin);
    }
  }
  return text.size() > i ? text.size() : i;
}

}  // namespace

std::string_view member_text(std::string_view text, std::string_view key) {
  std::size_t i = text.find('{');
  if (i == std::string_view::npos) return {};
  ++i;
  while (i < text.size()) {
    while (i < text.size() && text[i] != '"' && text[i] != '}') ++i;
    if (i >= text.size() || text[i] == '}') return {};
    const std::size_t key_start = i + 1;
    const std::size_t key_end = value_end(text, i) - 1;  // the closing quote
    std::size_t v = text.find(':', key_end) + 1;
    while (v < text.size() && (text[v] == ' ' || text[v] == '\n' || text[v] == '\r' || text[v] == '\t')) ++v;
    const std::size_t end = value_end(text, v);
    if (text.substr(key_start, key_end - key_start) == key) return text.substr(v, end - v);
    i = end;
  }
  return {};
}

std::string Json::dump() const {
  JsonWriter w;
  write_value(w, *this, 0);
  return w.take();
}

std::string Json::dump_prefix(std::size_t enough) const {
  JsonWriter w;
  write_value(w, *this, enough);
  return w.take();
}

Outcome<Json> parse_json(std::string_view text, std::string_view what, std::size_t max_bytes) {
  if (text.size() > max_bytes) {
    return Error{
        "too_large", "",
        "input is " + std::to_string(text.size()) + " bytes, more than the " + std::to_string(max_bytes) + " accepted",
        std::string(what)};
  }
  Parser p(text);
  Json j = p.document();
  if (p.failed()) {
    if (p.deep_) {
      return Error{"too_large", "", "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels",
                   std::string(what)};
    }
    return Error{"invalid_json", "", "is not valid JSON (" + p.error() + ")", std::string(what)};
  }
  return j;
}

}  // namespace gpufit::detail
