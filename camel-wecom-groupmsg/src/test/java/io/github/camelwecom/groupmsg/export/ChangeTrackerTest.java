package io.github.camelwecom.groupmsg.export;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checkpoint form of what follow mode remembers: in parts, only the changed ones told, and every message and member
 * back from the parts whatever their number.
 */
class ChangeTrackerTest {

    private static final ResultsView ALL_UNSENT = new ResultsView(150, null);

    @Test
    void onlyTheBlockOfAChangedMemberIsToldAndThePartsDecodeToTheSameMembers() {
        ChangeTracker tracker = new ChangeTracker();
        tracker.putMessage("listed-only", 100);
        for (int i = 0; i < 100; i++) {
            tracker.putMember("big", 200, "user" + i, unsent(i));
        }
        Map<String, String> stored = new HashMap<>(tracker.takeChangedParts());
        assertThat(stored).as("the listed message and four blocks of 32 members").hasSize(5);

        MemberState sent = new MemberState(7, true, new ResultsView(150, new long[] { 3, 9 }), 500, 560);
        tracker.putMember("big", 200, "user40", sent);
        Map<String, String> changed = tracker.takeChangedParts();
        assertThat(changed).as("the second block alone").hasSize(1).containsKey(Long.toHexString(Fnv1a.hash("big"))
                + ".1");
        assertThat(tracker.takeChangedParts()).as("nothing changed since").isEmpty();
        stored.putAll(changed);

        ChangeTracker decoded = ChangeTracker.decode(stored);
        assertThat(decoded.hasMessage("listed-only")).isTrue();
        for (int i = 0; i < 100; i++) {
            assertThat(decoded.member("big", "user" + i)).isEqualTo(i == 40 ? sent : unsent(i));
        }
        assertThat(decoded.takeChangedParts()).isEmpty();
        // a member added after the restore goes to the last block, as it would have before
        decoded.putMember("big", 200, "user100", unsent(100));
        assertThat(decoded.takeChangedParts()).containsOnlyKeys(Long.toHexString(Fnv1a.hash("big")) + ".3");
    }

    @Test
    void aMessageIsSettledWhenEveryMemberIsAndItsForgottenPartsAreToldGone() {
        ChangeTracker tracker = new ChangeTracker();
        tracker.putMember("msg", 300, "a", new MemberState(1, true, new ResultsView(3, new long[0]), 0, 0));
        tracker.putMember("msg", 300, "b", unsent(2));
        assertThat(tracker.settled("msg")).isFalse();
        tracker.putMember("msg", 300, "b", new MemberState(2, true, new ResultsView(3, new long[0]), 0, 0));
        assertThat(tracker.settled("msg")).isTrue();
        tracker.takeChangedParts();

        tracker.forgetBefore(301);
        Map<String, String> gone = tracker.takeChangedParts();
        assertThat(gone).containsEntry(Long.toHexString(Fnv1a.hash("msg")) + ".0", null).hasSize(1);
        assertThat(tracker.hasMessage("msg")).isFalse();
    }

    private static MemberState unsent(int task) {
        return new MemberState(task, false, ALL_UNSENT, 0, 0);
    }
}
