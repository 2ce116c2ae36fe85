package io.github.camelwecom.groupmsg.corps;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.cluster.CamelPreemptiveClusterService;
import org.apache.camel.cluster.CamelPreemptiveClusterView;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a cluster service that elects one leader per namespace (ZooKeeper, a file lock, a database…) preemptive, so
 * that Camel's {@code RebalancingCamelClusterService} can spread namespaces, one per corp under {@code master:},
 * over the replicas:
 *
 * <pre>
 * ZooKeeperClusterService zk = ...;
 * context.addService(new RebalancingCamelClusterService(new PreemptiveClusterService(zk), 1000));
 * </pre>
 *
 * A disabled view first tells its listeners that this replica no longer leads (camel-master stops the corp's
 * consumer) and then stops the delegate's view, so the replica leaves that election and another takes the lock;
 * enabled again, it starts the delegate's view and competes again. Only camel-api and camel-support are used.
 * <p>
 * The members of every view are those of one more view, {@link #setMembersNamespace membersNamespace}, that each
 * replica joins when this service starts and never leaves. The rebalancing counts the replicas from the views' member
 * lists and does nothing while they differ; a delegate's own list would lose a replica from every view it left, so
 * the rebalancing would stop once it had moved a single corp. A replica that dies leaves the members' view when the
 * delegate notices (for ZooKeeper: when its session expires), and the others then share its corps.
 * <p>
 * Every {@link #setRepeatInterval repeatInterval} each view tells its listeners again who leads. camel-master 4.18
 * starts a route's consumer a moment after the leadership was taken, without looking whether it still is: a view
 * disabled in that moment would otherwise leave a consumer running on a replica that does not lead; told again, the
 * master consumer stops it.
 * <p>
 * Namespaces count as partitions only while a route uses them (a listener is registered, as camel-master's consumer
 * does): a corp whose route was removed is not counted, and its view leaves the election.
 */
public class PreemptiveClusterService extends ServiceSupport implements CamelPreemptiveClusterService {

    private static final Logger LOG = LoggerFactory.getLogger(PreemptiveClusterService.class);

    /** The default {@link #setMembersNamespace membersNamespace}. */
    public static final String DEFAULT_MEMBERS_NAMESPACE = "camel-replicas";

    private final CamelClusterService delegate;
    private final Map<String, PreemptiveView> views = new ConcurrentHashMap<>();
    private String membersNamespace = DEFAULT_MEMBERS_NAMESPACE;
    private volatile CamelClusterView members;
    private long repeatInterval = 250;
    private ScheduledExecutorService repeater;
    private CamelContext camelContext;

    public PreemptiveClusterService(CamelClusterService delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    public CamelClusterService getDelegate() {
        return delegate;
    }

    public String getMembersNamespace() {
        return membersNamespace;
    }

    /**
     * The namespace every replica joins to be counted; no route may use it. Default
     * {@value #DEFAULT_MEMBERS_NAMESPACE}.
     */
    public void setMembersNamespace(String membersNamespace) {
        this.membersNamespace = Objects.requireNonNull(membersNamespace, "membersNamespace");
    }

    public long getRepeatInterval() {
        return repeatInterval;
    }

    /** Milliseconds between two times each view tells its listeners who leads; default 250. */
    public void setRepeatInterval(long repeatInterval) {
        this.repeatInterval = repeatInterval;
    }

    @Override
    protected void doStart() throws Exception {
        Objects.requireNonNull(camelContext, "camelContext");
        ServiceHelper.startService(delegate);
        members = delegate.getView(membersNamespace);
        repeater = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                "PreemptiveClusterService");
        repeater.scheduleWithFixedDelay(this::repeatLeadership, repeatInterval, repeatInterval, TimeUnit.MILLISECONDS);
    }

    private void repeatLeadership() {
        for (PreemptiveView view : views.values()) {
            if (view.isUsed()) {
                try {
                    view.tellLeader();
                } catch (RuntimeException e) {
                    LOG.debug("Cannot tell who leads {}", view.getNamespace(), e);
                }
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (repeater != null) {
            camelContext.getExecutorServiceManager().shutdownNow(repeater);
            repeater = null;
        }
        for (PreemptiveView view : views.values()) {
            ServiceHelper.stopService(view);
        }
        views.clear();
        if (members != null) {
            delegate.releaseView(members);
            members = null;
        }
        ServiceHelper.stopService(delegate);
    }

    @Override
    public CamelPreemptiveClusterView getView(String namespace) throws Exception {
        if (membersNamespace.equals(namespace)) {
            throw new IllegalArgumentException("Namespace " + namespace
                                               + " counts the replicas; a route cannot use it");
        }
        PreemptiveView view = views.get(namespace);
        if (view != null) {
            return view;
        }
        synchronized (views) {
            view = views.get(namespace);
            if (view == null) {
                // one reference to the delegate's view for as long as this service runs: the rebalancing asks for
                // views again and again and never releases them
                view = new PreemptiveView(namespace, delegate.getView(namespace));
                view.setCamelContext(camelContext);
                ServiceHelper.startService(view);
                views.put(namespace, view);
            }
            return view;
        }
    }

    /** The view stays: its listeners say whether a route still uses it. */
    @Override
    public void releaseView(CamelClusterView view) {
    }

    /** The namespaces a route uses now: the partitions to rebalance. */
    @Override
    public Collection<String> getNamespaces() {
        return views.values().stream().filter(PreemptiveView::isUsed).map(CamelClusterView::getNamespace)
                .collect(Collectors.toSet());
    }

    @Override
    public void startView(String namespace) throws Exception {
        delegate.startView(namespace);
    }

    @Override
    public void stopView(String namespace) throws Exception {
        delegate.stopView(namespace);
    }

    @Override
    public boolean isLeader(String namespace) {
        PreemptiveView view = views.get(namespace);
        return view != null ? view.getLocalMember().isLeader() : delegate.isLeader(namespace);
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
        delegate.setCamelContext(camelContext);
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setId(String id) {
        delegate.setId(id);
    }

    @Override
    public String getId() {
        return delegate.getId();
    }

    @Override
    public Map<String, Object> getAttributes() {
        return delegate.getAttributes();
    }

    /** One namespace: the delegate's view, left and joined again as it is disabled and enabled. */
    private final class PreemptiveView extends AbstractCamelClusterView implements CamelPreemptiveClusterView {
        private final CamelClusterView view;
        private final AtomicInteger listeners = new AtomicInteger();
        private final CamelClusterMember localMember = new LocalMember();
        private final CamelClusterEventListener.Leadership forward
                = (source, leader) -> fireLeadershipChangedEvent(getLeader().orElse(null));
        private volatile boolean disabled;

        PreemptiveView(String namespace, CamelClusterView view) {
            super(PreemptiveClusterService.this, namespace);
            this.view = view;
        }

        @Override
        protected void doStart() {
            view.addEventListener(forward);
        }

        @Override
        protected void doStop() throws Exception {
            view.removeEventListener(forward);
            delegate.releaseView(view);
        }

        void tellLeader() {
            fireLeadershipChangedEvent(getLeader().orElse(null));
        }

        boolean isUsed() {
            return listeners.get() > 0;
        }

        @Override
        public void addEventListener(CamelClusterEventListener listener) {
            if (listeners.getAndIncrement() == 0) {
                participate();
            }
            super.addEventListener(listener);
        }

        @Override
        public void removeEventListener(CamelClusterEventListener listener) {
            super.removeEventListener(listener);
            if (listeners.decrementAndGet() == 0) {
                leave();
            }
        }

        @Override
        public synchronized void setDisabled(boolean disabled) {
            if (this.disabled == disabled) {
                return;
            }
            this.disabled = disabled;
            if (disabled) {
                LOG.info("{}: leaving the election, for another replica to lead", getNamespace());
                // the route stops first (camel-master stops its consumer on this event), then the lock goes
                fireLeadershipChangedEvent(getLeader().orElse(null));
                leave();
            } else {
                LOG.info("{}: joining the election again", getNamespace());
                participate();
                fireLeadershipChangedEvent(getLeader().orElse(null));
            }
        }

        @Override
        public boolean isDisabled() {
            return disabled;
        }

        private synchronized void participate() {
            if (!disabled && isUsed()) {
                try {
                    delegate.startView(getNamespace());
                } catch (Exception e) {
                    LOG.warn("Cannot join the election of {}: {}", getNamespace(), e.getMessage(), e);
                }
            }
        }

        private synchronized void leave() {
            try {
                delegate.stopView(getNamespace());
            } catch (Exception e) {
                LOG.warn("Cannot leave the election of {}: {}", getNamespace(), e.getMessage(), e);
            }
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            Optional<CamelClusterMember> leader = view.getLeader();
            return disabled && leader.isPresent() && leader.get().isLocal() ? Optional.empty() : leader;
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return localMember;
        }

        /** Every live replica, also those that left this view's election. */
        @Override
        public List<CamelClusterMember> getMembers() {
            CamelClusterView all = members;
            return all != null ? all.getMembers() : view.getMembers();
        }

        private final class LocalMember implements CamelClusterMember {
            @Override
            public boolean isLeader() {
                return !disabled && view.getLocalMember().isLeader();
            }

            @Override
            public boolean isLocal() {
                return true;
            }

            @Override
            public String getId() {
                return view.getLocalMember().getId();
            }
        }
    }
}
