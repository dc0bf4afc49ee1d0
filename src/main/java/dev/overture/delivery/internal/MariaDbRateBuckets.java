package dev.overture.delivery.internal;

import io.github.bucket4j.BucketExceptions.BucketExecutionException;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.AbstractSelectForUpdateBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.LockAndGetResult;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.SelectForUpdateBasedTransaction;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Bucket4j's distributed buckets with their state in {@code delivery_rate_bucket}, one row per bucket,
 * through Bucket4j's generic select-for-update backend: Bucket4j does the token arithmetic and the
 * serialization, this class only the SQL. Each permit is one short transaction of its own (lock the row,
 * write the new state, commit), never part of a caller's transaction and never open across a send.
 */
final class MariaDbRateBuckets extends AbstractSelectForUpdateBasedProxyManager<String> {

  private final DataSource dataSource;

  MariaDbRateBuckets(DataSource dataSource) {
    super(ClientSideConfig.getDefault());
    this.dataSource = dataSource;
  }

  @Override
  protected SelectForUpdateBasedTransaction allocateTransaction(String key, Optional<Long> timeoutNanos) {
    Connection connection;
    try {
      connection = dataSource.getConnection();
    } catch (SQLException e) {
      throw new BucketExecutionException(e);
    }
    return rowTransaction(connection, key);
  }

  @Override
  public void removeProxy(String key) {
    try (Connection c = dataSource.getConnection();
         PreparedStatement delete = c.prepareStatement("DELETE FROM delivery_rate_bucket WHERE id = ?")) {
      delete.setString(1, key);
      delete.executeUpdate();
    } catch (SQLException e) {
      throw new BucketExecutionException(e);
    }
  }

  /** The statements of one permit on {@code key}'s row, on a connection of its own. */
  private SelectForUpdateBasedTransaction rowTransaction(Connection connection, String key) {
    return new SelectForUpdateBasedTransaction() {

      @Override
      public void begin(Optional<Long> timeoutNanos) {
        run(() -> connection.setAutoCommit(false));
      }

      @Override
      public LockAndGetResult tryLockAndGet(Optional<Long> timeoutNanos) {
        try (PreparedStatement select = connection.prepareStatement("SELECT state FROM delivery_rate_bucket WHERE id = ? FOR UPDATE")) {
          applyTimeout(select, timeoutNanos);
          select.setString(1, key);
          try (ResultSet rs = select.executeQuery()) {
            return rs.next() ? LockAndGetResult.locked(rs.getBytes(1)) : LockAndGetResult.notLocked();
          }
        } catch (SQLException e) {
          throw new BucketExecutionException(e);
        }
      }

      @Override
      public boolean tryInsertEmptyData(Optional<Long> timeoutNanos) {
        try (PreparedStatement insert = connection.prepareStatement("INSERT IGNORE INTO delivery_rate_bucket (id, state) VALUES (?, NULL)")) {
          applyTimeout(insert, timeoutNanos);
          insert.setString(1, key);
          insert.executeUpdate();
          return true;
        } catch (SQLTransactionRollbackException e) {
          // another node inserted the row at the same moment: Bucket4j starts over and locks it
          return false;
        } catch (SQLException e) {
          throw new BucketExecutionException(e);
        }
      }

      @Override
      public void update(byte[] data, RemoteBucketState newState, Optional<Long> timeoutNanos) {
        try (PreparedStatement update = connection.prepareStatement("UPDATE delivery_rate_bucket SET state = ? WHERE id = ?")) {
          applyTimeout(update, timeoutNanos);
          update.setBytes(1, data);
          update.setString(2, key);
          update.executeUpdate();
        } catch (SQLException e) {
          throw new BucketExecutionException(e);
        }
      }

      @Override
      public void commit(Optional<Long> timeoutNanos) {
        run(connection::commit);
      }

      @Override
      public void rollback() {
        run(connection::rollback);
      }

      @Override
      public void release() {
        run(connection::close);
      }
    };
  }

  private interface Jdbc {
    void run() throws SQLException;
  }

  private static void run(Jdbc step) {
    try {
      step.run();
    } catch (SQLException e) {
      throw new BucketExecutionException(e);
    }
  }
}
