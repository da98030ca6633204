#include "store/internal/schema.h"

#include <algorithm>
#include <array>
#include <vector>

#include "core/sha256.h"
#include "dictionary/default_dictionary.h"
#include "store/internal/sqlite_handle.h"

namespace opendtm::store::internal {
namespace {

// The columns of `submissions` that are not indicator values.
constexpr std::array<std::string_view, 17> kSubmissionColumns = {
    "id", "batch_id", "operation_id", "round", "assessment_type", "site_id", "source_row",
    "submission_uuid", "submission_time", "enumerator", "device", "state", "replaced_by_batch",
    "state_before_replace", "verbatim_offset", "verbatim_length", "submission_key"};

constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE operations (
  id       INTEGER PRIMARY KEY,
  name     TEXT NOT NULL,
  country  TEXT NOT NULL,
  region   TEXT NOT NULL DEFAULT '',
  UNIQUE (name, country)
);

CREATE TABLE admin_areas (
  pcode         TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  level         INTEGER NOT NULL,
  parent_pcode  TEXT NOT NULL DEFAULT '',
  country       TEXT NOT NULL,
  valid_from    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX admin_areas_by_country ON admin_areas (country, level, pcode);

CREATE TABLE rounds (
  operation_id  INTEGER NOT NULL REFERENCES operations (id),
  number        INTEGER NOT NULL,
  date_from     TEXT NOT NULL DEFAULT '',
  date_to       TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL CHECK (status IN ('open', 'closed', 'locked')),
  PRIMARY KEY (operation_id, number)
);

CREATE TABLE sites (
  operation_id  INTEGER NOT NULL REFERENCES operations (id),
  site_id       TEXT NOT NULL,
  name          TEXT NOT NULL DEFAULT '',
  adm1_pcode    TEXT NOT NULL DEFAULT '',
  adm2_pcode    TEXT NOT NULL DEFAULT '',
  adm3_pcode    TEXT NOT NULL DEFAULT '',
  latitude      REAL,
  longitude     REAL,
  site_type     TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL CHECK (status IN ('open', 'closed', 'merged')),
  merged_into   TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (operation_id, site_id)
);

-- The verbatim copies of source files (pii cells blank), one row per distinct
-- content; sha256 is NULL while an ingest is still writing its chunks.
CREATE TABLE source_files (
  id          INTEGER PRIMARY KEY,
  sha256      TEXT UNIQUE,
  size        INTEGER NOT NULL DEFAULT 0,
  chunk_size  INTEGER NOT NULL
);
CREATE TABLE source_chunks (
  source_file_id  INTEGER NOT NULL REFERENCES source_files (id) ON DELETE CASCADE,
  chunk           INTEGER NOT NULL,
  raw_size        INTEGER NOT NULL,
  data            BLOB NOT NULL,
  PRIMARY KEY (source_file_id, chunk)
) WITHOUT ROWID;

CREATE TABLE batches (
  id               INTEGER PRIMARY KEY,
  operation_id     INTEGER REFERENCES operations (id),
  round            INTEGER,
  assessment_type  TEXT NOT NULL CHECK (assessment_type IN ('SA', 'BA', 'ETT')),
  source_name      TEXT NOT NULL DEFAULT '',
  source_sha256    TEXT NOT NULL DEFAULT '',
  source_file_id   INTEGER REFERENCES source_files (id),
  header_length    INTEGER NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL DEFAULT '',
  who              TEXT NOT NULL DEFAULT '',
  state            TEXT NOT NULL CHECK (state IN ('active', 'undone')),
  rows_read        INTEGER NOT NULL DEFAULT 0,
  accepted         INTEGER NOT NULL DEFAULT 0,
  quarantined      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX batches_by_operation ON batches (operation_id);
CREATE INDEX batches_by_source ON batches (source_sha256);

CREATE TABLE site_status_changes (
  id            INTEGER PRIMARY KEY,
  operation_id  INTEGER NOT NULL,
  site_id       TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('open', 'closed', 'merged')),
  merged_into   TEXT NOT NULL DEFAULT '',
  from_round    INTEGER,
  date          TEXT NOT NULL DEFAULT '',
  batch_id      INTEGER REFERENCES batches (id),
  note          TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (operation_id, site_id) REFERENCES sites (operation_id, site_id)
);
CREATE INDEX site_status_changes_by_site ON site_status_changes (operation_id, site_id);

CREATE TABLE submissions (
  id                   INTEGER PRIMARY KEY,
  batch_id             INTEGER NOT NULL REFERENCES batches (id),
  operation_id         INTEGER NOT NULL REFERENCES operations (id),
  round                INTEGER NOT NULL,
  assessment_type      TEXT NOT NULL CHECK (assessment_type IN ('SA', 'BA', 'ETT')),
  site_id              TEXT NOT NULL,
  source_row           INTEGER NOT NULL,
  submission_uuid      TEXT NOT NULL DEFAULT '',
  submission_time      TEXT NOT NULL DEFAULT '',
  enumerator           TEXT NOT NULL DEFAULT '',
  device               TEXT NOT NULL DEFAULT '',
  state                TEXT NOT NULL
                       CHECK (state IN ('accepted', 'quarantined', 'replaced', 'undone')),
  replaced_by_batch    INTEGER REFERENCES batches (id),
  state_before_replace TEXT,
  verbatim_offset      INTEGER NOT NULL DEFAULT 0,
  verbatim_length      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX submissions_by_round_site
  ON submissions (operation_id, round, assessment_type, site_id);
CREATE INDEX submissions_by_batch ON submissions (batch_id);
CREATE INDEX submissions_by_replacing_batch
  ON submissions (replaced_by_batch) WHERE replaced_by_batch IS NOT NULL;
CREATE INDEX submissions_by_uuid
  ON submissions (operation_id, submission_uuid) WHERE submission_uuid <> '';

-- One row per submission; SqliteStore::Open adds one typed column per
-- non-pii dictionary indicator (see sqlite_store.h).
CREATE TABLE site_values (
  submission_id INTEGER PRIMARY KEY REFERENCES submissions (id)
);
-- Which indicator owns which column of site_values, with the type it was
-- created with: a column is never retyped or removed.
CREATE TABLE indicator_columns (
  name                TEXT PRIMARY KEY,
  value_type          TEXT NOT NULL,
  sql_type            TEXT NOT NULL,
  dictionary_version  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE cleaning_log (
  entry_id       INTEGER PRIMARY KEY,
  operation_id   INTEGER REFERENCES operations (id),
  round          INTEGER,
  batch_id       INTEGER REFERENCES batches (id),
  submission_id  INTEGER REFERENCES submissions (id),
  "row"          INTEGER NOT NULL DEFAULT 0,
  "column"       TEXT NOT NULL DEFAULT '',
  indicator      TEXT NOT NULL DEFAULT '',
  old_value      TEXT NOT NULL DEFAULT '',
  new_value      TEXT NOT NULL DEFAULT '',
  rule           TEXT NOT NULL DEFAULT '',
  action         TEXT NOT NULL DEFAULT '',
  who            TEXT NOT NULL DEFAULT '',
  "when"         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cleaning_log_by_round ON cleaning_log (operation_id, round);

CREATE TABLE quarantine (
  id               INTEGER PRIMARY KEY,
  batch_id         INTEGER NOT NULL REFERENCES batches (id),
  source_row       INTEGER NOT NULL,
  rule             TEXT NOT NULL,
  message          TEXT NOT NULL DEFAULT '',
  site_id          TEXT NOT NULL DEFAULT '',
  round            INTEGER,
  verbatim_offset  INTEGER NOT NULL DEFAULT 0,
  verbatim_length  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX quarantine_by_batch ON quarantine (batch_id);

CREATE TABLE alerts (
  id            INTEGER PRIMARY KEY,
  batch_id      INTEGER NOT NULL REFERENCES batches (id),
  operation_id  INTEGER NOT NULL REFERENCES operations (id),
  round         INTEGER NOT NULL,
  site_id       TEXT NOT NULL DEFAULT '',
  indicator     TEXT NOT NULL DEFAULT '',
  value         TEXT NOT NULL DEFAULT '',
  rule          TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alerts_by_operation ON alerts (operation_id);

-- DTM API / HDX admin-level figures, as they came (record_json verbatim).
CREATE TABLE admin_figures (
  id                   INTEGER PRIMARY KEY,
  batch_id             INTEGER NOT NULL REFERENCES batches (id),
  operation_id         INTEGER NOT NULL REFERENCES operations (id),
  admin_level          INTEGER NOT NULL,
  source_id            TEXT NOT NULL DEFAULT '',
  operation_name       TEXT NOT NULL DEFAULT '',
  country_name         TEXT NOT NULL DEFAULT '',
  country              TEXT NOT NULL DEFAULT '',
  round                INTEGER NOT NULL,
  reporting_date       TEXT NOT NULL DEFAULT '',
  assessment_type      TEXT NOT NULL DEFAULT '',
  admin1_pcode         TEXT NOT NULL DEFAULT '',
  admin1_name          TEXT NOT NULL DEFAULT '',
  admin2_pcode         TEXT NOT NULL DEFAULT '',
  admin2_name          TEXT NOT NULL DEFAULT '',
  displacement_reason  TEXT NOT NULL DEFAULT '',
  origin_admin1_pcode  TEXT NOT NULL DEFAULT '',
  origin_admin1_name   TEXT NOT NULL DEFAULT '',
  num_present_idp_ind  INTEGER NOT NULL,
  males                INTEGER,
  females              INTEGER,
  record_json          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX admin_figures_by_operation ON admin_figures (operation_id, round);
)sql";

// Quarantined rows know their operation (admin-figure batches span several)
// and the quarantined submission a corrected file may replace.
constexpr std::string_view kVersion2 = R"sql(
ALTER TABLE quarantine ADD COLUMN operation_id INTEGER REFERENCES operations (id);
ALTER TABLE quarantine ADD COLUMN submission_id INTEGER REFERENCES submissions (id);
UPDATE quarantine SET operation_id = (SELECT operation_id FROM batches
                                      WHERE batches.id = quarantine.batch_id);
CREATE INDEX quarantine_by_operation ON quarantine (operation_id);
)sql";

// Kobo edits: a submission keeps its identity across edits (meta/rootUuid or
// _id) while each version gets a new uuid.
constexpr std::string_view kVersion3 = R"sql(
ALTER TABLE submissions ADD COLUMN submission_key TEXT NOT NULL DEFAULT '';
CREATE INDEX submissions_by_key
  ON submissions (operation_id, submission_key) WHERE submission_key <> '';
)sql";

// The uuid and key indexes gain the round: Kobo uuids are random, so an index
// on (operation, uuid) took each new submission at a random place and an
// ingest dirtied nearly every page of an index that grows by a round each
// time; under (operation, round, uuid) a new round fills its own pages. A
// submission's edits stay in its round (the round is part of the data).
constexpr std::string_view kVersion4 = R"sql(
DROP INDEX submissions_by_uuid;
DROP INDEX submissions_by_key;
CREATE INDEX submissions_by_round_uuid
  ON submissions (operation_id, round, submission_uuid) WHERE submission_uuid <> '';
CREATE INDEX submissions_by_round_key
  ON submissions (operation_id, round, submission_key) WHERE submission_key <> '';
)sql";

// Submissions keep one index, by round and site. Each index cost every
// ingest a B-tree insert per row (the uuid one at a random place: together
// about 4 µs of the 13 µs SQLite spends storing a row, see bench/README.md)
// for lookups nothing needs: an ingest reads the round's identities whole,
// undo finds a batch's rows through the round (a batch has one operation and
// round), and a lookup by uuid alone is rare enough to scan.
constexpr std::string_view kVersion5 = R"sql(
DROP INDEX submissions_by_batch;
DROP INDEX submissions_by_round_uuid;
DROP INDEX submissions_by_round_key;
)sql";

// Migration 6: the indicator values move from site_values into submissions,
// one row per submission instead of two (an ingest's second insert per row
// cost it about as much SQLite time as the first). The value columns follow
// the dictionary, so this step reads them from indicator_columns: each is
// added to submissions (ValueColumnName), filled from site_values, and
// site_values goes (the view v_site_values is rebuilt by SqliteStore::Open).
constexpr std::string_view kVersion6 = R"sql(
DROP VIEW IF EXISTS v_site_values;
)sql";

Status MoveValuesIntoSubmissions(sqlite3* db) {
  std::vector<std::pair<std::string, std::string>> columns;  // name, sql type
  {
    StatementCache statements(db);  // finalizes the query when it goes
    ASSIGN_OR_RETURN(StatementUse use,
                     statements.Use("SELECT name, sql_type FROM indicator_columns ORDER BY rowid"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, use.Step());
      if (!row) break;
      columns.emplace_back(use.Text(0), use.Text(1));
    }
  }
  std::string targets;
  std::string sources;
  for (const auto& [name, sql_type] : columns) {
    const std::string column = QuoteIdentifier(ValueColumnName(name));
    RETURN_IF_ERROR(Execute(db, "ALTER TABLE submissions ADD COLUMN " + column + " " + sql_type));
    targets += (targets.empty() ? "" : ", ") + column;
    sources += (sources.empty() ? "" : ", ") + QuoteIdentifier(name);
  }
  if (!columns.empty()) {
    RETURN_IF_ERROR(Execute(db, "UPDATE submissions SET (" + targets + ") = (SELECT " + sources +
                                    " FROM site_values v WHERE v.submission_id = submissions.id) "
                                    "WHERE id IN (SELECT submission_id FROM site_values)"));
  }
  return Execute(db, "DROP TABLE site_values");
}

// Migration 7: alerts get a status (new, acknowledged, closed) with who
// changed it last, when and why, and the fields of risk alerts (the band a
// site left, in which round, its score) beside those of urgent values. Every
// status change is appended to alert_events, which triggers keep append-only
// so that who acknowledged or closed an alert, and when, is never lost.
// Alerts are looked up by (operation, round, site) to avoid raising one twice;
// that index also serves listing by operation.
constexpr std::string_view kVersion7 = R"sql(
ALTER TABLE alerts ADD COLUMN message TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN previous_round INTEGER;
ALTER TABLE alerts ADD COLUMN previous_value TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN score REAL;
ALTER TABLE alerts ADD COLUMN status TEXT NOT NULL DEFAULT 'new'
  CHECK (status IN ('new', 'acknowledged', 'closed'));
ALTER TABLE alerts ADD COLUMN status_by TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN status_at TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN status_note TEXT NOT NULL DEFAULT '';
DROP INDEX alerts_by_operation;
CREATE INDEX alerts_by_site ON alerts (operation_id, round, site_id);

CREATE TABLE alert_events (
  id           INTEGER PRIMARY KEY,
  alert_id     INTEGER NOT NULL REFERENCES alerts (id),
  from_status  TEXT NOT NULL CHECK (from_status IN ('new', 'acknowledged', 'closed')),
  to_status    TEXT NOT NULL CHECK (to_status IN ('new', 'acknowledged', 'closed')),
  who          TEXT NOT NULL DEFAULT '',
  "when"       TEXT NOT NULL DEFAULT '',
  note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alert_events_by_alert ON alert_events (alert_id);
CREATE TRIGGER alert_events_no_update BEFORE UPDATE ON alert_events
BEGIN
  SELECT RAISE(ABORT, 'alert_events is append-only');
END;
CREATE TRIGGER alert_events_no_delete BEFORE DELETE ON alert_events
BEGIN
  SELECT RAISE(ABORT, 'alert_events is append-only');
END;
)sql";

// Migration 8: who reads data and under which rules (spec/disclosure.md).
// Organisations (with their clusters, comma-separated and lower case) and
// users (with a tier per operation) are the principals; data sharing
// agreements name an organisation, a tier, operations and valid dates. Every
// version of an operation's disclosure policy is kept (versions are never
// changed: triggers refuse UPDATE and DELETE), as every export records which
// one produced it. The audit log records every read of data, numbered by seq
// and hash-chained (prev_hash, hash); triggers keep it append-only, and
// audit/audit_log.h verifies the chain should someone drop them. Tiers are
// stored as their names (TierName). Principals are revoked, never deleted:
// the audit log names them.
constexpr std::string_view kVersion8 = R"sql(
CREATE TABLE organisations (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  clusters    TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL DEFAULT '',
  revoked_at  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE users (
  id               INTEGER PRIMARY KEY,
  name             TEXT NOT NULL UNIQUE,
  organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
  created_at       TEXT NOT NULL DEFAULT '',
  revoked_at       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX users_by_organisation ON users (organisation_id);

CREATE TABLE user_tiers (
  user_id       INTEGER NOT NULL REFERENCES users (id),
  operation_id  INTEGER NOT NULL REFERENCES operations (id),
  tier          TEXT NOT NULL
                CHECK (tier IN ('public', 'partner', 'protection', 'operation_admin')),
  PRIMARY KEY (user_id, operation_id)
) WITHOUT ROWID;

CREATE TABLE dsas (
  id               INTEGER PRIMARY KEY,
  reference        TEXT NOT NULL UNIQUE,
  organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
  tier             TEXT NOT NULL
                   CHECK (tier IN ('public', 'partner', 'protection', 'operation_admin')),
  valid_from       TEXT NOT NULL,
  valid_to         TEXT NOT NULL,
  purpose          TEXT NOT NULL DEFAULT '',
  created_at       TEXT NOT NULL DEFAULT '',
  revoked_at       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dsas_by_organisation ON dsas (organisation_id);
CREATE TABLE dsa_operations (
  dsa_id        INTEGER NOT NULL REFERENCES dsas (id),
  operation_id  INTEGER NOT NULL REFERENCES operations (id),
  PRIMARY KEY (dsa_id, operation_id)
) WITHOUT ROWID;

CREATE TABLE policies (
  operation_id  INTEGER NOT NULL REFERENCES operations (id),
  version       INTEGER NOT NULL CHECK (version >= 1),
  rules         TEXT NOT NULL,
  created_at    TEXT NOT NULL DEFAULT '',
  created_by    TEXT NOT NULL DEFAULT '',
  note          TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (operation_id, version)
) WITHOUT ROWID;
CREATE TRIGGER policies_no_update BEFORE UPDATE ON policies
BEGIN
  SELECT RAISE(ABORT, 'policies are never changed: add a version');
END;
CREATE TRIGGER policies_no_delete BEFORE DELETE ON policies
BEGIN
  SELECT RAISE(ABORT, 'policies are never changed: add a version');
END;

-- operation_id 0: no single operation. Not a foreign key: the log keeps the
-- operation's name beside it, and must accept every read it is given. The
-- one index serves listing an operation's reads; a period is read by seq
-- (each index is a B-tree insert on every read of data).
CREATE TABLE audit_log (
  seq             INTEGER PRIMARY KEY,
  time            TEXT NOT NULL DEFAULT '',
  user            TEXT NOT NULL DEFAULT '',
  organisation    TEXT NOT NULL DEFAULT '',
  clusters        TEXT NOT NULL DEFAULT '',
  tier            TEXT NOT NULL DEFAULT '',
  operation_id    INTEGER NOT NULL DEFAULT 0,
  operation       TEXT NOT NULL DEFAULT '',
  dataset         TEXT NOT NULL DEFAULT '',
  filters         TEXT NOT NULL DEFAULT '',
  "rows"          INTEGER NOT NULL DEFAULT 0,
  columns         INTEGER NOT NULL DEFAULT 0,
  format          TEXT NOT NULL DEFAULT '',
  content_hash    TEXT NOT NULL DEFAULT '',
  dsa             TEXT NOT NULL DEFAULT '',
  purpose         TEXT NOT NULL DEFAULT '',
  outcome         TEXT NOT NULL DEFAULT '',
  reason          TEXT NOT NULL DEFAULT '',
  policy_version  INTEGER NOT NULL DEFAULT 0,
  prev_hash       TEXT NOT NULL DEFAULT '',
  hash            TEXT NOT NULL
);
CREATE INDEX audit_log_by_operation ON audit_log (operation_id, seq);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
)sql";

// Migration 9: the dictionary each operation's data is read under
// (spec/disclosure.md: classes come from the operation). Versions are
// numbered per operation and never changed or removed (triggers refuse it);
// content is the resolved YAML, content_hash its hex SHA-256. Operations that
// exist when the migration runs get the default dictionary built into the
// binary as version 1 (GiveOperationsTheDefaultDictionary).
constexpr std::string_view kVersion9 = R"sql(
CREATE TABLE operation_dictionaries (
  operation_id        INTEGER NOT NULL REFERENCES operations (id),
  version             INTEGER NOT NULL CHECK (version >= 1),
  dictionary_version  TEXT NOT NULL,
  content             TEXT NOT NULL,
  content_hash        TEXT NOT NULL,
  registered_at       TEXT NOT NULL DEFAULT '',
  registered_by       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (operation_id, version)
) WITHOUT ROWID;
CREATE TRIGGER operation_dictionaries_no_update BEFORE UPDATE ON operation_dictionaries
BEGIN
  SELECT RAISE(ABORT, 'operation dictionaries are never changed: register a version');
END;
CREATE TRIGGER operation_dictionaries_no_delete BEFORE DELETE ON operation_dictionaries
BEGIN
  SELECT RAISE(ABORT, 'operation dictionaries are never changed: register a version');
END;
)sql";

Status GiveOperationsTheDefaultDictionary(sqlite3* db) {
  const std::string_view content = dictionary::DefaultDictionaryYaml();
  StatementCache statements(db);  // finalizes the statement when it goes
  ASSIGN_OR_RETURN(
      StatementUse insert,
      statements.Use("INSERT INTO operation_dictionaries (operation_id, version, "
                     "dictionary_version, content, content_hash, registered_at, registered_by) "
                     "SELECT id, 1, ?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), "
                     "'migration 9' FROM operations"));
  insert.Bind(1, dictionary::DefaultDictionaryVersion())
      .Bind(2, content)
      .Bind(3, core::Sha256::HexOf(content));
  return insert.Run();
}

// Migration 10: the audit chain is keyed (audit/audit_log.h). Each record
// names the id of the key its link (hash) was computed with, an HMAC under a
// key kept outside the database; records written before keep key_id '' and
// their plain SHA-256 link. The triggers of migration 8 still refuse UPDATE
// and DELETE.
constexpr std::string_view kVersion10 = R"sql(
ALTER TABLE audit_log ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
)sql";

// Migration 12: the operating-system account that ran the command, on each
// audit record (issue 14: the instance admin is whoever holds the file).
constexpr std::string_view kVersion12 = R"sql(
ALTER TABLE audit_log ADD COLUMN os_user TEXT NOT NULL DEFAULT '';
)sql";

// Migration 11: every change of a listed site's fields (a master list
// import, a site registered again), with the old and new value, who, when and
// what changed it (SiteFieldChange). Append-only: triggers refuse UPDATE and
// DELETE.
constexpr std::string_view kVersion11 = R"sql(
CREATE TABLE site_field_changes (
  id            INTEGER PRIMARY KEY,
  operation_id  INTEGER NOT NULL REFERENCES operations (id),
  site_id       TEXT NOT NULL,
  field         TEXT NOT NULL,
  old_value     TEXT NOT NULL DEFAULT '',
  new_value     TEXT NOT NULL DEFAULT '',
  who           TEXT NOT NULL DEFAULT '',
  changed_at    TEXT NOT NULL DEFAULT '',
  batch_id      INTEGER REFERENCES batches (id),
  source        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX site_field_changes_by_site ON site_field_changes (operation_id, site_id, id);
CREATE TRIGGER site_field_changes_no_update BEFORE UPDATE ON site_field_changes
BEGIN
  SELECT RAISE(ABORT, 'site_field_changes is append-only');
END;
CREATE TRIGGER site_field_changes_no_delete BEFORE DELETE ON site_field_changes
BEGIN
  SELECT RAISE(ABORT, 'site_field_changes is append-only');
END;
)sql";

constexpr std::array<Migration, 12> kMigrations = {{
    {1,
     "operations, admin areas, rounds, sites, batches, submissions, site values, "
     "cleaning log, quarantine, alerts, admin figures",
     kVersion1},
    {2, "quarantine rows name their operation and submission", kVersion2},
    {3, "submissions keep their identity across edits", kVersion3},
    {4, "submission uuid and key indexes by round", kVersion4},
    {5, "submissions indexed by round and site only", kVersion5},
    {6, "indicator values in submissions, one row per submission", kVersion6,
     MoveValuesIntoSubmissions},
    {7, "alerts have a status and a history of its changes; risk alerts", kVersion7},
    {8,
     "organisations, users and their tiers, data sharing agreements, disclosure policy "
     "versions, the append-only audit log",
     kVersion8},
    {9, "the dictionary of each operation, versioned and append-only", kVersion9,
     GiveOperationsTheDefaultDictionary},
    {10, "audit records name the key that links them (keyed chain)", kVersion10},
    {11, "every change of a listed site's fields, with who, when and what changed it",
     kVersion11},
    {12, "audit records name the operating-system user who ran the command", kVersion12},
}};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

bool IsSubmissionColumn(std::string_view name) {
  return std::find(kSubmissionColumns.begin(), kSubmissionColumns.end(), name) !=
         kSubmissionColumns.end();
}

std::string ValueColumnName(std::string_view name) {
  return IsSubmissionColumn(name) ? std::string(name) + "_value" : std::string(name);
}

std::string QuoteIdentifier(std::string_view name) {
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

}  // namespace opendtm::store::internal
