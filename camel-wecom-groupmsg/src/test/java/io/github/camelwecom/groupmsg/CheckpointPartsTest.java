package io.github.camelwecom.groupmsg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.camelwecom.groupmsg.export.FollowingExport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine's tracked parts are stored in proportion to what changed: each part in a reused slot, the index only when
 * a part came or went, the checkpoint JSON last; a save cut short at any write and a restart from what the repository
 * holds restores the parts of the last complete save or later, never a slot holding another part; a stale replica
 * cannot write over a slot of the new owner.
 */
class CheckpointPartsTest {

    private static final String KEY = "wecom-groupmsg:result|corp|single|-P1D|-|-|2|-|-|Asia/Shanghai";
    private static final String INDEX = KEY + "|parts";

    private final AtomicLong bytes = new AtomicLong();

    @Test
    void aSaveWritesTheChangedPartsTheIndexWhenAPartCameOrWentAndTheCheckpointLast() {
        FencingStateRepository repository = new FencingStateRepository();
        CheckpointStore store = open(repository);
        assertThat(repository.writes).as("a first start claims nothing").isEmpty();

        store.save(checkpoint(1), parts("a", "a:1", "b", "b:1", "c", "c:1"));
        assertThat(takeWrites(repository)).containsExactly(slot("1.1"), slot("1.2"), slot("1.3"), INDEX, KEY);
        store.save(checkpoint(2), parts("a", "a:2"));
        assertThat(takeWrites(repository)).containsExactly(slot("1.1"), KEY);
        // b's slot is not reused before an index without it was written
        store.save(checkpoint(3), parts("b", null, "d", "d:3"));
        assertThat(takeWrites(repository)).containsExactly(slot("1.4"), INDEX, KEY);
        store.save(checkpoint(4), Map.of());
        assertThat(takeWrites(repository)).containsExactly(KEY);
        store.save(checkpoint(5), parts("e", "e:5"));
        assertThat(takeWrites(repository)).containsExactly(slot("1.2"), INDEX, KEY);
        assertThat(bytes.get()).as("bytes counted").isEqualTo(repository.written);

        ConsumerCheckpoint restored = new CheckpointStore(repository.replica(), KEY, n -> {
        }).load();
        assertThat(restored.state().pass()).isEqualTo(5);
        assertThat(restored.state().tracked()).isEqualTo(parts("a", "a:2", "c", "c:1", "d", "d:3", "e", "e:5"));
        assertThat(restored.toJson()).doesNotContain("a:2");
    }

    @Test
    void anExportWithoutTrackedPartsWritesNoIndex() {
        FencingStateRepository repository = new FencingStateRepository();
        CheckpointStore store = open(repository);
        for (int save = 1; save <= 3; save++) {
            store.save(checkpoint(save), Map.of());
        }
        open(repository.replica()).save(checkpoint(4), Map.of());
        assertThat(repository.keys()).containsExactly(KEY);
    }

    @Test
    void theIndexOfAThousandPartsIsCompact() {
        FencingStateRepository repository = new FencingStateRepository();
        CheckpointStore store = open(repository);
        Map<String, String> parts = new LinkedHashMap<>();
        for (int i = 0; i < 1000; i++) {
            parts.put(String.format("%016x.%d", i * 0x9E3779B97F4A7C15L, i % 4), "v");
        }
        store.save(checkpoint(1), parts);
        assertThat(open(repository.replica()).load().state().tracked()).isEqualTo(parts);
        assertThat(repository.replica().getState(INDEX).length()).as("index bytes").isLessThan(30 * 1000);
    }

