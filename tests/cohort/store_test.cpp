// The SQLite cohort store on a real file: round trips, migrations, transactions, split keys, WAL.
#include "osteo/cohort/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <thread>

#include "osteo/cohort/migrations.h"
#include "osteo/cohort/sqlite_db.h"
#include "support/test_support.h"

namespace osteo {
namespace {

std::unique_ptr<CohortStore> open_or_die(const std::string& path) {
  auto store = open_store(path);
  if (!store) throw std::runtime_error(store.error().to_string());
  return std::move(*store);
}

ImageRecord make_image(const std::string& path, const std::string& sha, const std::string& patient = "P1") {
  ImageRecord r;
  r.meta.path = path;
  r.meta.sha256 = sha;
  r.meta.format = "dicom";
  r.meta.rows = 64;
  r.meta.columns = 48;
  r.meta.patient_id = patient;
  r.meta.modality = "CR";
  r.meta.body_part = "HIP";
  r.meta.laterality = Side::kLeft;
  r.meta.study_date = Date{2021, 3, 4};
  r.meta.spacing_mm = std::array<double, 2>{0.2, 0.2};
  r.meta.spacing_source = SpacingSource::kImagerPixelSpacing;
  r.source = "dicom";
  return r;
}

DexaRecord make_dexa(const std::string& patient, Date date, DexaSite site, Side side, double t) {
  DexaRecord d;
  d.patient_id = patient;
  d.date = date;
  d.site = site;
  d.side = side;
  d.bmd_g_cm2 = 0.8;
  d.t_score = t;
  d.z_score = std::nullopt;
  d.manufacturer = "Hologic";
  d.source = "dexa.csv:2";
  return d;
}

class StoreTest : public ::testing::Test {
 protected:
  test::TempDir dir_;
  std::string db_ = dir_.file("cohort.db");
  std::unique_ptr<CohortStore> store_ = open_or_die(db_);
};

TEST_F(StoreTest, FreshFileIsMigratedToTheLatestSchema) {
  EXPECT_EQ(store_->schema_version(), cohort_schema_version());
  EXPECT_EQ(store_->describe(), "sqlite:" + db_);
  const CohortCounts c = store_->counts();
  EXPECT_EQ(c.patients + c.images + c.dexa + c.matched + c.labels, 0);
}

TEST_F(StoreTest, UsesWalJournal) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
}

TEST_F(StoreTest, PatientRoundTripAndFillOnlyEmptyFields) {
  store_->upsert_patient({"P1", "F", std::nullopt, ""});
  store_->upsert_patient({"P1", "M", Date{1950, 2, 3}, "Asian"});  // sex known: kept; others filled
  store_->upsert_patient({"P1", "", std::nullopt, ""});               // blanks never erase
  auto ps = store_->patients();
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].patient_id, "P1");
  EXPECT_EQ(ps[0].sex, "F");
  ASSERT_TRUE(ps[0].birth_date);
  EXPECT_EQ(*ps[0].birth_date, (Date{1950, 2, 3}));
  EXPECT_EQ(ps[0].ethnicity, "Asian");
  EXPECT_THROW(store_->upsert_patient({"", "F", std::nullopt, ""}), OsteoError);
}

TEST_F(StoreTest, ImageRoundTripKeepsMetaCovariatesAndRoi) {
  ImageRecord img = make_image("/data/a.dcm", "aaa");
  img.covariates = {{"age", 67}, {"smoker", true}, {"site", "knee"}};
  img.roi = std::array<int, 4>{1, 2, 30, 40};
  EXPECT_EQ(store_->upsert_image(img), UpsertOutcome::kInserted);
  EXPECT_GT(img.id, 0);

  auto back = store_->image_by_path("/data/a.dcm");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, img.id);
  EXPECT_EQ(back->meta.sha256, "aaa");
  EXPECT_EQ(back->meta.rows, 64);
  EXPECT_EQ(back->meta.patient_id, "P1");
  EXPECT_EQ(back->meta.laterality, Side::kLeft);
  ASSERT_TRUE(back->meta.study_date);
  EXPECT_EQ(*back->meta.study_date, (Date{2021, 3, 4}));
  EXPECT_EQ(back->meta.spacing_source, SpacingSource::kImagerPixelSpacing);
  EXPECT_EQ(back->source, "dicom");
  EXPECT_EQ(back->covariates, img.covariates);
  ASSERT_TRUE(back->roi);
  EXPECT_EQ(*back->roi, (std::array<int, 4>{1, 2, 30, 40}));

  auto by_id = store_->image_by_id(img.id);
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->meta.path, "/data/a.dcm");
  EXPECT_FALSE(store_->image_by_id(img.id + 100));
  EXPECT_FALSE(store_->image_by_path("/nope"));
  // The image's patient exists even though only the image was stored (foreign key kept).
  EXPECT_EQ(store_->patients().size(), 1u);
}

