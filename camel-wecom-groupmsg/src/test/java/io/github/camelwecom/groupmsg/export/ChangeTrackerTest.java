package io.github.camelwecom.groupmsg.export;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The checkpoint form of what follow mode remembers: every message and member back, whatever their number. */
class ChangeTrackerTest {

    @Test
    void whatIsEncodedDecodesToTheSameMembersAlsoAfterAChange() {
        ChangeTracker tracker = new ChangeTracker();
        tracker.putMessage("listed-only", 100);
        // 1, 2 and 3 members: each message's part needs another padding to whole Base64 groups
        for (int members = 1; members <= 3; members++) {
            for (int i = 0; i < members; i++) {
                tracker.putMember("msg" + members, 200 + members, "user" + i, new ChangeTracker.Member(i, -i * 7L));
            }
        }
        String first = tracker.encode();
        tracker.putMember("msg2", 202, "user1", new ChangeTracker.Member(42, 43));
        String changed = tracker.encode();
        assertThat(changed).isNotEqualTo(first);

        ChangeTracker decoded = ChangeTracker.decode(changed);
        assertThat(decoded.hasMessage("listed-only")).isTrue();
        for (int members = 1; members <= 3; members++) {
            for (int i = 0; i < members; i++) {
                assertThat(decoded.member("msg" + members, "user" + i)).isNotNull();
            }
        }
        assertThat(decoded.member("msg2", "user1")).isEqualTo(new ChangeTracker.Member(42, 43));
        assertThat(decoded.member("msg3", "user2")).isEqualTo(new ChangeTracker.Member(2, -14));
        assertThat(decoded.member("msg1", "user1")).isNull();
        assertThat(decoded.encode()).as("encoded again").hasSameSizeAs(changed);

        decoded.forgetBefore(202);
        assertThat(decoded.hasMessage("listed-only")).isFalse();
        assertThat(decoded.hasMessage("msg1")).isFalse();
        assertThat(decoded.hasMessage("msg2")).isTrue();
        assertThat(decoded.hasMessage("msg3")).isTrue();
    }
}
