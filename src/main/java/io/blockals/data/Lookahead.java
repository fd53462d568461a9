package io.blockals.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** An iterator that computes its next element on demand: {@link #advance()} returns it, or null at the end. */
abstract class Lookahead<T> implements Iterator<T> {
  private T next;

  /** The next element, or null when there is none; called again only after the previous one was taken. */
  protected abstract T advance();

  @Override
  public final boolean hasNext() {
    if (next == null) {
      next = advance();
    }
    return next != null;
  }

  @Override
  public final T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    T t = next;
    next = null;
    return t;
  }
}
