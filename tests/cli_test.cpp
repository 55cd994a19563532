// gpucalc as a user runs it: exit status, standard output and standard error.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>

#include "test_helpers.hpp"

namespace gpufit::test {
namespace {

struct CliRun {
  int status = -1;
  std::string out, err;
};

// Runs gpucalc with `args`, `input` on standard input.
CliRun gpucalc(const std::string& args, const std::string& input = "") {
  char dir_template[] = "/tmp/gpucalc-test-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const std::string in = dir + "/in", out = dir + "/out", err = dir + "/err";
  {
    std::ofstream f(in, std::ios::binary);
    f << input;
  }
  const std::string cmd = std::string(GPUFIT_CLI) + " " + args + " <" + in + " >" + out + " 2>" + err;
  int raw = std::system(cmd.c_str());
  CliRun r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = read_text(out);
  r.err = read_text(err);
  std::filesystem::remove_all(dir);
  return r;
}

TEST(Cli, EvaluatePrintsJson) {
  CliRun r = gpucalc("evaluate - --format json", R"({"model": "llama-3.1-8b", "gpu": "l4"})");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.err.empty());
  json j = json::parse(r.out);
  EXPECT_TRUE(j["fits"].get<bool>());
  // The CLI adds today's date, so prices are checked for age.
  EXPECT_EQ(j["scenario"]["gpu"], "l4");
}

TEST(Cli, EvaluateTableIsForPeople) {
  CliRun r = gpucalc("evaluate - --format table", R"({"model": "llama-3.1-8b", "gpu": "l4"})");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("tokens/s per sequence"), std::string::npos) << r.out;
}

TEST(Cli, BadInputExitsTwoWithOneMessageAndNoOutput) {
  CliRun r = gpucalc("evaluate - --format json",
                     R"({"model": {"params": 7e9, "layers": 32, "hidden_size": 4096, "attention_heads": 32,
                      "kv_heads": -8, "vocab_size": 32000}, "gpu": "l4"})");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(r.err, "/model/kv_heads: must be a positive integer, got -8\n");
}

TEST(Cli, MalformedJsonAndMissingFiles) {
  CliRun r = gpucalc("evaluate -", "{\"model\": ");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(r.err.rfind("scenario: is not valid JSON", 0), 0u) << r.err;
  r = gpucalc("evaluate /nonexistent/file.json");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err, "/nonexistent/file.json: cannot be read\n");
}

TEST(Cli, AFiftyMegabyteConfigIsRefusedNotParsed) {
  std::string big = R"({"model": {"hf_config": {"model_type": "llama", "junk": ")" + std::string(50'000'000, 'a') +
                    R"("}}, "gpu": "l4"})";
  CliRun r = gpucalc("evaluate -", big);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(r.err.rfind("scenario: input is 500000", 0), 0u) << r.err;
}

TEST(Cli, RankSortsAndStatesTheWinner) {
  CliRun r =
      gpucalc("rank - --by tokens_per_s --format json", R"({"model": "llama-3.1-8b", "gpu": "l4", "batch_size": 8})");
  EXPECT_EQ(r.status, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["by"], "tokens_per_s");
  EXPECT_FALSE(j["statement"].get<std::string>().empty());
  r = gpucalc("rank - --by speed", R"({"model": "llama-3.1-8b", "gpu": "l4"})");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.out.empty());
}

TEST(Cli, CatalogListsEachKind) {
  for (const char* kind : {"gpus", "models", "formats", "engines", "prices"}) {
    CliRun r = gpucalc(std::string("catalog ") + kind + " --format json");
    EXPECT_EQ(r.status, 0) << kind;
    EXPECT_TRUE(json::parse(r.out).is_array()) << kind;
    r = gpucalc(std::string("catalog ") + kind + " --format table");
    EXPECT_EQ(r.status, 0) << kind;
    EXPECT_FALSE(r.out.empty()) << kind;
  }
  CliRun r = gpucalc("catalog cpus");
  EXPECT_EQ(r.status, 2);
}

TEST(Cli, HelpForEachCommand) {
  for (const char* cmd : {"", "evaluate ", "rank ", "catalog ", "sweep ", "permalink "}) {
    CliRun r = gpucalc(std::string(cmd) + "--help");
    EXPECT_EQ(r.status, 0) << cmd;
    EXPECT_EQ(r.out.rfind("usage: gpucalc", 0), 0u) << cmd;
  }
  CliRun r = gpucalc("frobnicate");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.out.empty());
}

TEST(Cli, PermalinkRoundTrip) {
  CliRun q = gpucalc("permalink -", R"({"model": "llama-3.1-70b", "weights": "int4", "gpu": "l4", "gpu_count": 2})");
  EXPECT_EQ(q.status, 0);
  EXPECT_EQ(q.out, "model=llama-3.1-70b&weights=int4&gpu=l4&gpu_count=2\n");
  CliRun s = gpucalc("scenario 'model=llama-3.1-70b&weights=int4&gpu=l4&gpu_count=2'");
  EXPECT_EQ(s.status, 0);
  EXPECT_EQ(json::parse(s.out)["gpu_count"], 2);
}

}  // namespace
}  // namespace gpufit::test
