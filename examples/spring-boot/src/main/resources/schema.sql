-- One row per send result of a WeCom mass message (get_groupmsg_send_result); the same table as the java-dsl
-- example's. external_userid and chat_id are '' where WeCom leaves them out (a group chat has no customer, a
-- customer no chat): a NULL would never match in the upsert's key.
CREATE TABLE IF NOT EXISTS wecom_groupmsg_send_result (
    msgid           VARCHAR(128) NOT NULL,
    userid          VARCHAR(128) NOT NULL,
    external_userid VARCHAR(128) DEFAULT '' NOT NULL,
    chat_id         VARCHAR(128) DEFAULT '' NOT NULL,
    -- 0 not sent, 1 sent, 2 failed: not a contact, 3 failed: the customer already got a mass message
    status          INT NOT NULL,
    -- epoch seconds; NULL until sent
    send_time       BIGINT,
    -- single or group
    chat_type       VARCHAR(8) NOT NULL,
    -- the message's, epoch seconds
    create_time     BIGINT,
    -- NEW or UPDATED: the CamelWecomGroupMsgChange of the record that last wrote the row
    last_change     VARCHAR(8) NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (msgid, userid, external_userid, chat_id)
);
