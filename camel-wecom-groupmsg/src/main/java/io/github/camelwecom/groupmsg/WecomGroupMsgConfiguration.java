package io.github.camelwecom.groupmsg;

import java.time.Duration;

import io.github.camelwecom.groupmsg.client.AccessTokenProvider;
import io.github.camelwecom.groupmsg.client.ChatType;
import io.github.camelwecom.groupmsg.client.ClientSettings;
import io.github.camelwecom.groupmsg.client.GroupMsgApi;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/**
 * Every option of a wecom-groupmsg endpoint; the component holds one as defaults that each endpoint copies.
 */
@UriParams
public class WecomGroupMsgConfiguration implements Cloneable {

    public static final String DEFAULT_BASE_URL = ClientSettings.DEFAULT_BASE_URL;

    @UriPath(enums = "list,task,result")
    @Metadata(required = true,
            description = "Which records: list (the mass messages, get_groupmsg_list_v2), task (each member's task "
                    + "of a message, get_groupmsg_task) or result (each send result, "
                    + "get_groupmsg_send_result)")
    private GroupMsgApi api;

    @UriParam(label = "security", description = "The corp ID (企业ID) used with corpSecret to get access tokens")
    private String corpId;
    @UriParam(label = "security", secret = true,
            description = "The secret of an app with customer-contact permission; masked in logs and URI dumps")
    private String corpSecret;
    @UriParam(label = "security",
            description = "A bean that supplies access tokens (third-party and 代开发 apps, a shared token "
                    + "service); replaces corpId and corpSecret")
    private AccessTokenProvider accessTokenProvider;
    @UriParam(label = "advanced", defaultValue = DEFAULT_BASE_URL,
            description = "The WeCom API root; http:// is accepted only for loopback test servers")
    private String baseUrl = DEFAULT_BASE_URL;

