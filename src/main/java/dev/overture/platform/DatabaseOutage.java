package dev.overture.platform;

import java.net.URI;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Telling "the database cannot be reached" apart from other failures, and what a caller is told then:
 * {@code 503} with {@code Retry-After}, since the request did nothing and may simply be sent again.
 * Spring reports it as a resource failure or a transaction that could not begin; Camunda wraps the
 * driver's or the pool's connection exception in its own, so the whole cause chain is looked at.
 */
public final class DatabaseOutage {

  /** How long a caller should wait before trying again; about what the pool needs to notice the database is back. */
  public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private DatabaseOutage() {}

  /** Whether the failure, or anything that caused it, says the database could not be reached. */
  public static boolean isCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
          || t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
          || (t instanceof SQLException sql && (isConnectionState(sql.getSQLState()) || isClosedByThePool(sql)))) {
        return true;
      }
      // a statement that lost its connection is followed by a rollback that fails too; Spring then throws
      // the rollback's failure and keeps the statement's own one aside
      if (t instanceof TransactionSystemException tse && tse.getApplicationException() != null
          && isCause(tse.getApplicationException())) {
        return true;
      }
    }
    return false;
  }

  /** SQLSTATE class 08, "connection exception". */
  private static boolean isConnectionState(String sqlState) {
    return sqlState != null && sqlState.startsWith("08");
  }

  /**
   * HikariCP's stand-in for a connection it evicted after the driver reported it broken answers every call with this
   * message and no SQLSTATE. A commit that loses its connection ends there: Spring's rollback after the failed commit
   * meets the stand-in and throws that failure, keeping the commit's own only in its log.
   */
  private static boolean isClosedByThePool(SQLException sql) {
    return sql.getSQLState() == null && "Connection is closed".equals(sql.getMessage());
  }

  static String retryAfterSeconds() {
    return Long.toString(RETRY_AFTER.toSeconds());
  }

  static ProblemDetail problem() {
    ProblemDetail pd = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
        "The database cannot be reached, so nothing of this request was done or stored. Send it again in "
            + RETRY_AFTER.toSeconds() + " seconds.");
    pd.setType(URI.create(ApiProblem.TYPE_BASE + "database-unavailable"));
    pd.setTitle("Service unavailable");
    return pd;
  }
}
