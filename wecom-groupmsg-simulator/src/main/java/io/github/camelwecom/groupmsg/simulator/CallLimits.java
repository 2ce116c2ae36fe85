package io.github.camelwecom.groupmsg.simulator;

/**
 * How many calls of one mass-message API WeCom takes per fixed window: per corp and per calling IP, per minute and per
 * hour. 0 turns that limit off; {@link #none()} (all 0) is the simulator's default. Past a limit WeCom answers 45009
 * {@code api freq out of limit} until the window ends.
 *
 * @param corpPerMinute calls of one API by one corp in a minute
 * @param corpPerHour calls of one API by one corp in an hour
 * @param ipPerMinute calls of one API from one IP in a minute
 * @param ipPerHour calls of one API from one IP in an hour
 */
public record CallLimits(long corpPerMinute, long corpPerHour, long ipPerMinute, long ipPerHour) {

    public CallLimits {
        if (corpPerMinute < 0 || corpPerHour < 0 || ipPerMinute < 0 || ipPerHour < 0) {
            throw new IllegalArgumentException("call limits must be >= 0 (0: off): " + corpPerMinute + ", "
                    + corpPerHour + ", " + ipPerMinute + ", " + ipPerHour);
        }
    }

    /** No limits: every call is taken (the default). */
    public static CallLimits none() {
        return new CallLimits(0, 0, 0, 0);
    }

    /**
     * WeCom's numbers for a corp's own apps: 10,000 a minute and 150,000 an hour per corp; 20,000 and 600,000 per IP.
     */
    public static CallLimits wecom() {
        return new CallLimits(10_000, 150_000, 20_000, 600_000);
    }

    /** WeCom's numbers for third-party service providers, who serve many corps: per IP 40,000 and 1,200,000. */
    public static CallLimits wecomProvider() {
        return new CallLimits(10_000, 150_000, 40_000, 1_200_000);
    }

    /** Every limit that is on times {@code factor}, rounded, at least 1; limits that are off stay off. */
    public CallLimits scaled(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be positive: " + factor);
        }
        return new CallLimits(scale(corpPerMinute, factor), scale(corpPerHour, factor), scale(ipPerMinute, factor),
                scale(ipPerHour, factor));
    }

    /** True when no limit is on. */
    public boolean isOff() {
        return corpPerMinute == 0 && corpPerHour == 0 && ipPerMinute == 0 && ipPerHour == 0;
    }

    /** The number for {@code limit}; 0 when it is off. */
    public long of(CallLimit limit) {
        return switch (limit) {
            case CORP_PER_MINUTE -> corpPerMinute;
            case CORP_PER_HOUR -> corpPerHour;
            case IP_PER_MINUTE -> ipPerMinute;
            case IP_PER_HOUR -> ipPerHour;
        };
    }

    private static long scale(long limit, double factor) {
        return limit == 0 ? 0 : Math.max(1, Math.round(limit * factor));
    }
}
