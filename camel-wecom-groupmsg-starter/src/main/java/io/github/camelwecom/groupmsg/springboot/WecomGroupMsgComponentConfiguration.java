package io.github.camelwecom.groupmsg.springboot;

import java.time.Duration;

import io.github.camelwecom.groupmsg.WecomGroupMsgConfiguration;
import io.github.camelwecom.groupmsg.client.AccessTokenProvider;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The wecom-groupmsg component's options as Spring Boot properties, {@code camel.component.wecom-groupmsg.*}: one
 * property per component option in the component's catalog ({@code wecom-groupmsg.json}), with its description.
 * They are defaults for every endpoint; an option on an endpoint URI wins.
 *
 * <p>As in apache/camel-spring-boot's starters, primitives become wrapper types and a bean-typed option
 * ({@code accessTokenProvider}, {@code stateRepository}, {@code configuration}) takes a reference such as
 * {@code #bean:myRepository} (see {@link WecomGroupMsgComponentConverter}). Unlike the generated starters, the
 * duration options are {@link Duration}s, so the same text as on the URI works: {@code 500ms}, {@code 30s},
 * {@code PT10M}, {@code P30D} (a plain number is milliseconds). {@code WecomGroupMsgComponentConfigurationTest}
 * fails when an option of the catalog is missing here.
 */
@ConfigurationProperties(prefix = "camel.component.wecom-groupmsg")
public class WecomGroupMsgComponentConfiguration extends ComponentConfigurationPropertiesCommon {

    /**
     * Whether to enable auto configuration of the wecom-groupmsg component. This is enabled by default.
     */
    @SuppressWarnings("unused") // only so that the configuration processor has a description for "enabled"
    private Boolean enabled;

    /**
     * List messages sent to customers (single) or to customer group chats (group)
     */
    private String chatType = "single";

    /**
     * API requests in flight at once: list windows read ahead, and for task and result the fan-out over messages
     * and members
     */
    private Integer concurrency = 4;

    /**
     * Defaults for every endpoint of this component; an endpoint's own options win. The option is a
     * io.github.camelwecom.groupmsg.WecomGroupMsgConfiguration type.
     */
    private WecomGroupMsgConfiguration configuration;

    /**
     * Only messages created by this member (userid)
     */
    private String creator;

    /**
     * Newest create_time to export, inclusive, in the same formats as startTime; absent means a consumer keeps
     * following new records
     */
    private String endTime;

    /**
     * Which messages: 0 created by the enterprise, 1 by members, 2 all
     */
    private Integer filterType = 2;

    /**
     * Page size sent to WeCom: 1..100 for list, 1..1000 for task and result; default the maximum (fewest calls)
     */
    private Integer limit;

    /**
     * task and result: only this message; absent means every message the list options select
     */
    private String msgid;

    /**
     * Oldest create_time to export: epoch seconds, an ISO date (midnight in timeZone), an ISO date-time, or a
     * negative ISO duration relative to now such as -P7D
     */
    private String startTime = "-P1D";

    /**
     * Time zone for dates and date-times without an offset
     */
    private String timeZone = "Asia/Shanghai";

    /**
     * result: only this member's send results; absent means every member in the message's task list
     */
    private String userid;

    /**
     * Longest start_time..end_time span of one list query; at most 31 days (WeCom refuses more). The option is a
     * java.time.Duration type.
     */
    private Duration windowSize = Duration.ofDays(30);

    /**
     * Allows for bridging the consumer to the Camel routing Error Handler, which mean any exceptions (if possible)
     * occurred while the Camel consumer is trying to pickup incoming messages, or the likes, will now be processed
     * as a message and handled by the routing Error Handler. Important: This is only possible if the 3rd party
     * component allows Camel to be alerted if an exception was thrown. Some components handle this internally only,
     * and therefore bridgeErrorHandler is not possible. In other situations we may improve the Camel component to
     * hook into the 3rd party component and make this possible for future releases. By default the consumer will use
     * the org.apache.camel.spi.ExceptionHandler to deal with exceptions, that will be logged at WARN or ERROR level
     * and ignored.
     */
    private Boolean bridgeErrorHandler = false;

    /**
     * Most records handed to the route in one poll (one Camel batch; the checkpoint moves after each); 0 means one
     * page (limit). The consumer polls again at once while the export has more
     */
    private Integer maxMessagesPerPoll = 0;

    /**
     * How far back each follow-mode poll reads again, for records WeCom shows late; records already emitted are not
     * emitted again. The option is a java.time.Duration type.
     */
    private Duration overlap = Duration.ofMinutes(10);

    /**
     * A StateRepository bean that keeps the consumer's checkpoint, so that a restarted route resumes where it
     * stopped; in memory when absent. The option is a org.apache.camel.spi.StateRepository<java.lang.String,
     * java.lang.String> type.
     */
    private StateRepository<String, String> stateRepository;

    /**
     * task and result consumers in follow mode: how long after a message was created its tasks are read again each
     * poll, and a member's send results when its task changed; a changed status or send_time is emitted again with
     * header CamelWecomGroupMsgChange=UPDATED. The option is a java.time.Duration type.
     */
    private Duration trackChangesFor = Duration.ofDays(3);

    /**
     * result consumers in follow mode: a member's send results are read again when its task is new or changed, and
     * besides once per this interval while tracked, spread over the polls, in case they changed without it; results
     * that differ from what was emitted come again as UPDATED. 0 turns this off. The option is a java.time.Duration
     * type.
     */
    private Duration reconcileInterval = Duration.ofHours(6);

    /**
     * task and result consumers: when WeCom refuses one message's tasks or one member's send results with an errcode
     * about that data alone (e.g. 60011: the app may not see that member), log a WARN, count it, emit every other
     * record, and read it again on later polls; false fails the poll at it instead, as every other WeCom error does.
     */
    private Boolean skipUnreadableMessages = true;

    /**
     * Whether the producer should be started lazy (on the first message). By starting lazy you can use this to allow
     * CamelContext and routes to startup in situations where a producer may otherwise fail during starting and cause
     * the route to fail being started. By deferring this startup to be lazy then the startup failure can be handled
     * during routing messages via Camel's routing error handlers. Beware that when the first message is processed
     * then creating and starting the producer may take a little time and prolong the total processing time of the
     * processing.
     */
    private Boolean lazyStartProducer = false;

    /**
     * Whether autowiring is enabled. This is used for automatic autowiring options (the option must be marked as
     * autowired) by looking up in the registry to find if there is a single instance of matching type, which then
     * gets configured on the component. This can be used for automatic configuring JDBC data sources, JMS connection
     * factories, AWS Clients, etc.
     */
    private Boolean autowiredEnabled = true;

    /**
     * The WeCom API root; http:// is accepted only for loopback test servers
     */
    private String baseUrl = "https://qyapi.weixin.qq.com";

    /**
     * HTTP connect timeout. The option is a java.time.Duration type.
     */
    private Duration connectTimeout = Duration.ofSeconds(5);

    /**
     * Client-side limit of API requests per second for this endpoint, as WeCom counts them: at most this many in any
     * one-second span, however late a thread sends (a request counts until a second after its answer); fractions
     * above 1 are rounded down, 0.5 means one request every 2 seconds, 0 means no limit
     */
    private Double maxRequestsPerSecond = 0.0;

    /**
     * How many times one call is repeated after a retriable failure
     */
    private Integer maxRetries = 5;

    /**
     * Longest wait between retries. The option is a java.time.Duration type.
     */
    private Duration maxRetryDelay = Duration.ofSeconds(30);

    /**
     * HTTP response timeout: how long to wait for an answer. The option is a java.time.Duration type.
     */
    private Duration responseTimeout = Duration.ofSeconds(30);

    /**
     * Wait before the first retry; doubled for each further retry. The option is a java.time.Duration type.
     */
    private Duration retryDelay = Duration.ofMillis(500);

    /**
     * Threads of the scheduler every consumer of this component shares (unless it has its own
     * scheduledExecutorService); hundreds of endpoints, e.g. one per corp, poll on these instead of a thread each
     */
    private Integer schedulerPoolSize = 10;

    /**
     * Used for enabling or disabling all consumer based health checks from this component
     */
    private Boolean healthCheckConsumerEnabled = true;

    /**
     * Used for enabling or disabling all producer based health checks from this component. Notice: Camel has by
     * default disabled all producer based health-checks. You can turn on producer checks globally by setting
     * camel.health.producersEnabled=true.
     */
    private Boolean healthCheckProducerEnabled = true;

    /**
     * A bean that supplies access tokens (third-party and 代开发 apps, a shared token service); replaces corpId and
     * corpSecret. The option is a io.github.camelwecom.groupmsg.client.AccessTokenProvider type.
     */
    private AccessTokenProvider accessTokenProvider;

    /**
     * The corp ID (企业ID) used with corpSecret to get access tokens
     */
    private String corpId;

    /**
     * The secret of an app with customer-contact permission; masked in logs and URI dumps
     */
    private String corpSecret;

    public String getChatType() {
        return chatType;
    }

    public void setChatType(String chatType) {
        this.chatType = chatType;
    }

    public Integer getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(Integer concurrency) {
        this.concurrency = concurrency;
    }

    public WecomGroupMsgConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(WecomGroupMsgConfiguration configuration) {
        this.configuration = configuration;
    }

    public String getCreator() {
        return creator;
    }

    public void setCreator(String creator) {
        this.creator = creator;
    }

    public String getEndTime() {
        return endTime;
    }

    public void setEndTime(String endTime) {
        this.endTime = endTime;
    }

    public Integer getFilterType() {
        return filterType;
    }

    public void setFilterType(Integer filterType) {
        this.filterType = filterType;
    }

    public Integer getLimit() {
        return limit;
    }

    public void setLimit(Integer limit) {
        this.limit = limit;
    }

    public String getMsgid() {
        return msgid;
    }

    public void setMsgid(String msgid) {
        this.msgid = msgid;
    }

    public String getStartTime() {
        return startTime;
    }

    public void setStartTime(String startTime) {
        this.startTime = startTime;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public String getUserid() {
        return userid;
    }

    public void setUserid(String userid) {
        this.userid = userid;
    }

    public Duration getWindowSize() {
        return windowSize;
    }

    public void setWindowSize(Duration windowSize) {
        this.windowSize = windowSize;
    }

    public Boolean getBridgeErrorHandler() {
        return bridgeErrorHandler;
    }

    public void setBridgeErrorHandler(Boolean bridgeErrorHandler) {
        this.bridgeErrorHandler = bridgeErrorHandler;
    }

    public Integer getMaxMessagesPerPoll() {
        return maxMessagesPerPoll;
    }

    public void setMaxMessagesPerPoll(Integer maxMessagesPerPoll) {
        this.maxMessagesPerPoll = maxMessagesPerPoll;
    }

    public Duration getOverlap() {
        return overlap;
    }

    public void setOverlap(Duration overlap) {
        this.overlap = overlap;
    }

    public StateRepository<String, String> getStateRepository() {
        return stateRepository;
    }

    public void setStateRepository(StateRepository<String, String> stateRepository) {
        this.stateRepository = stateRepository;
    }

    public Duration getTrackChangesFor() {
        return trackChangesFor;
    }

    public void setTrackChangesFor(Duration trackChangesFor) {
        this.trackChangesFor = trackChangesFor;
    }

    public Duration getReconcileInterval() {
        return reconcileInterval;
    }

    public void setReconcileInterval(Duration reconcileInterval) {
        this.reconcileInterval = reconcileInterval;
    }

    public Boolean getSkipUnreadableMessages() {
        return skipUnreadableMessages;
    }

    public void setSkipUnreadableMessages(Boolean skipUnreadableMessages) {
        this.skipUnreadableMessages = skipUnreadableMessages;
    }

    public Boolean getLazyStartProducer() {
        return lazyStartProducer;
    }

    public void setLazyStartProducer(Boolean lazyStartProducer) {
        this.lazyStartProducer = lazyStartProducer;
    }

    public Boolean getAutowiredEnabled() {
        return autowiredEnabled;
    }

    public void setAutowiredEnabled(Boolean autowiredEnabled) {
        this.autowiredEnabled = autowiredEnabled;
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Double getMaxRequestsPerSecond() {
        return maxRequestsPerSecond;
    }

    public void setMaxRequestsPerSecond(Double maxRequestsPerSecond) {
        this.maxRequestsPerSecond = maxRequestsPerSecond;
    }

    public Integer getSchedulerPoolSize() {
        return schedulerPoolSize;
    }

    public void setSchedulerPoolSize(Integer schedulerPoolSize) {
        this.schedulerPoolSize = schedulerPoolSize;
    }

    public Integer getMaxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(Integer maxRetries) {
        this.maxRetries = maxRetries;
    }

    public Duration getMaxRetryDelay() {
        return maxRetryDelay;
    }

    public void setMaxRetryDelay(Duration maxRetryDelay) {
        this.maxRetryDelay = maxRetryDelay;
    }

    public Duration getResponseTimeout() {
        return responseTimeout;
    }

    public void setResponseTimeout(Duration responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    public Duration getRetryDelay() {
        return retryDelay;
    }

    public void setRetryDelay(Duration retryDelay) {
        this.retryDelay = retryDelay;
    }

    public Boolean getHealthCheckConsumerEnabled() {
        return healthCheckConsumerEnabled;
    }

    public void setHealthCheckConsumerEnabled(Boolean healthCheckConsumerEnabled) {
        this.healthCheckConsumerEnabled = healthCheckConsumerEnabled;
    }

    public Boolean getHealthCheckProducerEnabled() {
        return healthCheckProducerEnabled;
    }

    public void setHealthCheckProducerEnabled(Boolean healthCheckProducerEnabled) {
        this.healthCheckProducerEnabled = healthCheckProducerEnabled;
    }

    public AccessTokenProvider getAccessTokenProvider() {
        return accessTokenProvider;
    }

    public void setAccessTokenProvider(AccessTokenProvider accessTokenProvider) {
        this.accessTokenProvider = accessTokenProvider;
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
}