    @UriParam(defaultValue = "single", enums = "single,group",
            description = "List messages sent to customers (single) or to customer group chats (group)")
    private ChatType chatType = ChatType.SINGLE;
    @UriParam(defaultValue = "-P1D",
            description = "Oldest create_time to export: epoch seconds, an ISO date (midnight in timeZone), an ISO "
                    + "date-time, or a negative ISO duration relative to now such as -P7D")
    private String startTime = "-P1D";
    @UriParam(description = "Newest create_time to export, inclusive, in the same formats as startTime; absent means "
            + "a consumer keeps following new records")
    private String endTime;
    @UriParam(defaultValue = "Asia/Shanghai", description = "Time zone for dates and date-times without an offset")
    private String timeZone = "Asia/Shanghai";
    @UriParam(description = "Only messages created by this member (userid)")
    private String creator;
    @UriParam(defaultValue = "2", enums = "0,1,2",
            description = "Which messages: 0 created by the enterprise, 1 by members, 2 all")
    private int filterType = 2;
    @UriParam(description = "task and result: only this message; absent means every message the list options select")
    private String msgid;
    @UriParam(description = "result: only this member's send results; absent means every member in the message's "
            + "task list")
    private String userid;
    @UriParam(description = "Page size sent to WeCom: 1..100 for list, 1..1000 for task and result; default the "
            + "maximum (fewest calls)")
    private Integer limit;
    @UriParam(defaultValue = "P30D", javaType = "java.time.Duration",
            description = "Longest start_time..end_time span of one list query; at most 31 days (WeCom refuses more)")
    private long windowSize = Duration.ofDays(30).toMillis();
    @UriParam(label = "consumer", defaultValue = "PT10M", javaType = "java.time.Duration",
            description = "How far back each follow-mode poll reads again, for records WeCom shows late; records "
                    + "already emitted are not emitted again")
    private long overlap = Duration.ofMinutes(10).toMillis();
    @UriParam(label = "consumer", defaultValue = "P3D", javaType = "java.time.Duration",
            description = "task and result consumers in follow mode: how long after a message was created its "
                    + "tasks are read again each poll (until every member sent it), and a member's send results "
                    + "when its task changed; a record whose own status or send_time changed is emitted again "
                    + "with header CamelWecomGroupMsgChange=UPDATED")
    private long trackChangesFor = Duration.ofDays(3).toMillis();
    @UriParam(label = "consumer", defaultValue = "PT6H", javaType = "java.time.Duration",
            description = "result consumers in follow mode: a member's send results are read again when its task "
                    + "is new or changed, and besides once per this interval while they can still change (some "
                    + "unsent), spread over the polls, in case they changed without the task showing it; a result "
                    + "whose status changed comes again as UPDATED. 0 turns this off")
    private long reconcileInterval = Duration.ofHours(6).toMillis();
    @UriParam(label = "consumer", defaultValue = "true",
            description = "task and result consumers: when WeCom refuses one message's tasks or one member's send "
                    + "results with an errcode about that data alone (e.g. 60011: the app may not see that "
                    + "member), log a WARN, count it, emit every other record, and read it again on later "
                    + "polls; false fails the poll at it instead, as every other WeCom error does")
    private boolean skipUnreadableMessages = true;
    @UriParam(label = "consumer", defaultValue = "false",
            description = "For an application that only exports: end it, with exit status 0 once every consumer "
                    + "with this option has read its bounded range (endTime) to the end with nothing WeCom refused, "
                    + "and 1 as soon as one fails: a poll failed after the client's retries (e.g. a wrong secret), "
                    + "its route was stopped (authorization cancelled), or its range ended with messages or members "
                    + "WeCom refused. Camel is stopped first (each route stores its checkpoint), then the JVM exits; "
                    + "without endTime only a failure ends it")
    private boolean shutdownWhenDone;
    @UriParam(label = "consumer",
            description = "A StateRepository bean that keeps the consumer's checkpoint, so that a "
                    + "restarted route resumes where it stopped; in memory when absent")
    private StateRepository<String, String> stateRepository;
    @UriParam(label = "consumer", defaultValue = "PT5M", javaType = "java.time.Duration",
            description = "Follow mode: how often the consumer logs one INFO line saying it is alive: records "
                    + "emitted NEW and UPDATED since the last line and in total, API calls and the busiest API's "
                    + "share of WeCom's quota (10,000 calls a minute per corp and API), and up to when the export "
                    + "is complete. Logged at the end of the first poll after the interval; 0 turns it off")
    private long summaryInterval = Duration.ofMinutes(5).toMillis();
    @UriParam(label = "consumer", defaultValue = "0",
            description = "Most records handed to the route in one poll (one Camel batch; the checkpoint moves after "
                    + "each); 0 means one page (limit). The consumer polls again at once while the export has "
                    + "more")
    private int maxMessagesPerPoll;
    @UriParam(defaultValue = "4",
            description = "API requests in flight at once: list windows read ahead, and for task and result the "
                    + "fan-out over messages and members")
    private int concurrency = 4;
    @UriParam(label = "advanced", defaultValue = "0",
            description = "Client-side limit of API requests per second for this endpoint, as WeCom counts them: "
                    + "at most this many in any one-second span, however late a thread sends (a request "
                    + "counts until a second after its answer); fractions above 1 are rounded down, 0.5 "
                    + "means one request every 2 seconds, 0 means no limit")
    private double maxRequestsPerSecond;
    @UriParam(label = "advanced", defaultValue = "5",
            description = "How many times one call is repeated after a retriable failure")
    private int maxRetries = ClientSettings.Retries.DEFAULT.maxRetries();
    @UriParam(label = "advanced", defaultValue = "500ms", javaType = "java.time.Duration",
            description = "Wait before the first retry; doubled for each further retry")
    private long retryDelay = ClientSettings.Retries.DEFAULT.retryDelay().toMillis();
    @UriParam(label = "advanced", defaultValue = "30s", javaType = "java.time.Duration",
            description = "Longest wait between retries")
    private long maxRetryDelay = ClientSettings.Retries.DEFAULT.maxRetryDelay().toMillis();
    @UriParam(label = "advanced", defaultValue = "5s", javaType = "java.time.Duration",
            description = "HTTP connect timeout")
    private long connectTimeout = ClientSettings.Timeouts.DEFAULT.connect().toMillis();
    @UriParam(label = "advanced", defaultValue = "30s", javaType = "java.time.Duration",
            description = "HTTP response timeout: how long to wait for an answer")
    private long responseTimeout = ClientSettings.Timeouts.DEFAULT.response().toMillis();

    public GroupMsgApi getApi() {
        return api;
    }

