-- Every table holds any Unicode character, 4-byte ones (emoji) included. A column in utf8mb3 or latin1
-- cannot store them, and comparing one with a 4-byte parameter fails with "Illegal mix of collations" (a 500 for a
-- journey key with an emoji in the path). Camunda's own scripts create utf8mb3 tables ("utf8"); the pool's init SQL
-- makes "utf8" mean utf8mb4 for the tables it creates from now on, and this converts the ones that exist, ours
-- (created in the database's default character set, latin1 on a server with default settings) and Camunda's.
-- utf8mb4_bin keeps Camunda's binary comparison, and is what the embedded server and the tests run. Columns declared
-- ascii (hashes, guard keys) stay so; Flyway's history table is left alone while Flyway holds it. Every look at
-- information_schema names this schema as a constant: a correlated one makes MariaDB open every schema's tables, and a
-- table another schema alters meanwhile turns into an error under strict mode.
ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

DELIMITER //
BEGIN NOT ATOMIC
  -- MariaDB refuses to change the character set of a column in a foreign key, foreign_key_checks or not: the keys
  -- of the converted tables are dropped, and added again (unchecked, the rows are the same) once both sides match
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    SET SESSION foreign_key_checks = 1;
    RESIGNAL;
  END;
  CREATE TEMPORARY TABLE utf8mb4_conversion AS
    SELECT t.TABLE_NAME AS table_name, EXISTS (SELECT 1 FROM information_schema.COLUMNS c
        WHERE c.TABLE_SCHEMA = DATABASE() AND c.TABLE_NAME = t.TABLE_NAME
          AND c.CHARACTER_SET_NAME IS NOT NULL AND c.CHARACTER_SET_NAME NOT IN ('utf8mb4', 'ascii', 'binary'))
        AS convert_columns
    FROM information_schema.TABLES t
    WHERE t.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE' AND t.TABLE_NAME <> 'flyway_schema_history';
  DELETE FROM utf8mb4_conversion WHERE NOT convert_columns AND table_name IN (SELECT TABLE_NAME FROM
      information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_COLLATION LIKE 'utf8mb4%');
  CREATE TEMPORARY TABLE utf8mb4_foreign_keys AS
    SELECT r.TABLE_NAME AS table_name, r.CONSTRAINT_NAME AS constraint_name,
        CONCAT('ADD CONSTRAINT `', r.CONSTRAINT_NAME, '` FOREIGN KEY (',
          GROUP_CONCAT(CONCAT('`', k.COLUMN_NAME, '`') ORDER BY k.ORDINAL_POSITION), ') REFERENCES `',
          r.REFERENCED_TABLE_NAME, '` (',
          GROUP_CONCAT(CONCAT('`', k.REFERENCED_COLUMN_NAME, '`') ORDER BY k.ORDINAL_POSITION), ') ON DELETE ',
          r.DELETE_RULE, ' ON UPDATE ', r.UPDATE_RULE) AS definition
    FROM information_schema.REFERENTIAL_CONSTRAINTS r
    JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = DATABASE() AND k.TABLE_SCHEMA = DATABASE()
      AND k.TABLE_NAME = r.TABLE_NAME AND k.CONSTRAINT_NAME = r.CONSTRAINT_NAME
    WHERE r.CONSTRAINT_SCHEMA = DATABASE() AND (r.TABLE_NAME IN (SELECT table_name FROM utf8mb4_conversion
        WHERE convert_columns) OR r.REFERENCED_TABLE_NAME IN (SELECT table_name FROM utf8mb4_conversion WHERE convert_columns))
    GROUP BY r.TABLE_NAME, r.CONSTRAINT_NAME, r.REFERENCED_TABLE_NAME, r.DELETE_RULE, r.UPDATE_RULE;
  SET SESSION foreign_key_checks = 0;
  FOR k IN (SELECT table_name, constraint_name FROM utf8mb4_foreign_keys) DO
    EXECUTE IMMEDIATE CONCAT('ALTER TABLE `', k.table_name, '` DROP FOREIGN KEY `', k.constraint_name, '`');
  END FOR;
  FOR t IN (SELECT table_name, convert_columns FROM utf8mb4_conversion) DO
    -- CONVERT TO rewrites every text column; a table whose columns are all utf8mb4 or ascii gets the default only
    EXECUTE IMMEDIATE CONCAT('ALTER TABLE `', t.table_name, '` ',
        IF(t.convert_columns, 'CONVERT TO', 'DEFAULT'), ' CHARACTER SET utf8mb4 COLLATE utf8mb4_bin');
  END FOR;
  FOR k IN (SELECT table_name, definition FROM utf8mb4_foreign_keys) DO
    EXECUTE IMMEDIATE CONCAT('ALTER TABLE `', k.table_name, '` ', k.definition);
  END FOR;
  SET SESSION foreign_key_checks = 1;
  DROP TEMPORARY TABLE utf8mb4_foreign_keys;
  DROP TEMPORARY TABLE utf8mb4_conversion;
END;
//
DELIMITER ;
