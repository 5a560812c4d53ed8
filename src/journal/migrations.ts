/**
 * The schema, as an ordered list of migrations: index i takes `PRAGMA user_version` from i to i+1.
 * Never edit a shipped entry; append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: runs, their events, and the per-site lock.
  `
  CREATE TABLE runs (
    id         TEXT PRIMARY KEY,
    site       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('failover', 'drill')),
    runbook    TEXT NOT NULL,
    site_file  TEXT NOT NULL,
    options    TEXT NOT NULL DEFAULT '{}',
    status     TEXT NOT NULL CHECK (status IN ('active', 'done', 'failed', 'stopped', 'aborted')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX runs_site ON runs (site, created_at);

  CREATE TABLE events (
    run_id  TEXT NOT NULL REFERENCES runs (id),
    seq     INTEGER NOT NULL,
    type    TEXT NOT NULL,
    at      INTEGER NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
  ) WITHOUT ROWID;

  CREATE TABLE locks (
    site        TEXT PRIMARY KEY,
    run_id      TEXT NOT NULL REFERENCES runs (id),
    kind        TEXT NOT NULL,
    pid         INTEGER NOT NULL,
    hostname    TEXT NOT NULL,
    acquired_at INTEGER NOT NULL
  );
  `,
  // 2: inventory captures. A capture is immutable: the JSON body is the record, the per-VM rows
  // exist for queries (find a VM by name or uuid across history).
  `
  CREATE TABLE captures (
    id             TEXT PRIMARY KEY,
    site           TEXT NOT NULL,
    taken_at       TEXT NOT NULL,
    drbook_version TEXT NOT NULL,
    findings       INTEGER NOT NULL,
    body           TEXT NOT NULL
  );
  CREATE INDEX captures_site ON captures (site, taken_at);

  CREATE TABLE capture_vms (
    capture_id    TEXT NOT NULL REFERENCES captures (id),
    ord           INTEGER NOT NULL,
    name          TEXT NOT NULL,
    vmid          TEXT NOT NULL,
    host          TEXT NOT NULL,
    vmx_path      TEXT NOT NULL,
    uuid_bios     TEXT NOT NULL,
    power         TEXT NOT NULL,
    volume        TEXT,
    job           TEXT,
    carried_from  TEXT,
    PRIMARY KEY (capture_id, ord)
  ) WITHOUT ROWID;
  CREATE INDEX capture_vms_name ON capture_vms (name);
  CREATE INDEX capture_vms_uuid ON capture_vms (uuid_bios);

  CREATE TRIGGER captures_immutable_update BEFORE UPDATE ON captures
    BEGIN SELECT RAISE(ABORT, 'captures are immutable'); END;
  CREATE TRIGGER captures_immutable_delete BEFORE DELETE ON captures
    BEGIN SELECT RAISE(ABORT, 'captures are immutable'); END;
  CREATE TRIGGER capture_vms_immutable_update BEFORE UPDATE ON capture_vms
    BEGIN SELECT RAISE(ABORT, 'captures are immutable'); END;
  CREATE TRIGGER capture_vms_immutable_delete BEFORE DELETE ON capture_vms
    BEGIN SELECT RAISE(ABORT, 'captures are immutable'); END;
  `,
  // 3: each captured VM's vCenter folder and resource pool (inventory paths), for queries; the
  // full placement (datacenter, cluster, port groups) is in the capture's body.
  `
  ALTER TABLE capture_vms ADD COLUMN folder TEXT;
  ALTER TABLE capture_vms ADD COLUMN resource_pool TEXT;
  `,
  // 4: a run refused before it acted (preflight, lock, a failed-over site) is `refused`, not
  // `aborted`: it is listed as such and never resumed. SQLite cannot alter a CHECK: the table is
  // rebuilt (migrate() turns foreign keys off around it and checks them before the commit). The
  // aborted runs without an event were such refusals.
  `
  CREATE TABLE runs_new (
    id         TEXT PRIMARY KEY,
    site       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('failover', 'drill')),
    runbook    TEXT NOT NULL,
    site_file  TEXT NOT NULL,
    options    TEXT NOT NULL DEFAULT '{}',
    status     TEXT NOT NULL CHECK (status IN ('active', 'done', 'failed', 'stopped', 'aborted', 'refused')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  INSERT INTO runs_new SELECT id, site, kind, runbook, site_file, options, status, created_at, updated_at FROM runs;
  DROP TABLE runs;
  ALTER TABLE runs_new RENAME TO runs;
  CREATE INDEX runs_site ON runs (site, created_at);
  UPDATE runs SET status = 'refused' WHERE status = 'aborted' AND NOT EXISTS (SELECT 1 FROM events WHERE events.run_id = runs.id);
  `,
  // 5: the way back: reprotect and failback runs. SQLite cannot change a CHECK in place: the runs
  // table is copied into one with the new CHECK (SQLite's documented way; migrate() turns foreign
  // keys off around it and checks them before the commit).
  `
  CREATE TABLE runs_v5 (
    id         TEXT PRIMARY KEY,
    site       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('failover', 'drill', 'reprotect', 'failback')),
    runbook    TEXT NOT NULL,
    site_file  TEXT NOT NULL,
    options    TEXT NOT NULL DEFAULT '{}',
    status     TEXT NOT NULL CHECK (status IN ('active', 'done', 'failed', 'stopped', 'aborted', 'refused')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  INSERT INTO runs_v5 (id, site, kind, runbook, site_file, options, status, created_at, updated_at)
    SELECT id, site, kind, runbook, site_file, options, status, created_at, updated_at FROM runs;
  DROP TABLE runs;
  ALTER TABLE runs_v5 RENAME TO runs;
  CREATE INDEX runs_site ON runs (site, created_at);
  `,
];
