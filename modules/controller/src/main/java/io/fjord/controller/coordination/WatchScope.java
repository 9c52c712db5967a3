package io.fjord.controller.coordination;

/** What a watch on a path reacts to. */
public enum WatchScope {
    /** The entry's data changing, and the entry being created or deleted. */
    DATA,
    /** Children of the entry being created or deleted (not their data). */
    CHILDREN
}
