// gpucalc against weight files: `inspect` on files generated here, and `evaluate` with
// "model": {"hub": ...} against tests/hub_server.mjs, a loopback imitation of the Hub that counts
// the bytes it sends per file. The Range requests must transfer the headers and no more.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "file_builders.hpp"
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

namespace fs = std::filesystem;
using gpufit::testing::GgufWriter;
using gpufit::testing::safetensors_file;
using gpufit::testing::TensorSpec;

struct CliResult {
  int status = -1;
  std::string out, err;
};

// gpucalc with `args` (no shell quoting needed for the paths used here), standard input empty.
CliResult run_gpucalc(const std::string& args, const fs::path& dir) {
  const std::string out = (dir / "stdout").string(), err = (dir / "stderr").string();
  const std::string cmd = std::string(GPUFIT_CLI) + " " + args + " </dev/null >" + out + " 2>" + err;
  const int raw = std::system(cmd.c_str());
  CliResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = read_text(out);
  r.err = read_text(err);
  return r;
}

// A file's text, "" while it does not exist yet.
std::string text_if_any(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return in ? std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()) : std::string();
}

// A file holding `header` and then zeros up to `size` bytes (sparse: the data is never read).
void write_file(const fs::path& path, const std::string& header, std::uint64_t size) {
  fs::create_directories(path.parent_path());
  {
    std::ofstream f(path, std::ios::binary);
    f << header;
  }
  fs::resize_file(path, size);
}

void write_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A small llama split into two shards, with ~8 MB of (sparse) data per shard so that reading more
// than the headers would show.
struct Checkpoint {
  json config;
  std::vector<std::vector<TensorSpec>> shards;
};

Checkpoint two_shard_llama() {
  Checkpoint c;
  c.config = {{"model_type", "llama"},       {"hidden_size", 1024},
              {"num_hidden_layers", 2},      {"num_attention_heads", 8},
              {"num_key_value_heads", 4},    {"intermediate_size", 2048},
              {"vocab_size", 4000},          {"max_position_embeddings", 8192},
              {"tie_word_embeddings", false}};
  c.shards.resize(2);
  c.shards[0].push_back({"model.embed_tokens.weight", "BF16", {4000, 1024}});
  for (int l = 0; l < 2; ++l) {
    auto& s = c.shards[static_cast<std::size_t>(l)];
    const std::string b = "model.layers." + std::to_string(l) + ".";
    s.push_back({b + "input_layernorm.weight", "BF16", {1024}});
    s.push_back({b + "self_attn.q_proj.weight", "BF16", {1024, 1024}});
    s.push_back({b + "self_attn.k_proj.weight", "BF16", {512, 1024}});
    s.push_back({b + "self_attn.v_proj.weight", "BF16", {512, 1024}});
    s.push_back({b + "self_attn.o_proj.weight", "BF16", {1024, 1024}});
    s.push_back({b + "post_attention_layernorm.weight", "BF16", {1024}});
    s.push_back({b + "mlp.gate_proj.weight", "BF16", {2048, 1024}});
    s.push_back({b + "mlp.up_proj.weight", "BF16", {2048, 1024}});
    s.push_back({b + "mlp.down_proj.weight", "BF16", {1024, 2048}});
  }
  c.shards[1].push_back({"model.norm.weight", "BF16", {1024}});
  c.shards[1].push_back({"lm_head.weight", "BF16", {4000, 1024}});
  return c;
}

constexpr double kParams = 2 * 4096000.0 + 2 * (2 * 1024 + 2 * 1048576 + 2 * 524288 + 3 * 2097152) + 1024;

// Writes the checkpoint as a Hub repository folder (config.json, index, shards); returns each
// shard's header size (8 + N).
std::vector<std::uint64_t> write_repo(const fs::path& dir, const Checkpoint& c) {
  write_text(dir / "config.json", c.config.dump());
  json index = {{"metadata", {{"total_size", 0}}}, {"weight_map", json::object()}};
  std::vector<std::uint64_t> header_sizes;
  for (std::size_t i = 0; i < c.shards.size(); ++i) {
    const std::string name =
        "model-0000" + std::to_string(i + 1) + "-of-0000" + std::to_string(c.shards.size()) + ".safetensors";
    auto [header, size] = safetensors_file(c.shards[i], R"({"format":"pt"})");
    write_file(dir / name, header, size);
    header_sizes.push_back(header.size());
    for (const auto& t : c.shards[i]) index["weight_map"][t.name] = name;
  }
  write_text(dir / "model.safetensors.index.json", index.dump());
  return header_sizes;
}

