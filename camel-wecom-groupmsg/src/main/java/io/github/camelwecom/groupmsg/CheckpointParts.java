package io.github.camelwecom.groupmsg;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's tracked parts of one checkpoint, each under a slot key {@code <key>|<slot>}, and which part is in which
 * slot under {@code <key>|parts} (the index, with the free slots and the claim count). A save writes the changed parts,
 * then the index if a part came or went; the checkpoint JSON goes last, so parts are never behind it.
 * <p>
 * Slots are reused because the StateRepository SPI cannot delete. A slot freed becomes reusable only once an index that
 * no longer names it was written: a crash between writes never leaves the stored index naming a slot that holds another
 * part. Fresh slots are named {@code <claims>.<n>}; the claim count goes up at each claim, so a replica that lost the
 * export never writes a fresh name of the new owner, and a free slot is read before it is reused, so a fencing
 * repository refuses a stale replica's write to any slot the new owner wrote.
 */
final class CheckpointParts {

    /** The repository's reads and writes, failures already turned into the store's exceptions. */
    interface Keys {
        String get(String key);

        void set(String key, String value);
    }

    static final String INDEX = "parts";
    private static final String FORMAT = "p2";
    private static final String SEP = "|";

    private final String key;
    private final Keys keys;
    /** part id to slot, as the next index write stores it. */
    private final Map<String, String> slots = new LinkedHashMap<>();
    /** Slots no stored index names: reusable. */
    private final Deque<String> free = new ArrayDeque<>();
    /** Slots freed since the index was last written: the stored index may still name them. */
    private final List<String> freed = new ArrayList<>();
    /** Changed parts not written yet (null: the part is gone), kept across a save that failed. */
    private final Map<String, String> pending = new LinkedHashMap<>();
    private long claims;
    private long named;
    private boolean stored;
    private boolean indexChanged;

    CheckpointParts(String key, Keys keys) {
        this.key = key;
        this.keys = keys;
    }

    /**
     * Reads the index and every slot it names or lists as free.
     *
     * @param restore whether a checkpoint JSON was read: without one an index (of a first save that crashed) names
     * nothing to restore, and its slots are all free after the claim
     * @return the parts, id to value (empty without an index)
     * @throws IllegalStateException when the index cannot be read or names a slot that holds nothing
     */
    Map<String, String> load(boolean restore) {
        String index = keys.get(indexKey());
        Map<String, String> parts = new LinkedHashMap<>();
        if (index == null) {
            return parts;
        }
        parse(index);
        stored = true;
        free.forEach(slot -> keys.get(slotKey(slot)));
        if (!restore) {
            slots.values().forEach(slot -> keys.get(slotKey(slot)));
            freed.addAll(slots.values());
            slots.clear();
            indexChanged = true;
        }
        for (Map.Entry<String, String> part : slots.entrySet()) {
            String value = keys.get(slotKey(part.getValue()));
            if (value == null) {
                throw incomplete("names slot " + slotKey(part.getValue()) + " (part " + part.getKey()
                        + "), which holds no value");
            }
            parts.put(part.getKey(), value);
        }
        return parts;
    }

    /** Takes the checkpoint over: a new claim count, stored at once when an index exists, to fence older owners. */
    void claim() {
        claims++;
        named = 0;
        if (stored) {
            indexChanged = true;
            writeIndex();
        }
    }

    /**
     * Writes the parts changed now and those a failed save left, then the index if a part came or went.
     *
     * @param changed id to new value, or to null for a part that is gone
     */
    void save(Map<String, String> changed) {
        pending.putAll(changed);
        for (var it = pending.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, String> part = it.next();
            if (part.getValue() == null) {
                release(part.getKey());
            } else {
                keys.set(slotKey(slotFor(part.getKey())), part.getValue());
            }
            it.remove();
        }
        if (indexChanged) {
            writeIndex();
        }
    }

    private void release(String id) {
        String slot = slots.remove(id);
        if (slot != null) {
            freed.add(slot);
            indexChanged = true;
        }
    }

    private String slotFor(String id) {
        String slot = slots.get(id);
        if (slot == null) {
            slot = free.isEmpty() ? claims + "." + ++named : free.poll();
            slots.put(id, slot);
            indexChanged = true;
        }
        return slot;
    }

    private void writeIndex() {
        StringBuilder index = new StringBuilder(FORMAT).append(SEP).append(claims).append(SEP)
                .append(free.size() + freed.size());
        free.forEach(slot -> index.append(SEP).append(slot));
        freed.forEach(slot -> index.append(SEP).append(slot));
        grouped().forEach((prefix, pairs) -> index.append(SEP).append(prefix).append(SEP).append(pairs));
        keys.set(indexKey(), index.toString());
        stored = true;
        indexChanged = false;
        free.addAll(freed);
        freed.clear();
    }

    /**
     * The parts by the id's text before its last '.' (the engine's message), each group's suffixes and slots as
     * {@code suffix,slot;suffix,slot}: a message's id is written once, not once per part.
     */
    private Map<String, StringBuilder> grouped() {
        Map<String, StringBuilder> groups = new LinkedHashMap<>();
        slots.forEach((id, slot) -> {
            int dot = id.lastIndexOf('.');
            StringBuilder pairs = groups.computeIfAbsent(dot < 0 ? id : id.substring(0, dot),
                    k -> new StringBuilder());
            pairs.append(pairs.isEmpty() ? "" : ";").append(dot < 0 ? "" : id.substring(dot)).append(',')
                    .append(slot);
        });
        return groups;
    }

    /** {@code p2|claims|free count|free slots...|prefix|suffix,slot;suffix,slot|...}: '|' is in no part id. */
    private void parse(String index) {
        String[] fields = index.split("\\|", -1);
        try {
            if (fields.length < 3 || !FORMAT.equals(fields[0])) {
                throw incomplete("is not an index this version reads");
            }
            claims = Long.parseLong(fields[1]);
            int freeCount = Integer.parseInt(fields[2]);
            int groups = fields.length - 3 - freeCount;
            if (freeCount < 0 || groups < 0 || groups % 2 != 0) {
                throw incomplete("is not readable");
            }
            free.addAll(List.of(fields).subList(3, 3 + freeCount));
            for (int i = 3 + freeCount; i < fields.length; i += 2) {
                for (String pair : fields[i + 1].split(";")) {
                    int comma = pair.lastIndexOf(',');
                    if (comma < 0) {
                        throw incomplete("is not readable");
                    }
                    slots.put(fields[i] + pair.substring(0, comma), pair.substring(comma + 1));
                }
            }
        } catch (NumberFormatException e) {
            throw incomplete("is not readable");
        }
    }

    private IllegalStateException incomplete(String problem) {
        return new IllegalStateException("Checkpoint " + key + " in the stateRepository is not readable: its parts "
                + "index " + indexKey() + " " + problem + ". Put back the keys " + key + ", " + indexKey() + " and "
                + key + SEP + "<slot> together as they were written, or remove them all to export again from "
                + "startTime (records emitted before come again)");
    }

    private String indexKey() {
        return key + SEP + INDEX;
    }

    private String slotKey(String slot) {
        return key + SEP + slot;
    }
}