    /** A repository that fails at the Nth write, for every N a script of saves reaches, and a restart after it. */
    @Test
    void aSaveCutShortAtAnyWriteRestoresTheLastCompleteSaveOrLater() {
        List<Map<String, String>> script = script(new Random(26), 14, 8);
        int writes = runScript(new FencingStateRepository(), script, 0);
        for (int n = 1; n <= writes + 1; n++) {
            FencingStateRepository repository = new FencingStateRepository();
            int failedAt = runScript(repository, script, n);
            CheckpointStore restarted = new CheckpointStore(repository.replica(), KEY, bytes::addAndGet);
            ConsumerCheckpoint checkpoint = restarted.load();
            restarted.claim(checkpoint);
            int k = checkpoint == null ? 0 : (int) checkpoint.state().pass();
            assertThat(k).as("last complete save, failing write " + n).isEqualTo(failedAt - 1);
            Map<String, String> restored = checkpoint == null || checkpoint.state().tracked() == null
                    ? Map.of() : checkpoint.state().tracked();
            assertBetween(restored, state(script, k), state(script, k + 1), "failing write " + n);

            // the restarted consumer goes on from what it restored and ends where the script ends
            Map<String, String> given = restored;
            for (int save = k + 1; save <= script.size(); save++) {
                restarted.save(checkpoint(save), changes(given, script.get(save - 1)));
                given = script.get(save - 1);
            }
            assertThat(load(repository).state().tracked()).as("after going on, failing write " + n)
                    .isEqualTo(script.get(script.size() - 1));
        }
    }

    /** The parts a failed save did not write are written by the next one: the engine handed them out once. */
    @Test
    void aSaveThatFailedMidwayIsMadeGoodByTheNextOne() {
        List<Map<String, String>> script = script(new Random(7), 12, 8);
        int writes = runScript(new FencingStateRepository(), script, 0);
        for (int n = 1; n <= writes; n++) {
            FencingStateRepository repository = new FencingStateRepository();
            CheckpointStore store = open(repository);
            repository.failWrite(n);
            Map<String, String> given = Map.of();
            for (int save = 1; save <= script.size(); save++) {
                try {
                    store.save(checkpoint(save), changes(given, script.get(save - 1)));
                } catch (CheckpointStore.Unavailable e) {
                    // the consumer's next poll saves again, with what changed since
                }
                given = script.get(save - 1);
            }
            store.save(checkpoint(script.size() + 1), Map.of()); // the next poll, nothing changed
            ConsumerCheckpoint last = load(repository);
            assertThat(last.state().pass()).isEqualTo(script.size() + 1);
            assertThat(last.state().tracked()).as("failing write " + n).isEqualTo(given);
        }
    }

    @Test
    void reusedSlotsKeepTheKeysBoundedAsPartsComeAndGoAcrossRestarts() {
        FencingStateRepository repository = new FencingStateRepository();
        CheckpointStore store = open(repository);
        Random random = new Random(3);
        Map<String, String> live = new TreeMap<>();
        int created = 0;
        for (int save = 1; save <= 600; save++) {
            Map<String, String> changed = new HashMap<>();
            for (String id : new ArrayList<>(live.keySet())) {
                int dice = random.nextInt(10);
                if (dice < 2) {
                    live.remove(id);
                    changed.put(id, null);
                } else if (dice < 5) {
                    live.put(id, id + ":" + save);
                    changed.put(id, live.get(id));
                }
            }
            while (live.size() < 20 && random.nextInt(3) > 0) {
                String id = "m" + created++;
                live.put(id, id + ":" + save);
                changed.put(id, live.get(id));
            }
            store.save(checkpoint(save), changed);
            if (save % 50 == 0) {
                store = open(repository.replica());
            }
        }
        assertThat(created).as("parts that came and went").isGreaterThan(500);
        assertThat(repository.keys()).as("keys: the checkpoint, the index and slots for at most 20 live parts")
                .hasSizeLessThanOrEqualTo(2 + 2 * 20);
        assertThat(load(repository).state().tracked()).isEqualTo(live);
    }

    @Test
    void aStaleReplicaCannotReuseASlotTheNewOwnerReused() {
        assertStaleWriterFenced(true, parts("x", "x:A"));
    }