class HubServer : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/gpucalc-hub-XXXXXX";
    dir_ = mkdtemp(tmpl);
    root_ = dir_ / "hub";
    fs::create_directories(root_);
  }
  void TearDown() override {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    fs::remove_all(dir_);
  }
  // Starts tests/hub_server.mjs on ROOT; false when Node is missing.
  bool start() {
    if (std::string(GPUFIT_NODE).empty()) return false;
    const std::string port_file = (dir_ / "port").string();
    pid_ = fork();
    if (pid_ == 0) {
      const std::string server = std::string(GPUFIT_TESTS_DIR) + "/hub_server.mjs";
      const std::string root = root_.string(), stats = (dir_ / "stats.json").string();
      if (!freopen(port_file.c_str(), "w", stdout)) _exit(127);
      execl(GPUFIT_NODE, GPUFIT_NODE, server.c_str(), root.c_str(), stats.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 200; ++i) {
      const std::string text = text_if_any(port_file);
      if (text.rfind("port ", 0) == 0 && text.find('\n') != std::string::npos) {
        endpoint_ = "http://127.0.0.1:" + text.substr(5, text.find('\n') - 5);
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "hub_server.mjs did not start";
    return false;
  }
  json stats() const {
    const std::string text = text_if_any(dir_ / "stats.json");
    return text.empty() ? json::object() : json::parse(text);
  }
  CliResult evaluate(const std::string& scenario, const std::string& extra = "") {
    write_text(dir_ / "scenario.json", scenario);
    return run_gpucalc(
        "evaluate " + (dir_ / "scenario.json").string() + " --format json --hub-endpoint " + endpoint_ + " " + extra,
        dir_);
  }

  fs::path dir_, root_;
  std::string endpoint_;
  pid_t pid_ = -1;
};

#define START_OR_SKIP() \
  if (!start()) GTEST_SKIP() << "Node.js not found: the Hub tests need it for tests/hub_server.mjs"

TEST_F(HubServer, ShardedRepositoryTransfersOnlyTheHeaders) {
  const Checkpoint c = two_shard_llama();
  const auto header_sizes = write_repo(root_ / "org" / "tiny" / "main", c);
  START_OR_SKIP();
  CliResult r = evaluate(R"({"model": {"hub": "org/tiny"}, "gpu": "l4", "context_tokens": 2048})");
  ASSERT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out);
  const json s = stats();
  // Each shard: the 8-byte length and the header, in two Range requests; nothing of the data.
  double total = 0;
  for (std::size_t i = 0; i < header_sizes.size(); ++i) {
    const std::string key = "/org/tiny/main/model-0000" + std::to_string(i + 1) + "-of-00002.safetensors";
    ASSERT_TRUE(s.contains(key)) << s.dump();
    EXPECT_EQ(s[key]["requests"], 2);
    EXPECT_EQ(s[key]["bytes"].get<double>(), double(header_sizes[i]));
    EXPECT_LT(s[key]["bytes"].get<double>(), 4096);  // the shard itself is over 8 MB
  }
  for (const auto& [file, v] : s.items()) total += v["bytes"].get<double>();
  EXPECT_EQ(j["model"]["source"]["kind"], "hub");
  EXPECT_EQ(j["model"]["source"]["id"], "org/tiny");
  EXPECT_EQ(j["model"]["source"]["bytes_fetched"].get<double>(), total);
  EXPECT_EQ(j["model"]["source"]["weights_bytes_by_dtype"]["BF16"].get<double>(), 2 * kParams);
  EXPECT_TRUE(j["model"]["source"]["bytes_used"].get<bool>());
  EXPECT_EQ(j["model"]["params"].get<double>(), kParams);
  EXPECT_DOUBLE_EQ(j["model"]["weights_gb"].get<double>(), 2 * kParams / 1e9);
  EXPECT_EQ(j["scenario"]["weights"], "bf16");
}

TEST_F(HubServer, SingleFileAndRevision) {
  Checkpoint c = two_shard_llama();
  std::vector<TensorSpec> all = c.shards[0];
  all.insert(all.end(), c.shards[1].begin(), c.shards[1].end());
  const fs::path repo = root_ / "org" / "one" / "v1.0";
  write_text(repo / "config.json", c.config.dump());
  auto [header, size] = safetensors_file(all);
  write_file(repo / "model.safetensors", header, size);
  START_OR_SKIP();
  CliResult r = evaluate(
      R"([{"model": {"hub": "org/one@v1.0"}, "gpu": "l4"}, {"model": {"hub": "org/one@v1.0"}, "gpu": "l40s"}])");
  ASSERT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j[1]["model"]["source"]["id"], "org/one@v1.0");
  const json s = stats();
  // Fetched once for both scenarios; the index's 404 costs nothing.
  EXPECT_EQ(s["/org/one/v1.0/model.safetensors"]["requests"], 2);
  EXPECT_EQ(s["/org/one/v1.0/model.safetensors"]["bytes"].get<double>(), double(header.size()));
  EXPECT_EQ(s["/org/one/v1.0/config.json"]["requests"], 1);
}

