package dev.overture.delivery.internal;

import java.util.List;

/**
 * What a push provider that answers per device token made of a push: the tokens it reported unregistered, which go on
 * the suppression list once the send guard is released. The generic provider and the file outbox report none.
 */
record PushResult(List<String> unregistered) {

  static final PushResult NONE = new PushResult(List.of());

  PushResult {
    unregistered = List.copyOf(unregistered);
  }
}
