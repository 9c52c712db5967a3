package io.fjord.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The ordered headers of one record. A key may repeat; {@link #lastHeader(String)} gives the
 * latest. Mutable until {@link #setReadOnly()} (the client seals them once a record is sent),
 * after which changes throw {@link IllegalStateException}. Not thread-safe.
 */
public final class Headers implements Iterable<Header> {

    private final List<Header> headers;
    private boolean readOnly;

    public Headers() {
        this.headers = new ArrayList<>();
    }

    public Headers(Iterable<Header> initial) {
        this();
        initial.forEach(this::add);
    }

    public Headers add(Header header) {
        checkWritable();
        headers.add(Objects.requireNonNull(header, "header"));
        return this;
    }

    public Headers add(String key, byte[] value) {
        return add(new Header(key, value));
    }

    /** Removes every header with this key. */
    public Headers remove(String key) {
        checkWritable();
        headers.removeIf(h -> h.key().equals(key));
        return this;
    }

    /** The last header added with this key, or null. */
    public Header lastHeader(String key) {
        for (int i = headers.size() - 1; i >= 0; i--) {
            if (headers.get(i).key().equals(key)) {
                return headers.get(i);
            }
        }
        return null;
    }

    /** Every header with this key, in the order added. */
    public List<Header> headers(String key) {
        return headers.stream().filter(h -> h.key().equals(key)).toList();
    }

    public int size() {
        return headers.size();
    }

    public Header[] toArray() {
        return headers.toArray(new Header[0]);
    }

    public void setReadOnly() {
        readOnly = true;
    }

    @Override
    public Iterator<Header> iterator() {
        return List.copyOf(headers).iterator();
    }

    private void checkWritable() {
        if (readOnly) {
            throw new IllegalStateException("These headers are read-only: the record was already sent");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers h && headers.equals(h.headers);
    }

    @Override
    public int hashCode() {
        return headers.hashCode();
    }

    @Override
    public String toString() {
        return headers.toString();
    }
}