TEST_F(HubServer, ClearMessagesForGatedMissingAndSlow) {
  write_repo(root_ / "gated" / "model" / "main", two_shard_llama());
  START_OR_SKIP();
  CliResult r = evaluate(R"({"model": {"hub": "gated/model"}, "gpu": "l4"})");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(r.err,
            "/model/hub: gated/model is gated or private (HTTP 401): accept its terms on the Hub and set "
            "HF_TOKEN to a token with access\n");
  // With the right token it works; the token never appears in the output.
  setenv("HF_TOKEN", "hf_wrong", 1);
  r = evaluate(R"({"model": {"hub": "gated/model"}, "gpu": "l4"})");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("(HTTP 403): the token in HF_TOKEN has no access to it"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("hf_wrong"), std::string::npos);
  unsetenv("HF_TOKEN");

  r = evaluate(R"({"model": {"hub": "org/absent"}, "gpu": "l4"})");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "/model/hub: org/absent@main: config.json was not found (HTTP 404): check the id and the revision\n");
  write_text(root_ / "org" / "binonly" / "main" / "config.json", two_shard_llama().config.dump());
  r = evaluate(R"({"model": {"hub": "org/binonly"}, "gpu": "l4"})");
  EXPECT_EQ(r.err,
            "/model/hub: org/binonly has neither model.safetensors.index.json nor model.safetensors: only "
            "safetensors weights are read (for a GGUF file, use gpucalc inspect)\n");
  r = evaluate(R"({"model": {"hub": "not a repo"}, "gpu": "l4"})");
  EXPECT_EQ(r.err, "/model/hub: must be org/name or org/name@revision, got \"not a repo\"\n");

  const auto t0 = std::chrono::steady_clock::now();
  r = evaluate(R"({"model": {"hub": "slow/model"}, "gpu": "l4"})", "--hub-timeout 1");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("did not answer within 1 s (timeout)"), std::string::npos) << r.err;
  EXPECT_LT(seconds, 10);

  r = run_gpucalc(R"(evaluate - --hub-endpoint http://127.0.0.1:9 --format json)", dir_);
  EXPECT_EQ(r.status, 2);  // empty input: the core's message, no fetch
}

TEST_F(HubServer, GatedModelWithTheRightToken) {
  write_repo(root_ / "gated" / "model" / "main", two_shard_llama());
  setenv("HUB_TEST_TOKEN", "hf_secret_123", 1);  // inherited by the server
  const bool started = start();
  unsetenv("HUB_TEST_TOKEN");
  if (!started) GTEST_SKIP() << "Node.js not found";
  setenv("HF_TOKEN", "hf_secret_123", 1);
  CliResult r = evaluate(R"({"model": {"hub": "gated/model"}, "gpu": "l4"})");
  unsetenv("HF_TOKEN");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.find("hf_secret_123"), std::string::npos);
  EXPECT_EQ(json::parse(r.out)["model"]["params"].get<double>(), kParams);
}

// ---- gpucalc inspect ---------------------------------------------------------------------------

