package io.fjord.plugin.zookeeper;

import io.fjord.controller.coordination.ClusterPaths;
import io.fjord.controller.coordination.ControllerLease;
import io.fjord.controller.coordination.CoordinationException;
import io.fjord.controller.coordination.CoordinationException.Reason;
import io.fjord.controller.coordination.Op;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One atomic write: the SPI's steps as a ZooKeeper multi, all applied or none.
 *
 * <p>A fenced write starts with a check of {@code /controller_epoch} at the lease's fence, as
 * Kafka's controller wrapped every write; that check failing means another controller was
 * elected since. The missing parents of created entries are created in the same multi, just
 * before the step that needs them, so a write that creates a topic and its partition states at
 * once works, and a failed write leaves nothing behind.
 */
final class MultiWrite {

    /** A concurrent creation of a parent we meant to create makes the write retry, this often. */
    private static final int PARENT_RACE_ATTEMPTS = 3;

    /** One step of the multi, and whether it is a parent added here (not a step of the caller's). */
    private record Step(CuratorOp op, String path, boolean addedParent) {
    }

    private final CuratorFramework client;

    MultiWrite(CuratorFramework client) {
        this.client = client;
    }

    /** Applies {@code ops}, fenced by {@code lease} when it is not null; returns the multi's results. */
    List<CuratorTransactionResult> apply(ControllerLease lease, List<Op> ops) {
        if (lease != null && (lease.fence() < 0 || lease.fence() > Integer.MAX_VALUE)) {
            throw new CoordinationException(Reason.FENCED, ClusterPaths.CONTROLLER_EPOCH,
                    "The controller lease's fence " + lease.fence() + " is no ZooKeeper version");
        }
        for (int attempt = 1; ; attempt++) {
            List<Step> steps = KeeperErrors.run(null, () -> steps(lease, ops));
            try {
                List<CuratorOp> multi = new ArrayList<>(steps.size());
                steps.forEach(s -> multi.add(s.op()));
                return client.transaction().forOperations(multi);
            } catch (KeeperException e) {
                int failed = failedIndex(e);
                Step step = failed < 0 ? null : steps.get(failed);
                if (lease != null && failed == 0) {
                    throw new CoordinationException(Reason.FENCED, ClusterPaths.CONTROLLER_EPOCH,
                            "Controller " + lease.controllerId() + " of epoch " + lease.epoch()
                                    + " is no longer the controller: a newer one was elected", e);
                }
                if (step != null && step.addedParent() && e.code() == KeeperException.Code.NODEEXISTS
                        && attempt < PARENT_RACE_ATTEMPTS) {
                    continue;
                }
                throw KeeperErrors.translate(e, step == null ? null : step.path());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CoordinationException(Reason.UNAVAILABLE, null, "Interrupted while writing to ZooKeeper", e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new CoordinationException(Reason.UNAVAILABLE, null, "ZooKeeper cannot be reached: " + e, e);
            }
        }
    }

    private List<Step> steps(ControllerLease lease, List<Op> ops) throws Exception {
        List<Step> steps = new ArrayList<>(ops.size() + 1);
        if (lease != null) {
            steps.add(new Step(client.transactionOp().check().withVersion((int) lease.fence())
                    .forPath(ClusterPaths.CONTROLLER_EPOCH), ClusterPaths.CONTROLLER_EPOCH, false));
        }
        Set<String> createdHere = new HashSet<>();
        for (Op op : ops) {
            if (op instanceof Op.Create create) {
                for (String parent : missingParents(create.path(), createdHere)) {
                    steps.add(new Step(client.transactionOp().create().withMode(CreateMode.PERSISTENT)
                            .forPath(parent, new byte[0]), parent, true));
                    createdHere.add(parent);
                }
                createdHere.add(create.path());
                steps.add(new Step(client.transactionOp().create().withMode(CreateMode.PERSISTENT)
                        .forPath(create.path(), create.data()), create.path(), false));
            } else if (op instanceof Op.SetData set) {
                steps.add(new Step(client.transactionOp().setData().withVersion(set.expectedVersion())
                        .forPath(set.path(), set.data()), set.path(), false));
            } else if (op instanceof Op.Delete delete) {
                createdHere.remove(delete.path());
                steps.add(new Step(client.transactionOp().delete().withVersion(delete.expectedVersion())
                        .forPath(delete.path()), delete.path(), false));
            } else if (op instanceof Op.Check check) {
                steps.add(new Step(client.transactionOp().check().withVersion(check.expectedVersion())
                        .forPath(check.path()), check.path(), false));
            }
        }
        return steps;
    }

    /** The ancestors of {@code path} that neither exist nor are created earlier in the write, top first. */
    private List<String> missingParents(String path, Set<String> createdHere) throws Exception {
        List<String> missing = new ArrayList<>();
        for (String parent = parentOf(path); parent != null; parent = parentOf(parent)) {
            if (createdHere.contains(parent) || client.checkExists().forPath(parent) != null) {
                break;
            }
            missing.add(0, parent);
        }
        return missing;
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? null : path.substring(0, slash);
    }

    /** The index of the step that made the multi fail: the others report OK or "rolled back". */
    private static int failedIndex(KeeperException e) {
        List<OpResult> results = e.getResults();
        if (results == null) {
            return -1;
        }
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof OpResult.ErrorResult error
                    && error.getErr() != KeeperException.Code.OK.intValue()
                    && error.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
                return i;
            }
        }
        return -1;
    }
}