    public void setApi(GroupMsgApi api) {
        this.api = api;
    }

    public String getCorpId() {
        return corpId;
    }

    public void setCorpId(String corpId) {
        this.corpId = corpId;
    }

    public String getCorpSecret() {
        return corpSecret;
    }

    public void setCorpSecret(String corpSecret) {
        this.corpSecret = corpSecret;
    }

    public AccessTokenProvider getAccessTokenProvider() {
        return accessTokenProvider;
    }

    public void setAccessTokenProvider(AccessTokenProvider accessTokenProvider) {
        this.accessTokenProvider = accessTokenProvider;
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public ChatType getChatType() {
        return chatType;
    }

    public void setChatType(ChatType chatType) {
        this.chatType = chatType;
    }

    public String getStartTime() {
        return startTime;
    }

    public void setStartTime(String startTime) {
        this.startTime = startTime;
    }

    public String getEndTime() {
        return endTime;
    }

    public void setEndTime(String endTime) {
        this.endTime = endTime;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public String getCreator() {
        return creator;
    }

    public void setCreator(String creator) {
        this.creator = creator;
    }

    public int getFilterType() {
        return filterType;
    }

    public void setFilterType(int filterType) {
        this.filterType = filterType;
    }

    public String getMsgid() {
        return msgid;
    }

    public void setMsgid(String msgid) {
        this.msgid = msgid;
    }

    public String getUserid() {
        return userid;
    }

    public void setUserid(String userid) {
        this.userid = userid;
    }

    public Integer getLimit() {
        return limit;
    }

    public void setLimit(Integer limit) {
        this.limit = limit;
    }

    public long getWindowSize() {
        return windowSize;
    }

    public void setWindowSize(long windowSize) {
        this.windowSize = windowSize;
    }

    public long getOverlap() {
        return overlap;
    }

    public void setOverlap(long overlap) {
        this.overlap = overlap;
    }

    public long getTrackChangesFor() {
        return trackChangesFor;
    }

    public void setTrackChangesFor(long trackChangesFor) {
        this.trackChangesFor = trackChangesFor;
    }

    public long getReconcileInterval() {
        return reconcileInterval;
    }

    public void setReconcileInterval(long reconcileInterval) {
        this.reconcileInterval = reconcileInterval;
    }

    public boolean isSkipUnreadableMessages() {
        return skipUnreadableMessages;
    }

    public void setSkipUnreadableMessages(boolean skipUnreadableMessages) {
        this.skipUnreadableMessages = skipUnreadableMessages;
    }

    public boolean isShutdownWhenDone() {
        return shutdownWhenDone;
    }

    public void setShutdownWhenDone(boolean shutdownWhenDone) {
        this.shutdownWhenDone = shutdownWhenDone;
    }

    public StateRepository<String, String> getStateRepository() {
        return stateRepository;
    }

    public void setStateRepository(StateRepository<String, String> stateRepository) {
        this.stateRepository = stateRepository;
    }

    public long getSummaryInterval() {
        return summaryInterval;
    }

    public void setSummaryInterval(long summaryInterval) {
        this.summaryInterval = summaryInterval;
    }

    public int getMaxMessagesPerPoll() {
        return maxMessagesPerPoll;
    }

    public void setMaxMessagesPerPoll(int maxMessagesPerPoll) {
        this.maxMessagesPerPoll = maxMessagesPerPoll;
    }

    public int getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public double getMaxRequestsPerSecond() {
        return maxRequestsPerSecond;
    }

    public void setMaxRequestsPerSecond(double maxRequestsPerSecond) {
        this.maxRequestsPerSecond = maxRequestsPerSecond;
    }

    public int getMaxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    public long getRetryDelay() {
        return retryDelay;
    }

    public void setRetryDelay(long retryDelay) {
        this.retryDelay = retryDelay;
    }

    public long getMaxRetryDelay() {
        return maxRetryDelay;
    }

    public void setMaxRetryDelay(long maxRetryDelay) {
        this.maxRetryDelay = maxRetryDelay;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long getResponseTimeout() {
        return responseTimeout;
    }

    public void setResponseTimeout(long responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    public WecomGroupMsgConfiguration copy() {
        try {
            return (WecomGroupMsgConfiguration) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }
}
