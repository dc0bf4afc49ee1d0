-- [consent] one row per profile ('p:<profile id>') and per address ('a:<channel>:<sha-256 of the address>'): a send
-- holds the rows of its profile and addresses shared from its last consent check until the provider answered; a
-- revocation, suppression or erasure takes its row exclusively, so it waits for those sends and every later send
-- sees it. erased_at marks an erased profile, whose transactional messages would otherwise go by default.
CREATE TABLE send_guard (
  guard_key VARCHAR(90) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  erased_at TIMESTAMP(3) NULL
);
