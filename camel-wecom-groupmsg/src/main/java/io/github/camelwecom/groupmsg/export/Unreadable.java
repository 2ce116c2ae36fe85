package io.github.camelwecom.groupmsg.export;

import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import io.github.camelwecom.groupmsg.client.WecomApiException;

/**
 * A message's tasks or a member's send results that WeCom refused with an errcode about that data alone (e.g. 60011:
 * the app may not see the member), left to be read again later instead of holding up every record after it. It is the
 * content of a {@link ExportRecord.Change#NONE} marker where the refusal happened, and what a consumer keeps until a
 * later read succeeds.
 *
 * @param api {@link GroupMsgApi#TASK}: the message's tasks (and, for result exports, its members' results);
 * {@link GroupMsgApi#RESULT}: one member's send results
 * @param createTime the message's create_time, when known
 * @param userid the member, for {@link GroupMsgApi#RESULT}
 * @param resume where reading it again continues (no window or list position): what came before was handed on
 * @param taskState result exports: the member's task as last read ({@link MemberState#taskState})
 * @param taskSent result exports: that task said sent
 * @param handedOn follow mode: the member's send results handed on before the refusal ({@link ResultsView.Builder})
 * @param refusedIn the pass in which WeCom refused it last
 */
public record Unreadable(GroupMsgApi api, String msgid, Long createTime, String userid, ExportPosition resume,
        int errcode, String errmsg, int taskState, boolean taskSent, String handedOn, long refusedIn) {

    /** WeCom's refusal, for a reader that does not go on without it. */
    public WecomApiException failure() {
        return WecomApiException.ofErrcode(api.path(), errcode, errmsg);
    }

    Unreadable refusedIn(long pass, String handedOnBefore) {
        return new Unreadable(api, msgid, createTime, userid, resume, errcode, errmsg, taskState, taskSent,
                handedOnBefore, pass);
    }

    /**
     * Refused again by a retry, which reads without the listed message and task: what those told is kept from the first
     * refusal.
     */
    Unreadable refusedAgain(Unreadable again, long pass, String handedOnSince) {
        return new Unreadable(api, msgid, createTime, userid, again.resume, again.errcode, again.errmsg, taskState,
                taskSent, ResultsView.Builder.join(handedOn, handedOnSince), pass);
    }

    /** Read on to {@code position} by a retry. */
    Unreadable readTo(ExportPosition position) {
        return new Unreadable(api, msgid, createTime, userid, position, errcode, errmsg, taskState, taskSent,
                handedOn, refusedIn);
    }

    /** The key of the read: one per message's tasks or member's results. */
    String key() {
        return key(api, msgid, userid);
    }

    static String key(GroupMsgApi api, String msgid, String userid) {
        return api.uriName() + ' ' + msgid + (userid == null ? "" : ' ' + userid);
    }
}
