package io.fjord.plugin.zookeeper;

import io.fjord.controller.coordination.CoordinationException;
import io.fjord.controller.coordination.CoordinationException.Reason;
import org.apache.zookeeper.KeeperException;

/**
 * Turns ZooKeeper's failures into the SPI's reasons. Only a lost connection or session leaves the
 * outcome of a write unknown ({@link Reason#UNAVAILABLE}); every other refusal means nothing was
 * applied, and is a condition that did not hold.
 */
final class KeeperErrors {

    /** A call to ZooKeeper through Curator, which declares any exception. */
    @FunctionalInterface
    interface Call<T> {
        T call() throws Exception;
    }

    private KeeperErrors() {
    }

    /** Runs {@code call}, translating its failure for {@code path} (null: no single path). */
    static <T> T run(String path, Call<T> call) {
        try {
            return call.call();
        } catch (KeeperException e) {
            throw translate(e, path);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinationException(Reason.UNAVAILABLE, path, "Interrupted while waiting for ZooKeeper", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new CoordinationException(Reason.UNAVAILABLE, path, "ZooKeeper cannot be reached: " + e, e);
        }
    }

    static CoordinationException translate(KeeperException e, String path) {
        String at = path != null ? path : e.getPath();
        if (isConnectivity(e.code())) {
            return new CoordinationException(Reason.UNAVAILABLE, at,
                    "ZooKeeper session unavailable (" + e.code() + ")" + (at == null ? "" : " at " + at), e);
        }
        return new CoordinationException(Reason.CONDITION_FAILED, at, conditionMessage(e.code(), at), e);
    }

    static String conditionMessage(KeeperException.Code code, String path) {
        String what = switch (code) {
            case NODEEXISTS -> "already exists";
            case NONODE -> "does not exist";
            case BADVERSION -> "has another version than expected";
            case NOTEMPTY -> "has children";
            case NOCHILDRENFOREPHEMERALS -> "is under an ephemeral entry, which cannot have children";
            default -> "was refused by ZooKeeper (" + code + ")";
        };
        return (path == null ? "The entry" : path) + " " + what;
    }

    static boolean isConnectivity(KeeperException.Code code) {
        return switch (code) {
            case CONNECTIONLOSS, SESSIONEXPIRED, OPERATIONTIMEOUT, SESSIONMOVED, REQUESTTIMEOUT, THROTTLEDOP,
                    NOTREADONLY, SESSIONCLOSEDREQUIRESASLAUTH -> true;
            default -> false;
        };
    }
}
