// Hugging Face config.json import: the parameter count derived from the architecture lands within
// 1% of the published count for every config kept under tests/hf_configs/ (published as is, with
// its source), and the catalog's native entries agree with their configs.
#include <filesystem>

#include "hf_config.hpp"
#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

std::vector<std::string> config_files() {
  return json_files("hf_configs");
}

class PublishedConfig : public ::testing::TestWithParam<std::string> {};

TEST_P(PublishedConfig, ParameterCountWithinOnePercent) {
  const json file = read_json(GetParam());
  ASSERT_TRUE(file.contains("source")) << GetParam();
  const double published = file["published_params"].get<double>();
  auto m = detail::model_from_hf_config(core_json(file["hf_config"]), "/hf_config");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_NEAR(m.value().params / published, 1.0, 0.01)
      << file["id"] << ": derived " << m.value().params << ", published " << published;
  EXPECT_LE(m.value().active_params, m.value().params);
}

TEST_P(PublishedConfig, CatalogEntryMatchesItsConfig) {
  const json file = read_json(GetParam());
  const Model* entry = catalog().model(file["id"].get<std::string>());
  ASSERT_NE(entry, nullptr) << file["id"];
  auto m = detail::model_from_hf_config(core_json(file["hf_config"]), "/hf_config");
  ASSERT_TRUE(m.ok());
  const Model& d = m.value();
  EXPECT_EQ(entry->layers, d.layers) << entry->id;
  EXPECT_EQ(entry->hidden_size, d.hidden_size) << entry->id;
  EXPECT_EQ(entry->attention_heads, d.attention_heads) << entry->id;
  EXPECT_EQ(entry->kv_heads, d.kv_heads) << entry->id;
  EXPECT_EQ(entry->vocab_size, d.vocab_size) << entry->id;
  EXPECT_EQ(entry->tie_word_embeddings, d.tie_word_embeddings) << entry->id;
  EXPECT_EQ(entry->sliding_window_layers, d.sliding_window_layers) << entry->id;
  EXPECT_EQ(entry->experts, d.experts) << entry->id;
  EXPECT_EQ(entry->kv_lora_rank, d.kv_lora_rank) << entry->id;
  EXPECT_EQ(entry->expert_intermediate_size, d.expert_intermediate_size) << entry->id;
  EXPECT_NEAR(entry->params / d.params, 1.0, 0.01) << entry->id;
  // The KV cache a token adds: the figure every memory answer rests on.
  EXPECT_DOUBLE_EQ(kv_values_per_token(*entry), kv_values_per_token(d)) << entry->id;
}

INSTANTIATE_TEST_SUITE_P(HfConfigs, PublishedConfig, ::testing::ValuesIn(config_files()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                           return test_name(param_info.param);
                         });

TEST(HfConfig, CoversEveryRequiredFamily) {
  std::set<std::string> families;
  for (const auto& f : config_files()) {
    const json file = read_json(f);
    families.insert(file["hf_config"]["model_type"].get<std::string>());
  }
  for (const char* f :
       {"llama", "mistral", "mixtral", "qwen2", "qwen2_moe", "gemma2", "phi3", "deepseek_v2", "deepseek_v3"}) {
    EXPECT_TRUE(families.count(f)) << f;
  }
  EXPECT_GE(config_files().size(), 8u);
}

TEST(HfConfig, MixtralActiveParamsAreTwoOfEightExperts) {
  const json file = read_json(tests_dir() + "/hf_configs/mixtral-8x7b.json");
  auto m = detail::model_from_hf_config(core_json(file["hf_config"]), "/hf_config");
  ASSERT_TRUE(m.ok());
  // Mistral AI: 46.7B total, 12.9B used per token.
  EXPECT_NEAR(m.value().active_params / 12.9e9, 1.0, 0.01);
  EXPECT_EQ(m.value().experts, 8);
  EXPECT_EQ(m.value().experts_per_token, 2);
}

TEST(HfConfig, DeepSeekUsesTheCompressedLatentCache) {
  const json file = read_json(tests_dir() + "/hf_configs/deepseek-v3.json");
  auto m = detail::model_from_hf_config(core_json(file["hf_config"]), "/hf_config");
  ASSERT_TRUE(m.ok());
  // kv_lora_rank 512 + qk_rope_head_dim 64 values per layer, 61 layers.
  EXPECT_DOUBLE_EQ(kv_values_per_token(m.value()), 576.0 * 61);
}

TEST(HfConfig, GemmaWindowsEveryOtherLayer) {
  const json file = read_json(tests_dir() + "/hf_configs/gemma-2-9b.json");
  auto m = detail::model_from_hf_config(core_json(file["hf_config"]), "/hf_config");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m.value().sliding_window_layers, 21);
  EXPECT_EQ(m.value().sliding_window_tokens, 4096);
  EXPECT_TRUE(m.value().tie_word_embeddings);
}

TEST(HfConfig, AcceptedThroughTheScenario) {
  const json file = read_json(tests_dir() + "/hf_configs/qwen2.5-7b.json");
  json r = evaluate({{"model", {{"hf_config", file["hf_config"]}}}, {"gpu", "l4"}, {"as_of_date", "2026-11-21"}});
  EXPECT_NEAR(r["model"]["params"].get<double>() / 7615616512.0, 1.0, 0.01);
}

TEST(HfConfig, RefusesUnsupportedAndMalformedConfigs) {
  json cfg = {{"model_type", "gpt2"}, {"hidden_size", 768}};
  auto m = detail::model_from_hf_config(core_json(cfg), "/model/hf_config");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().path, "/model/hf_config/model_type");
  EXPECT_NE(m.error().message.find("is not supported"), std::string::npos);

  json llama = read_json(tests_dir() + "/hf_configs/llama-3.1-8b.json")["hf_config"];
  llama["num_key_value_heads"] = 5;
  m = detail::model_from_hf_config(core_json(llama), "/model/hf_config");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().to_string(), "/model/hf_config/num_key_value_heads: must divide num_attention_heads (32), got 5");

  llama.erase("num_key_value_heads");
  llama["hidden_size"] = "4096";
  m = detail::model_from_hf_config(core_json(llama), "/model/hf_config");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().to_string(), "/model/hf_config/hidden_size: must be a positive integer, got \"4096\"");
}

}  // namespace
}  // namespace gpufit::test
