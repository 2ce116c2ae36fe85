-- One row per send result, keyed like WeCom keys it: a record that comes again (CamelWecomGroupMsgChange=UPDATED,
-- or an export run twice) replaces its row. external_userid and chat_id are '' where WeCom leaves them out, since a
-- NULL never matches in a key.
MERGE INTO wecom_groupmsg_send_result
    (msgid, userid, external_userid, chat_id, status, send_time, chat_type, create_time, last_change, updated_at)
KEY (msgid, userid, external_userid, chat_id)
VALUES (:#msgid, :#userid, :#external_userid, :#chat_id, :#status, :#send_time, :#chat_type, :#create_time,
        :#last_change, CURRENT_TIMESTAMP)
