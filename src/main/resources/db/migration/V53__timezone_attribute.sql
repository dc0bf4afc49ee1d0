-- One name for the profile's time zone: attribute `timezone` (what the local-time wait reads and Segment's
-- context.timezone fills). Quiet hours used to read `timeZone`; its values move over. Where a profile has
-- both, `timezone` stays: it is the one the journeys' waits have been using.
UPDATE profile
SET attributes = JSON_REMOVE(
      IF(JSON_CONTAINS_PATH(attributes, 'one', '$.timezone'),
         attributes,
         JSON_SET(attributes, '$.timezone', JSON_EXTRACT(attributes, '$.timeZone'))),
      '$.timeZone')
WHERE JSON_CONTAINS_PATH(attributes, 'one', '$.timeZone');
