# Sourced by the image's entrypoint at a node's first start (docker-entrypoint-initdb.d): the account a donor's
# mariabackup uses for the snapshot a joining node receives. Made while replication is off; the joiners get it
# with the donor's data.
docker_process_sql --database=mysql <<SQL
CREATE USER 'sst'@'localhost' IDENTIFIED BY '${GALERA_SST_PASSWORD}';
GRANT RELOAD, PROCESS, LOCK TABLES, BINLOG MONITOR ON *.* TO 'sst'@'localhost';
SQL
