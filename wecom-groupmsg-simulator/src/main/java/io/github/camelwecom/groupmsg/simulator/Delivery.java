package io.github.camelwecom.groupmsg.simulator;

/**
 * When each send result of a sent task settles. WeCom delivers asynchronously: a task can already say sent while its
 * results still say 0. A result settles {@code delaySeconds} after its task's send time plus an extra in
 * {@code [0, jitterSeconds]} hashed from the message key, the member and the result's position, so nothing is stored.
 *
 * @param delaySeconds every result's least wait after the task's send time
 * @param jitterSeconds most extra wait of one result beyond the delay
 */
record Delivery(long delaySeconds, long jitterSeconds) {
    /** Results settle with their task, as before delivery delays existed. */
    static final Delivery IMMEDIATE = new Delivery(0, 0);

    private static final long SALT = 0x64656c6976L;

    static Delivery of(DataSetSpec spec) {
        return spec.deliveryDelaySeconds() == 0 && spec.deliveryJitterSeconds() == 0 ? IMMEDIATE
                : new Delivery(spec.deliveryDelaySeconds(), spec.deliveryJitterSeconds());
    }

    /**
     * Epoch second the result at {@code position} (single: index in the targeted range, group: slot) settles; 0 when
     * the task is never sent.
     */
    long settleTime(long messageKey, int member, int position, long taskSendTime) {
        if (taskSendTime == 0) {
            return 0;
        }
        long extra = jitterSeconds == 0 ? 0
                : Hashing.below(Hashing.mix(messageKey ^ SALT, member, position), (int) jitterSeconds + 1);
        return taskSendTime + delaySeconds + extra;
    }
}
