-- Frequency caps follow identity merges (docs/delivery.md): the lock rows of a merged-away profile point at
-- its survivor, so a reservation made with a profile read just before the merge counts against the survivor.
ALTER TABLE frequency_lock ADD COLUMN merged_into CHAR(36) NULL;

-- profiles merged before this version: their slots and lock rows go to the survivor now (profile_merge
-- names the current survivor of every merged id)
UPDATE frequency_slot s JOIN profile_merge m ON m.merged_id = s.profile_id SET s.profile_id = m.survivor_id;
UPDATE frequency_lock l JOIN profile_merge m ON m.merged_id = l.profile_id SET l.merged_into = m.survivor_id;
