package dev.overture.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.TransactionSystemException;

/** Which failures count as "the database cannot be reached" (503) rather than a fault of ours (500). */
class DatabaseOutageCauseTest {

  @Test
  void aRollbackThatFailsAfterTheStatementLostItsConnectionIsAnOutage() {
    // what TransactionTemplate throws when the server went away mid-statement: the rollback's failure,
    // with the statement's own failure kept aside as the application exception
    TransactionSystemException failure = new TransactionSystemException("JDBC rollback failed",
        new SQLException("Connection is closed", "08003"));
    failure.initApplicationException(new IllegalStateException("insert failed",
        new SQLNonTransientConnectionException("Socket error", "08000")));
    assertThat(DatabaseOutage.isCause(failure)).isTrue();
  }

  @Test
  void aCommitThatLostItsConnectionIsAnOutage() {
    // what TransactionTemplate throws when the server went away during the commit: the pool has evicted the
    // connection, so the rollback that follows meets its closed stand-in (no SQLSTATE), and the commit's failure
    // is only logged
    TransactionSystemException failure = new TransactionSystemException("JDBC rollback failed",
        new SQLException("Connection is closed"));
    assertThat(DatabaseOutage.isCause(failure)).isTrue();
  }

  @Test
  void aConnectionStateAnywhereInTheChainIsAnOutage() {
    assertThat(DatabaseOutage.isCause(new IllegalStateException(new SQLException("Connection is closed", "08003")))).isTrue();
  }

  @Test
  void otherDatabaseErrorsAreNot() {
    assertThat(DatabaseOutage.isCause(new DuplicateKeyException("dup", new SQLException("Duplicate entry", "23000")))).isFalse();
    assertThat(DatabaseOutage.isCause(new TransactionSystemException("commit failed", new SQLException("deadlock", "40001"))))
        .isFalse();
    assertThat(DatabaseOutage.isCause(new IllegalStateException("a bug"))).isFalse();
    assertThat(DatabaseOutage.isCause(new SQLException("Connection is closed", "HY000"))).isFalse();
  }
}
