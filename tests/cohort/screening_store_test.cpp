// The screenings table of the SQLite store on a real file: round trip with binary PNG bytes,
// de-duplication by id, survival across reopen, history order, and no row on a rejected insert.
#include <gtest/gtest.h>

#include "osteo/cohort/store.h"
#include "support/test_support.h"

namespace osteo {
namespace {

std::unique_ptr<CohortStore> open_or_die(const std::string& path) { return value_or_throw(open_store(path)); }

ScreeningRecord make_screening(const std::string& id, const std::string& category, double p) {
  ScreeningRecord s;
  s.id = id;
  s.filename = "film.dcm";
  s.format = "dicom";
  s.input_sha256 = std::string(64, 'a');
  s.model_sha256 = std::string(64, 'b');
  s.result = {{"category", category}, {"p_osteoporosis", p}, {"indeterminate", p > 0.4 && p < 0.6}};
  s.image_png = std::string("\x89PNG\0\x01\x02", 7);  // embedded NUL: must survive as a BLOB
  s.heatmap_png = std::string("\x89PNG\0heat", 9);
  s.dicom_source = {{"sop_instance_uid", "1.2.3"}};
  return s;
}

std::string id_of(char c) { return std::string(32, c); }

TEST(ScreeningStore, RoundTripsEveryField) {
  test::TempDir dir;
  auto store = open_or_die(dir.file("s.db"));
  const auto s = make_screening(id_of('1'), "osteopenia", 0.5);
  ASSERT_TRUE(store->insert_screening(s));
  const auto back = store->screening(s.id, true);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->filename, "film.dcm");
  EXPECT_EQ(back->input_sha256, s.input_sha256);
  EXPECT_EQ(back->model_sha256, s.model_sha256);
  EXPECT_EQ(back->result, s.result);
  EXPECT_EQ(back->image_png, s.image_png);
  EXPECT_EQ(back->heatmap_png, s.heatmap_png);
  EXPECT_EQ(back->dicom_source, s.dicom_source);
  EXPECT_EQ(back->created_at.size(), 20u) << back->created_at;  // 2026-12-04T23:40:00Z
  const auto light = store->screening(s.id, false);
  ASSERT_TRUE(light);
  EXPECT_TRUE(light->image_png.empty());
  EXPECT_FALSE(store->screening(id_of('9'), true));
}

TEST(ScreeningStore, SameIdIsStoredOnce) {
  test::TempDir dir;
  auto store = open_or_die(dir.file("s.db"));
  EXPECT_TRUE(store->insert_screening(make_screening(id_of('1'), "normal", 0.1)));
  EXPECT_FALSE(store->insert_screening(make_screening(id_of('1'), "osteoporosis", 0.9)));
  EXPECT_EQ(store->screenings(100, 0).size(), 1u);
  EXPECT_EQ(store->screening(id_of('1'), false)->result["category"], "normal");  // the first one stays
}

TEST(ScreeningStore, SurvivesReopenAndListsNewestFirst) {
  test::TempDir dir;
  {
    auto store = open_or_die(dir.file("s.db"));
    auto a = make_screening(id_of('a'), "normal", 0.1);
    a.created_at = "2026-01-01T00:00:00Z";
    auto b = make_screening(id_of('b'), "osteoporosis", 0.8);
    b.created_at = "2026-02-01T00:00:00Z";
    ASSERT_TRUE(store->insert_screening(a));
    ASSERT_TRUE(store->insert_screening(b));
  }
  auto store = open_or_die(dir.file("s.db"));
  const auto list = store->screenings(10, 0);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, id_of('b'));
  EXPECT_EQ(list[0].category, "osteoporosis");
  EXPECT_DOUBLE_EQ(list[0].p_osteoporosis, 0.8);
  EXPECT_EQ(list[1].id, id_of('a'));
  EXPECT_EQ(store->screenings(1, 1).at(0).id, id_of('a'));
}

TEST(ScreeningStore, RejectedRecordWritesNothing) {
  test::TempDir dir;
  auto store = open_or_die(dir.file("s.db"));
  EXPECT_THROW(store->insert_screening(make_screening(id_of('1'), "fine", 0.1)), OsteoError);
  EXPECT_THROW(store->insert_screening(make_screening("short", "normal", 0.1)), OsteoError);
  EXPECT_TRUE(store->screenings(10, 0).empty());
}

}  // namespace
}  // namespace osteo