TEST_F(StoreTest, UpsertImageOutcomesAndChangedFileDropsMatchAndLabel) {
  ImageRecord img = make_image("/data/a.dcm", "sha-1");
  ASSERT_EQ(store_->upsert_image(img), UpsertOutcome::kInserted);
  ImageRecord same = make_image("/data/a.dcm", "sha-1");
  EXPECT_EQ(store_->upsert_image(same), UpsertOutcome::kUnchanged);
  EXPECT_EQ(same.id, img.id);

  DexaRecord d = make_dexa("P1", {2021, 3, 1}, DexaSite::kFemoralNeck, Side::kLeft, -2.7);
  ASSERT_TRUE(store_->insert_dexa(d));
  store_->replace_matches({{img.id, d.id, 3, true, "matched"}},
                          {{img.id, -2.7, WhoCategory::kOsteoporosis, "femoral_neck", "dexa", d.id}});
  ASSERT_EQ(store_->matches().size(), 1u);
  ASSERT_EQ(store_->labels().size(), 1u);

  ImageRecord changed = make_image("/data/a.dcm", "sha-2");
  EXPECT_EQ(store_->upsert_image(changed), UpsertOutcome::kUpdated);
  EXPECT_EQ(changed.id, img.id);
  EXPECT_EQ(store_->image_by_id(img.id)->meta.sha256, "sha-2");
  EXPECT_TRUE(store_->matches().empty());
  EXPECT_TRUE(store_->labels().empty());
  EXPECT_EQ(store_->images().size(), 1u);
}

TEST_F(StoreTest, DexaRoundTripAndDuplicateKey) {
  DexaRecord a = make_dexa("P1", {2020, 1, 2}, DexaSite::kTotalHip, Side::kRight, -1.5);
  ASSERT_TRUE(store_->insert_dexa(a));
  EXPECT_GT(a.id, 0);
  DexaRecord dup = make_dexa("P1", {2020, 1, 2}, DexaSite::kTotalHip, Side::kRight, -3.0);
  EXPECT_FALSE(store_->insert_dexa(dup));
  DexaRecord other_side = make_dexa("P1", {2020, 1, 2}, DexaSite::kTotalHip, Side::kLeft, -1.0);
  EXPECT_TRUE(store_->insert_dexa(other_side));

  auto all = store_->dexa();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, a.id);
  EXPECT_EQ(all[0].patient_id, "P1");
  EXPECT_EQ(all[0].date, (Date{2020, 1, 2}));
  EXPECT_EQ(all[0].site, DexaSite::kTotalHip);
  EXPECT_EQ(all[0].side, Side::kRight);
  EXPECT_DOUBLE_EQ(*all[0].t_score, -1.5);
  EXPECT_DOUBLE_EQ(*all[0].bmd_g_cm2, 0.8);
  EXPECT_FALSE(all[0].z_score);
  EXPECT_EQ(all[0].manufacturer, "Hologic");
  EXPECT_EQ(all[0].source, "dexa.csv:2");
}