TEST_F(HubServer, InspectReadsOnlyTheHeaders) {
  const fs::path folder = dir_ / "checkpoint";
  const auto header_sizes = write_repo(folder, two_shard_llama());
  CliResult r = run_gpucalc("inspect " + folder.string() + " --format json", dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  json j = json::parse(r.out);
  const double small_files =
      double(fs::file_size(folder / "config.json") + fs::file_size(folder / "model.safetensors.index.json"));
  EXPECT_EQ(j["bytes_read"].get<double>(), small_files + double(header_sizes[0] + header_sizes[1]));
  EXPECT_EQ(j["params"].get<double>(), kParams);
  EXPECT_EQ(j["weights_bytes_by_dtype"]["BF16"].get<double>(), 2 * kParams);
  EXPECT_EQ(j["files"], 2);
  EXPECT_FALSE(j["tied_embeddings"].get<bool>());

  // A GGUF with a 30,000-token vocabulary: the header is read in a few growing reads.
  GgufWriter g;
  std::vector<std::string> tokens;
  for (int i = 0; i < 30000; ++i) tokens.push_back("token-" + std::to_string(i));
  g.str("general.architecture", "qwen2")
      .u32("general.file_type", 15)
      .u32("qwen2.block_count", 1)
      .u32("qwen2.embedding_length", 256)
      .u32("qwen2.attention.head_count", 4)
      .u32("qwen2.attention.head_count_kv", 2)
      .u32("qwen2.feed_forward_length", 512)
      .u32("qwen2.context_length", 32768)
      .str_array("tokenizer.ggml.tokens", tokens)
      .tensor("token_embd.weight", 12, {256, 30000}, 256 * 30000 / 256 * 144)
      .tensor("blk.0.attn_q.weight", 12, {256, 256}, 256 * 144)
      .tensor("blk.0.attn_k.weight", 12, {256, 128}, 128 * 144)
      .tensor("blk.0.attn_v.weight", 14, {256, 128}, 128 * 210)
      .tensor("blk.0.attn_output.weight", 12, {256, 256}, 256 * 144)
      .tensor("blk.0.ffn_gate.weight", 12, {256, 512}, 512 * 144)
      .tensor("blk.0.ffn_up.weight", 12, {256, 512}, 512 * 144)
      .tensor("blk.0.ffn_down.weight", 14, {512, 256}, 512 * 210)
      .tensor("blk.0.attn_norm.weight", 0, {256}, 1024)
      .tensor("blk.0.ffn_norm.weight", 0, {256}, 1024)
      .tensor("output_norm.weight", 0, {256}, 1024);
  auto [header, size] = g.file();
  write_file(dir_ / "tiny.gguf", header, size + (64u << 20));  // 64 MB more that must not be read
  r = run_gpucalc("inspect " + (dir_ / "tiny.gguf").string() + " --format json", dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  j = json::parse(r.out);
  EXPECT_LE(j["bytes_read"].get<double>(), std::max<double>(double(header.size()) * 2, 256 << 10));
  EXPECT_EQ(j["weights"], "q4_k_m");
  EXPECT_EQ(j["model"]["vocab_size"], 30000);
  EXPECT_TRUE(j["tied_embeddings"].get<bool>());
  EXPECT_EQ(j["model"]["file_source"]["bytes_fetched"], j["bytes_read"]);
  // The model object evaluates as the scenario's model.
  write_text(dir_ / "s.json", json({{"model", j["model"]}, {"gpu", "l4"}}).dump());
  r = run_gpucalc("evaluate " + (dir_ / "s.json").string() + " --format json", dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["model"]["source"]["kind"], "gguf");

  r = run_gpucalc("inspect " + (dir_ / "tiny.gguf").string() + " --format table", dir_);
  EXPECT_NE(r.out.find("format q4_k_m"), std::string::npos) << r.out;

  // Hostile: a header length past the end of the file.
  write_file(dir_ / "bad.safetensors", testing::le64(1 << 20) + "{}", 100);
  r = run_gpucalc("inspect " + (dir_ / "bad.safetensors").string(), dir_);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("runs past the end of the 100-byte file"), std::string::npos) << r.err;
  r = run_gpucalc("inspect " + (dir_ / "s.json").string(), dir_);
  EXPECT_EQ(r.status, 2);
}

}  // namespace
}  // namespace gpufit::test
