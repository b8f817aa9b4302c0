#pragma once
/// @file
/// The cohort store interface. SQLite (one WAL file) is the default; a PostgreSQL store can be
/// added behind the same interface for multi-node use without touching callers.
///
/// Errors: every method throws OsteoError (kStoreError, kStoreBusy, ...) on database failure;
/// a store failure is exceptional, and throwing lets transaction() roll back cleanly.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "osteo/cohort/records.h"
#include "osteo/core/error.h"

namespace osteo {

enum class UpsertOutcome { kInserted, kUpdated, kUnchanged };

class CohortStore {
 public:
  virtual ~CohortStore() = default;

  /// Runs `fn` in one transaction: commits if it returns, rolls back and rethrows if it throws.
  /// Every import goes through here, so a failed import leaves the store as it was.
  virtual void transaction(const std::function<void()>& fn) = 0;
  /// Schema version after migrations.
  virtual int schema_version() = 0;
  /// A human-readable location ("sqlite:/path/to/osteoscreen.db").
  virtual std::string describe() const = 0;

  // --- patients
  /// Inserts, or fills in fields that are empty in the stored row (never blanks a known field).
  virtual void upsert_patient(const PatientRecord& patient) = 0;
  virtual std::vector<PatientRecord> patients() = 0;

  // --- images
  /// Keyed by meta.path. Same path and sha256: kUnchanged. Same path, new sha256 (the file
  /// changed): kUpdated, and the image's match and label are dropped. Sets image.id.
  virtual UpsertOutcome upsert_image(ImageRecord& image) = 0;
  virtual std::optional<ImageRecord> image_by_path(const std::string& path) = 0;
  virtual std::optional<ImageRecord> image_by_id(std::int64_t id) = 0;
  virtual std::vector<ImageRecord> images() = 0;

  // --- DEXA
  /// Inserts a measurement. Returns false (and inserts nothing) when a measurement with the
  /// same patient, date, site and side is already stored: a duplicate row. Sets dexa.id.
  virtual bool insert_dexa(DexaRecord& dexa) = 0;
  virtual std::vector<DexaRecord> dexa() = 0;

  // --- matches and labels
  /// Replaces all matches and all DEXA-derived labels (manifest labels are kept).
  virtual void replace_matches(const std::vector<MatchRecord>& matches,
                               const std::vector<LabelRecord>& dexa_labels) = 0;
  virtual std::vector<MatchRecord> matches() = 0;
  /// Inserts or replaces the label of one image (used by manifest ingest).
  virtual void upsert_label(const LabelRecord& label) = 0;
  virtual std::vector<LabelRecord> labels() = 0;

  // --- splits
  /// Replaces the scheme's assignments and exclusions.
  virtual void replace_split(const std::string& scheme, const std::vector<SplitAssignment>& assignments,
                             const std::vector<SplitExclusion>& exclusions) = 0;
  virtual std::vector<SplitAssignment> split_assignments(const std::string& scheme) = 0;
  virtual std::vector<SplitExclusion> split_exclusions(const std::string& scheme) = 0;
  virtual std::vector<std::string> split_schemes() = 0;

  // --- screenings (the service's results)
  /// Inserts a complete screening in one statement. Returns false, writing nothing, when a
  /// screening with the same id exists (the same request seen before).
  virtual bool insert_screening(const ScreeningRecord& screening) = 0;
  /// The screening, with its PNGs when `with_images`; nullopt when unknown.
  virtual std::optional<ScreeningRecord> screening(const std::string& id, bool with_images) = 0;
  /// Newest first; at most `limit` rows after skipping `offset`.
  virtual std::vector<ScreeningSummary> screenings(int limit, int offset) = 0;

  virtual CohortCounts counts() = 0;
};

/// Opens (creating and migrating as needed) the store at `location`: a file path or
/// "sqlite:PATH" for SQLite. "postgresql://..." is reserved and answers kInvalidArgument until
/// the PostgreSQL store lands.
Result<std::unique_ptr<CohortStore>> open_store(const std::string& location);

/// The default location: $OSTEOSCREEN_DB if set, else "./osteoscreen.db".
std::string default_store_location();

}  // namespace osteo
