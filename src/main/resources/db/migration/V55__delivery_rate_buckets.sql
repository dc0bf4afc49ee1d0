-- One token bucket per channel and configured rate, shared by every node on this database, so a
-- channel's rate-per-second holds for the cluster. Bucket4j owns the state column (its serialized
-- bucket); a row is locked with SELECT ... FOR UPDATE for the length of one permit's transaction.
CREATE TABLE delivery_rate_bucket (
  id    VARCHAR(64) NOT NULL PRIMARY KEY,
  state BLOB NULL
);