    @Test
    void aStaleReplicaCannotWriteOverAPartTheNewOwnerWrote() {
        assertStaleWriterFenced(false, parts("a", "a:A"));
    }

    @Test
    void aStaleReplicasFreshSlotIsNoneOfTheNewOwnersAndItsIndexIsRefused() {
        assertStaleWriterFenced(false, parts("y", "y:A"));
    }

    /** A free slot is read when the checkpoint is loaded: the fence then holds for a slot this owner never wrote. */
    @Test
    void aStaleReplicaCannotReuseAFreeSlotItInheritedAndTheNewOwnerReused() {
        FencingStateRepository repository = new FencingStateRepository();
        CheckpointStore first = open(repository);
        first.save(checkpoint(1), parts("a", "a:1", "b", "b:1"));
        first.save(checkpoint(2), parts("b", null));
        CheckpointStore stale = open(repository.replica());
        CheckpointStore owner = open(repository.replica());
        owner.save(checkpoint(3), parts("a", "a:B", "d", "d:B"));

        assertThatThrownBy(() -> stale.save(checkpoint(3), parts("x", "x:A")))
                .isInstanceOf(StateWriteConflictException.class);
        assertThat(load(repository).state().tracked()).isEqualTo(parts("a", "a:B", "d", "d:B"));
    }

