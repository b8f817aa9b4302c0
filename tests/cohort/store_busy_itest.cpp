// A writer that cannot get the lock within the busy timeout fails with kStoreBusy (slow: waits
// the store's full 5 s timeout, so it lives with the integration tests).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "osteo/cohort/store.h"
#include "support/test_support.h"

namespace osteo {
namespace {

TEST(StoreBusy, WriterGivesUpWithStoreBusyAndTheStoreStaysUsable) {
  test::TempDir dir;
  auto store = open_store(dir.file("cohort.db"));
  ASSERT_TRUE(store) << store.error().to_string();
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("cohort.db").c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  try {
    (*store)->transaction([&] { (*store)->upsert_patient({"P1", "", std::nullopt, ""}); });
    ADD_FAILURE() << "expected kStoreBusy";
  } catch (const OsteoError& e) {
    EXPECT_EQ(e.error().code, ErrorCode::kStoreBusy) << e.error().message;
  }
  // Readers are not blocked by the writer (WAL).
  EXPECT_EQ((*store)->counts().patients, 0);
  sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(raw);
  EXPECT_NO_THROW((*store)->upsert_patient({"P1", "", std::nullopt, ""}));
  EXPECT_EQ((*store)->counts().patients, 1);
}

}  // namespace
}  // namespace osteo
