// inspect_header_json and model_from_headers_json (core/src/header_api.cpp): a header's bytes ->
// a custom model whose weights memory is the files' bytes, evaluated like a pasted config.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "file_builders.hpp"
#include "gpufit/api.hpp"
#include "gpufit/catalog_load.hpp"

namespace gpufit {
namespace {

using nlohmann::json;
using testing::GgufWriter;
using testing::TensorSpec;

const Catalog& catalog() {
  static const Catalog c = builtin_catalog().value();
  return c;
}

// A 4-layer llama-shaped GGUF (hidden 512, 8 heads, 4 KV heads, FFN 1536, 2000 tokens) in Q4_K with
// Q6_K output, general.file_type 15 (Q4_K_M).
std::pair<std::string, std::uint64_t> small_gguf() {
  GgufWriter g;
  std::vector<std::string> tokens;
  for (int i = 0; i < 2000; ++i) tokens.push_back("tok" + std::to_string(i));
  g.str("general.architecture", "llama")
      .u32("general.file_type", 15)
      .u32("llama.block_count", 4)
      .u32("llama.context_length", 8192)
      .u32("llama.embedding_length", 512)
      .u32("llama.feed_forward_length", 1536)
      .u32("llama.attention.head_count", 8)
      .u32("llama.attention.head_count_kv", 4)
      .str_array("tokenizer.ggml.tokens", tokens);
  auto q4k = [](std::uint64_t n) { return n / 256 * 144; };
  g.tensor("token_embd.weight", 12, {512, 2000}, q4k(512 * 2000));
  for (int l = 0; l < 4; ++l) {
    const std::string b = "blk." + std::to_string(l) + ".";
    g.tensor(b + "attn_norm.weight", 0, {512}, 2048)
        .tensor(b + "attn_q.weight", 12, {512, 512}, q4k(512 * 512))
        .tensor(b + "attn_k.weight", 12, {512, 256}, q4k(512 * 256))
        .tensor(b + "attn_v.weight", 12, {512, 256}, q4k(512 * 256))
        .tensor(b + "attn_output.weight", 12, {512, 512}, q4k(512 * 512))
        .tensor(b + "ffn_norm.weight", 0, {512}, 2048)
        .tensor(b + "ffn_gate.weight", 12, {512, 1536}, q4k(512 * 1536))
        .tensor(b + "ffn_up.weight", 12, {512, 1536}, q4k(512 * 1536))
        .tensor(b + "ffn_down.weight", 12, {1536, 512}, q4k(512 * 1536));
  }
  g.tensor("output_norm.weight", 0, {512}, 2048).tensor("output.weight", 14, {512, 2000}, 512 * 2000 / 256 * 210);
  return g.file();
}

TEST(HeaderApi, GgufBecomesAModelWhoseWeightsAreTheFilesBytes) {
  auto [bytes, size] = small_gguf();
  // Too short first: it asks for more.
  auto first = inspect_header_json(std::string_view(bytes).substr(0, 100), "gguf", size, "small.gguf");
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_GT(json::parse(first.value())["need_bytes"].get<double>(), 100);

  auto out = inspect_header_json(bytes, "gguf", size, "small.gguf");
  ASSERT_TRUE(out.ok()) << out.error().to_string();
  const json j = json::parse(out.value());
  EXPECT_EQ(j["weights"], "q4_k_m");
  EXPECT_EQ(j["header_bytes"].get<double>(), double(bytes.size()));
  const double file_bytes = j["weights_bytes"].get<double>();
  EXPECT_EQ(file_bytes, j["weights_bytes_by_dtype"]["Q4_K"].get<double>() +
                            j["weights_bytes_by_dtype"]["Q6_K"].get<double>() +
                            j["weights_bytes_by_dtype"]["F32"].get<double>());
  EXPECT_EQ(j["metadata"]["tokenizer.ggml.tokens"]["count"], 2000);
  const json model = j["model"];
  EXPECT_EQ(model["layers"], 4);
  EXPECT_EQ(model["file_source"]["kind"], "gguf");
  EXPECT_EQ(model["file_source"]["bytes_fetched"].get<double>(), double(bytes.size()));

  // The model evaluates like a pasted config, in the file's own format by default.
  json scenario = {{"model", model}, {"gpu", "l4"}, {"context_tokens", 2048}};
  auto result = evaluate_json(scenario.dump(), catalog());
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  json r = json::parse(result.value());
  EXPECT_EQ(r["scenario"]["weights"], "q4_k_m");
  EXPECT_EQ(r["model"]["source"]["kind"], "gguf");
  EXPECT_EQ(r["model"]["source"]["id"], "small.gguf");
  EXPECT_TRUE(r["model"]["source"]["bytes_used"].get<bool>());
  EXPECT_DOUBLE_EQ(r["model"]["weights_gb"].get<double>(), file_bytes / 1e9);
  EXPECT_EQ(r["model"]["source"]["weights_bytes_by_dtype"], j["weights_bytes_by_dtype"]);

  // Asked for another format, the bytes are derived for it and the source says so.
  scenario["weights"] = "bf16";
  result = evaluate_json(scenario.dump(), catalog());
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  r = json::parse(result.value());
  EXPECT_FALSE(r["model"]["source"]["bytes_used"].get<bool>());
  EXPECT_NE(r["warnings"].dump().find(
                "the weight files are in q4_k_m; the weights memory is derived for bf16, not read from them"),
            std::string::npos)
      << r["warnings"].dump();
  EXPECT_GT(r["model"]["weights_gb"].get<double>(), 3 * file_bytes / 1e9);
}

TEST(HeaderApi, HubRequestBuildsTheModelFromConfigAndHeaders) {
  const json config = {{"model_type", "llama"},       {"hidden_size", 256},
                       {"num_hidden_layers", 2},      {"num_attention_heads", 4},
                       {"num_key_value_heads", 2},    {"intermediate_size", 512},
                       {"vocab_size", 1000},          {"max_position_embeddings", 4096},
                       {"tie_word_embeddings", true}, {"torch_dtype", "bfloat16"}};
  std::vector<TensorSpec> shard1 = {{"model.embed_tokens.weight", "BF16", {1000, 256}}}, shard2;
  for (int l = 0; l < 2; ++l) {
    const std::string b = "model.layers." + std::to_string(l) + ".";
    auto& s = l == 0 ? shard1 : shard2;
    s.push_back({b + "input_layernorm.weight", "BF16", {256}});
    s.push_back({b + "self_attn.q_proj.weight", "BF16", {256, 256}});
    s.push_back({b + "self_attn.k_proj.weight", "BF16", {128, 256}});
    s.push_back({b + "self_attn.v_proj.weight", "BF16", {128, 256}});
    s.push_back({b + "self_attn.o_proj.weight", "BF16", {256, 256}});
    s.push_back({b + "post_attention_layernorm.weight", "BF16", {256}});
    s.push_back({b + "mlp.gate_proj.weight", "BF16", {512, 256}});
    s.push_back({b + "mlp.up_proj.weight", "BF16", {512, 256}});
    s.push_back({b + "mlp.down_proj.weight", "BF16", {256, 512}});
  }
  shard2.push_back({"model.norm.weight", "BF16", {256}});
  const json request = {{"kind", "hub"},
                        {"id", "org/tiny@main"},
                        {"config", config},
                        {"headers", {testing::safetensors_json(shard1), testing::safetensors_json(shard2)}},
                        {"bytes_fetched", 12345}};
  auto out = model_from_headers_json(request.dump());
  ASSERT_TRUE(out.ok()) << out.error().to_string();
  const json j = json::parse(out.value());
  const double params = 256000 + 2 * (2 * 256 + 65536 * 2 + 32768 * 2 + 3 * 131072) + 256;
  EXPECT_EQ(j["params"].get<double>(), params);
  EXPECT_EQ(j["config_params"].get<double>(), params);  // the config's shape agrees with the tensors
  EXPECT_EQ(j["weights_bytes_by_dtype"]["BF16"].get<double>(), 2 * params);
  EXPECT_TRUE(j["tied_embeddings"].get<bool>());
  EXPECT_EQ(j["weights"], "bf16");
  EXPECT_EQ(j["model"]["file_source"]["kind"], "hub");
  EXPECT_EQ(j["model"]["name"], "org/tiny@main");

  auto result = evaluate_json(json({{"model", j["model"]}, {"gpu", "l4"}}).dump(), catalog());
  ASSERT_TRUE(result.ok()) << result.error().to_string();
  const json r = json::parse(result.value());
  EXPECT_DOUBLE_EQ(r["model"]["weights_gb"].get<double>(), 2 * params / 1e9);
  EXPECT_EQ(r["model"]["source"]["bytes_fetched"], 12345);
}

TEST(HeaderApi, RefusesBadRequestsWithNamedErrors) {
  auto e = inspect_header_json("GGUF", "onnx");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().to_string(), "kind: the kind must be gguf or safetensors, got \"onnx\"");
  e = model_from_headers_json(R"({"kind": "hub", "config": {"model_type": "llama"}, "headers": ["{\"a\": 1}"]})");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, "malformed_header");
  EXPECT_EQ(e.error().path, "/headers/0/a");
  e = evaluate_json(R"({"model": {"hub": "org/name"}, "gpu": "l4"})", catalog());
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().path, "/model/hub");
  e = evaluate_json(R"({"model": {"params": 1e9, "layers": 2, "hidden_size": 64, "attention_heads": 4, "vocab_size": 10,
                        "file_source": {"kind": "ftp"}}, "gpu": "l4"})",
                    catalog());
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().to_string(), "/model/file_source/kind: must be hub, gguf or safetensors, got \"ftp\"");
}

}  // namespace
}  // namespace gpufit