    @Test
    void aSlotTheIndexNamesThatHoldsNothingIsAnErrorThatSaysWhatToDo() {
        FencingStateRepository repository = new FencingStateRepository();
        repository.setState(KEY, checkpoint(1).toJson());
        repository.setState(INDEX, "p2|1|0|a|,1.1");
        assertThatThrownBy(() -> load(repository)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(KEY + "|1.1").hasMessageContaining("(part a)")
                .hasMessageContaining("Put back the keys").hasMessageContaining("remove them all");
        repository.setState(INDEX, "p2|x");
        assertThatThrownBy(() -> load(repository)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(INDEX).hasMessageContaining("not readable");
    }

    @Test
    void theSlotsOfAFirstSaveCutShortBeforeItsCheckpointAreReused() {
        FencingStateRepository repository = new FencingStateRepository();
        CheckpointStore store = open(repository);
        repository.failWrite(4); // a, b, the index; the checkpoint fails
        assertThatThrownBy(() -> store.save(checkpoint(1), parts("a", "a:1", "b", "b:1")))
                .isInstanceOf(CheckpointStore.Unavailable.class);

        CheckpointStore restarted = open(repository.replica());
        restarted.save(checkpoint(1), parts("c", "c:1", "d", "d:1"));
        assertThat(repository.keys()).containsExactlyInAnyOrder(KEY, INDEX, slot("1.1"), slot("1.2"));
        assertThat(load(repository).state().tracked()).isEqualTo(parts("c", "c:1", "d", "d:1"));
    }

    /**
     * Owner A stores parts a, b, c (and, with {@code freeSlot}, lets b go); B claims the checkpoint and stores its own
     * values, reusing b's slot; A, not knowing, saves {@code stale}: refused, and B's parts stay B's.
     */
    private void assertStaleWriterFenced(boolean freeSlot, Map<String, String> stale) {
        FencingStateRepository repository = new FencingStateRepository();
        CheckpointStore a = open(repository);
        a.save(checkpoint(1), parts("a", "a:1", "b", "b:1", "c", "c:1"));
        Map<String, String> owned = new TreeMap<>(parts("a", "a:B", "b", "b:B", "c", "c:B", "d", "d:B"));
        if (freeSlot) {
            a.save(checkpoint(2), parts("b", null));
            owned.remove("b");
        }
        CheckpointStore b = open(repository.replica());
        b.save(checkpoint(3), owned);

        assertThatThrownBy(() -> a.save(checkpoint(3), stale)).isInstanceOf(StateWriteConflictException.class);
        assertThat(load(repository).state().tracked()).isEqualTo(owned);
        b.save(checkpoint(4), parts("a", "a:B4"));
        owned.put("a", "a:B4");
        assertThat(load(repository).state().tracked()).isEqualTo(owned);
    }

    /**
     * Runs the script on a fresh store whose repository fails at the {@code failAt}th write (0: never).
     *
     * @return the save that failed, or the script's size + 1; the writes made when nothing failed
     */
    private int runScript(FencingStateRepository repository, List<Map<String, String>> script, int failAt) {
        CheckpointStore store = open(repository);
        repository.failWrite(failAt);
        Map<String, String> given = Map.of();
        for (int save = 1; save <= script.size(); save++) {
            try {
                store.save(checkpoint(save), changes(given, script.get(save - 1)));
            } catch (CheckpointStore.Unavailable e) {
                return save;
            }
            given = script.get(save - 1);
        }
        return failAt == 0 ? repository.writes.size() : script.size() + 1;
    }

    /** Each restored part is as of save k or as of save k + 1 (absent included), with its own value. */
    private static void assertBetween(Map<String, String> restored, Map<String, String> atK,
            Map<String, String> atNext, String as) {
        Set<String> ids = new HashSet<>(restored.keySet());
        ids.addAll(atK.keySet());
        ids.addAll(atNext.keySet());
        for (String id : ids) {
            assertThat(restored.get(id)).as(as + ", part " + id).isIn(atK.get(id), atNext.get(id));
        }
    }

    /** The parts after each save: up to {@code pool} ids, coming, changing and going. */
    private static List<Map<String, String>> script(Random random, int saves, int pool) {
        List<Map<String, String>> script = new ArrayList<>();
        Map<String, String> parts = new TreeMap<>();
        for (int save = 1; save <= saves; save++) {
            for (int i = 0; i < pool; i++) {
                String id = "p" + i;
                int dice = random.nextInt(20);
                if (parts.containsKey(id) && dice < 3) {
                    parts.remove(id);
                } else if (parts.containsKey(id) ? dice < 9 : dice < 6) {
                    parts.put(id, id + ":" + save);
                }
            }
            script.add(Map.copyOf(parts));
        }
        return script;
    }

    private static Map<String, String> state(List<Map<String, String>> script, int save) {
        return save == 0 ? Map.of() : script.get(Math.min(save, script.size()) - 1);
    }

    /** What takeChangedParts returns between two states: changed and new parts, null for those gone. */
    private static Map<String, String> changes(Map<String, String> from, Map<String, String> to) {
        Map<String, String> changed = new LinkedHashMap<>();
        from.keySet().stream().filter(id -> !to.containsKey(id)).forEach(id -> changed.put(id, null));
        to.forEach((id, value) -> {
            if (!value.equals(from.get(id))) {
                changed.put(id, value);
            }
        });
        return changed;
    }

    private CheckpointStore open(FencingStateRepository repository) {
        CheckpointStore store = new CheckpointStore(repository, KEY, bytes::addAndGet);
        store.claim(store.load());
        return store;
    }

    private static ConsumerCheckpoint load(FencingStateRepository repository) {
        return new CheckpointStore(repository.replica(), KEY, n -> {
        }).load();
    }

    private static List<String> takeWrites(FencingStateRepository repository) {
        List<String> writes = List.copyOf(repository.writes);
        repository.writes.clear();
        return writes;
    }

    private static ConsumerCheckpoint checkpoint(long save) {
        return new ConsumerCheckpoint(new FollowingExport.Range(1, null, true),
                new FollowingExport.State(1, null, null, false, null, null, null, save, null));
    }

    private static String slot(String name) {
        return KEY + "|" + name;
    }

    /** id, value, id, value...; a null value is a part that is gone. */
    private static Map<String, String> parts(String... idsAndValues) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (int i = 0; i < idsAndValues.length; i += 2) {
            parts.put(idsAndValues[i], idsAndValues[i + 1]);
        }
        return parts;
    }
}
