-- Issue 16: a butler records a visit, call or opinion from the phone with an optional photo
-- reference (a file name or URL of the photo taken at the door), kept with the touchpoint like an
-- inspection's photos. The touchpoint stays append-only (0011's trigger refuses any UPDATE, this
-- column included); the server's INSERT grant is table-wide, so it covers the new column.
ALTER TABLE touchpoints ADD COLUMN photos text[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(photos) <= 20);
