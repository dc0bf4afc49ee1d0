-- Every event belongs to a profile that exists. The foreign key makes an insert wait for a merge or an
-- erasure of its profile that is under way, and refuse the event if the profile went (the writer then
-- stores it under the survivor), instead of leaving it on an id that nobody owns.

-- events stored under an id that had been merged away follow it to its survivor (merges are flattened: one hop)
UPDATE customer_event e JOIN profile_merge m ON m.merged_id = e.profile_id
SET e.profile_id = m.survivor_id;

-- what is left without a profile belonged to an erased one: erasure removes a profile's events
DELETE FROM customer_event WHERE profile_id NOT IN (SELECT id FROM profile);

-- with the checks on, MariaDB adds a foreign key only by copying the table; the rows were made consistent just
-- above, so the key is added in place
SET SESSION foreign_key_checks = 0;
ALTER TABLE customer_event
  ADD CONSTRAINT fk_event_profile FOREIGN KEY (profile_id) REFERENCES profile (id);
SET SESSION foreign_key_checks = 1;