TEST_F(StoreTest, MatchesAndLabelsReplaceKeepsManifestLabels) {
  ImageRecord a = make_image("/a.dcm", "1");
  ImageRecord b = make_image("/b.png", "2");
  b.source = "manifest";
  store_->upsert_image(a);
  store_->upsert_image(b);
  store_->upsert_label({b.id, -1.8, WhoCategory::kOsteopenia, "manifest", "manifest", std::nullopt});
  DexaRecord d = make_dexa("P1", {2021, 3, 1}, DexaSite::kFemoralNeck, Side::kLeft, -0.5);
  store_->insert_dexa(d);

  store_->replace_matches({{a.id, d.id, 3, true, "matched"}}, {{a.id, -0.5, WhoCategory::kNormal, "femoral_neck", "dexa", d.id}});
  store_->replace_matches({{a.id, std::nullopt, std::nullopt, false, "no_dexa"}}, {});
  auto ms = store_->matches();
  ASSERT_EQ(ms.size(), 1u);
  EXPECT_FALSE(ms[0].dexa_id);
  EXPECT_FALSE(ms[0].days_apart);
  EXPECT_EQ(ms[0].reason, "no_dexa");
  auto ls = store_->labels();
  ASSERT_EQ(ls.size(), 1u);  // the DEXA label went, the manifest one stayed
  EXPECT_EQ(ls[0].image_id, b.id);
  EXPECT_EQ(ls[0].category, WhoCategory::kOsteopenia);
  EXPECT_EQ(ls[0].source, "manifest");
  EXPECT_EQ(store_->counts().matched, 0);

  store_->replace_matches({{a.id, d.id, 3, true, "matched"}}, {{a.id, -0.5, WhoCategory::kNormal, "femoral_neck", "dexa", d.id}});
  const auto c = store_->counts();
  EXPECT_EQ(c.matched, 1);
  EXPECT_EQ(c.labels, 2);
  EXPECT_EQ(c.images, 2);
  EXPECT_EQ(c.dexa, 1);
  EXPECT_EQ(c.patients, 1);
}

TEST_F(StoreTest, SplitsRoundTripAndOnePatientCannotBeInTwoSplits) {
  store_->upsert_patient({"P1", "F", std::nullopt, ""});
  store_->upsert_patient({"P2", "M", std::nullopt, ""});
  ImageRecord a = make_image("/a.dcm", "1");
  store_->upsert_image(a);
  store_->replace_split("temporal", {{"P1", "train"}, {"P2", "test"}}, {{a.id, "outside window"}});
  auto as = store_->split_assignments("temporal");
  ASSERT_EQ(as.size(), 2u);
  EXPECT_EQ(as[0].patient_id, "P1");
  EXPECT_EQ(as[0].split, "train");
  EXPECT_EQ(as[1].split, "test");
  auto ex = store_->split_exclusions("temporal");
  ASSERT_EQ(ex.size(), 1u);
  EXPECT_EQ(ex[0].reason, "outside window");

  // The primary key refuses a second split for P1, and the scheme is left as it was.
  EXPECT_THROW(store_->replace_split("temporal", {{"P1", "train"}, {"P1", "val"}}, {}), OsteoError);
  EXPECT_EQ(store_->split_assignments("temporal").size(), 2u);

  store_->replace_split("stratified", {{"P1", "val"}}, {});
  EXPECT_EQ(store_->split_schemes(), (std::vector<std::string>{"stratified", "temporal"}));
  EXPECT_THROW(store_->replace_split("x", {{"P1", "holdout"}}, {}), OsteoError);  // only train/val/test
}

TEST_F(StoreTest, TransactionRollbackLeavesNothing) {
  try {
    store_->transaction([&] {
      store_->upsert_patient({"P9", "F", std::nullopt, ""});
      for (int i = 0; i < 10; ++i) {
        ImageRecord img = make_image("/img" + std::to_string(i), "s", "P9");
        store_->upsert_image(img);
      }
      throw OsteoError(ErrorCode::kCsvMissingColumn, "mid-import failure");
    });
    FAIL() << "the exception must propagate";
  } catch (const OsteoError& e) {
    EXPECT_EQ(e.error().code, ErrorCode::kCsvMissingColumn);
  }
  const auto c = store_->counts();
  EXPECT_EQ(c.images, 0);
  EXPECT_EQ(c.patients, 0);
  // The store is usable afterwards.
  ImageRecord img = make_image("/after", "s");
  EXPECT_EQ(store_->upsert_image(img), UpsertOutcome::kInserted);
}

