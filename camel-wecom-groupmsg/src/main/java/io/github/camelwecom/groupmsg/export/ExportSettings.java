package io.github.camelwecom.groupmsg.export;

/**
 * How a {@link FollowingExport} runs, as its options say: what each pass reads, how passes follow now, and what a
 * refusal of one message's data does.
 *
 * @param lookbackSeconds how far before where a following pass ended the next one starts, to see late records and
 * changes again
 * @param reconcileSeconds result exports in follow mode: how often each tracked member's results are read whatever its
 * task says; 0 never
 * @param skipUnreadable data WeCom refuses for one message or member alone is kept and read again by later passes while
 * the rest goes on; false fails there
 */
public record ExportSettings(ExportSpec spec, long lookbackSeconds, long reconcileSeconds, boolean skipUnreadable) {
}
