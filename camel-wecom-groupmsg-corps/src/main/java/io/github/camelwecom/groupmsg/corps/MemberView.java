package io.github.camelwecom.groupmsg.corps;

import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;

/**
 * This replica in the cluster view whose members share the corps ({@code clusterNamespace}): joining it makes this
 * replica a member the others see, and its members are whom the shards are shared among.
 */
final class MemberView {

    private final CamelClusterService cluster;
    private final CamelClusterView view;
    private final CamelClusterEventListener.Membership listener;
    /** Whether the view listed this replica among its members at the last read; null before the first. */
    private volatile Boolean listedSelf;
    /** Whether the view has listed this replica since it joined; guarded by {@link CorpSync}'s lock. */
    private boolean wasListed;

    private MemberView(CamelClusterService cluster, CamelClusterView view, Runnable onChange) {
        this.cluster = cluster;
        this.view = view;
        this.listener = new CamelClusterEventListener.Membership() {
            @Override
            public void memberAdded(CamelClusterView view, CamelClusterMember member) {
                onChange.run();
            }

            @Override
            public void memberRemoved(CamelClusterView view, CamelClusterMember member) {
                onChange.run();
            }
        };
    }

    /** Joins the view {@code namespace}; {@code onChange} runs on the cluster service's thread. */
    static MemberView join(CamelClusterService cluster, String namespace, Runnable onChange) throws Exception {
        MemberView members = new MemberView(cluster, cluster.getView(namespace), onChange);
        members.view.addEventListener(members.listener);
        return members;
    }

    String localId() {
        return view.getLocalMember().getId();
    }

    /**
     * The ids of the view's members, this replica's included. May wait: a cut-off ZooKeeper client retries up to its
     * connection timeout.
     */
    Set<String> read() {
        String local = localId();
        if (local == null || local.isBlank()) {
            throw new IllegalStateException("The cluster service has no id: give each replica its own");
        }
        Set<String> ids = new TreeSet<>();
        // ZooKeeper's view lists every live participant, this one too once its node is written
        for (CamelClusterMember member : view.getMembers()) {
            if (member.getId() != null && !member.getId().isBlank()) {
                ids.add(member.getId());
            }
        }
        listedSelf = ids.contains(local);
        ids.add(local);
        return ids;
    }

    /**
     * Whether the view listed this replica once and did not at the last read: its session expired, which took it out of
     * the view and out of every election it was in.
     */
    boolean dropped() {
        if (Boolean.TRUE.equals(listedSelf)) {
            wasListed = true;
            return false;
        }
        return wasListed;
    }

    void release() throws Exception {
        view.removeEventListener(listener);
        cluster.releaseView(view);
    }
}