TEST_F(StoreTest, NestedTransactionInnerFailureRollsBackOnlyInner) {
  store_->transaction([&] {
    store_->upsert_patient({"OUTER", "", std::nullopt, ""});
    EXPECT_THROW(store_->transaction([&] {
      store_->upsert_patient({"INNER", "", std::nullopt, ""});
      throw std::runtime_error("inner");
    }),
                 std::runtime_error);
  });
  auto ps = store_->patients();
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].patient_id, "OUTER");
}

TEST_F(StoreTest, ReopeningKeepsDataAndSchema) {
  ImageRecord img = make_image("/keep.dcm", "k");
  store_->upsert_image(img);
  store_.reset();
  auto again = open_or_die(db_);
  EXPECT_EQ(again->schema_version(), cohort_schema_version());
  EXPECT_EQ(again->images().size(), 1u);
  ImageRecord same = make_image("/keep.dcm", "k");
  EXPECT_EQ(again->upsert_image(same), UpsertOutcome::kUnchanged);
}

TEST_F(StoreTest, SchemaFromANewerVersionIsRefused) {
  store_.reset();
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &raw), SQLITE_OK);
  const std::string sql = "PRAGMA user_version = " + std::to_string(cohort_schema_version() + 1);
  ASSERT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  auto reopened = open_store(db_);
  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, ErrorCode::kStoreSchemaTooNew);
  EXPECT_NE(reopened.error().message.find(db_), std::string::npos);
}

TEST(StoreOpen, MissingFolderAndPostgresAreTypedErrors) {
  auto r = open_store("/nonexistent/osteo/dir/cohort.db");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kStoreError);
  auto pg = open_store("postgresql://localhost/x");
  ASSERT_FALSE(pg);
  EXPECT_EQ(pg.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(StoreTest, ConcurrentReaderSeesCommittedStateWhileWriterWrites) {
  std::atomic<bool> writing{true};
  std::atomic<int> reads{0};
  std::atomic<bool> reader_failed{false};
  std::thread reader([&] {
    auto mine = open_or_die(db_);  // one store object per thread
    std::int64_t last = 0;
    while (writing.load()) {
      try {
        const auto n = mine->counts().images;
        // Batches of 50 commit atomically: a reader never sees half a batch, nor a decrease.
        if (n % 50 != 0 || n < last) reader_failed = true;
        last = n;
        ++reads;
      } catch (const std::exception&) {
        reader_failed = true;
      }
    }
  });
  for (int batch = 0; batch < 20; ++batch) {
    store_->transaction([&] {
      for (int i = 0; i < 50; ++i) {
        ImageRecord img = make_image("/c/" + std::to_string(batch) + "_" + std::to_string(i), "s");
        store_->upsert_image(img);
      }
    });
  }
  writing = false;
  reader.join();
  EXPECT_FALSE(reader_failed);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(store_->counts().images, 1000);
}

TEST_F(StoreTest, WriterWaitsForAnotherWriterWithinBusyTimeout) {
  // A raw connection holds the write lock; the store waits (busy timeout) instead of failing.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto other = open_or_die(db_);
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr);
  });
  // Within the busy timeout the lock is released: the write succeeds.
  EXPECT_NO_THROW(other->upsert_patient({"W", "", std::nullopt, ""}));
  release.join();
  sqlite3_close(raw);
}

TEST(SqliteErrors, BusyAndLockedMapToStoreBusyOthersToStoreError) {
  const std::pair<int, ErrorCode> cases[] = {
      {SQLITE_BUSY, ErrorCode::kStoreBusy},          {SQLITE_LOCKED, ErrorCode::kStoreBusy},
      {SQLITE_BUSY_SNAPSHOT, ErrorCode::kStoreBusy}, {SQLITE_CORRUPT, ErrorCode::kStoreError},
      {SQLITE_CONSTRAINT, ErrorCode::kStoreError},
  };
  for (const auto& [rc, code] : cases) {
    try {
      sqlite::throw_sqlite(nullptr, rc, "ctx");
    } catch (const OsteoError& e) {
      EXPECT_EQ(e.error().code, code) << rc;
      EXPECT_NE(e.error().message.find("ctx"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace osteo
