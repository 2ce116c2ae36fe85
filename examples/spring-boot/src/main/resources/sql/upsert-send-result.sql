-- Inserts a send result, or replaces the row with the same key: a result that comes again with
-- CamelWecomGroupMsgChange=UPDATED (its status or send_time changed) overwrites what an earlier poll stored, and a
-- second run over the same range adds no row. H2's MERGE ... KEY; on PostgreSQL this is
-- INSERT ... ON CONFLICT (msgid, userid, external_userid, chat_id) DO UPDATE SET ...
MERGE INTO wecom_groupmsg_send_result
    (msgid, userid, external_userid, chat_id, status, send_time, chat_type, create_time, last_change, updated_at)
KEY (msgid, userid, external_userid, chat_id)
VALUES (:#msgid, :#userid, :#external_userid, :#chat_id, :#status, :#send_time, :#chat_type, :#create_time,
        :#last_change, CURRENT_TIMESTAMP)
