package io.github.camelwecom.groupmsg.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Makes plausible message texts and attachments in WeCom's attachment shapes. */
final class ContentGenerator {
    static final List<String> KNOWN_TYPES = List.of("image", "link", "miniprogram", "video", "file");
    /** A type WeCom does not document for these APIs, for clients that must pass unknown types through. */
    static final String UNKNOWN_TYPE = "channels";

    private static final String[] GREETINGS = { "亲爱的客户您好，", "尊敬的会员：", "您好！", "", "早上好，" };
    private static final String[] BODIES = {
            "双十一大促提前购开启，全场满300减50。",
            "国庆假期门店营业时间调整为10:00-21:00。",
            "秋季新品护肤套装已到店，欢迎预约体验。",
            "您的专属顾问为您准备了一份会员礼遇。",
            "本周六下午两点举办线下沙龙，名额有限。",
            "年终答谢会员日，积分可抵现金使用。",
            "冬季保暖系列上新，老客户享受九折优惠。",
            "感谢您一直以来的支持，祝您生活愉快。",
            "您关注的商品已降价，库存不多。",
            "元旦活动预告：12月31日晚八点直播抽奖。",
    };
    private static final String[] CLOSINGS = { "点击下方链接了解详情。", "回复1预约。", "如有疑问请随时联系我。", "", "期待您的光临！" };
    private static final String[] TITLES = { "双十一狂欢购", "会员专享礼", "新品上市", "门店活动报名", "年终答谢", "使用指南" };
    private static final String[] DESCS = { "限时优惠，先到先得", "点击查看活动详情", "老客户专属福利", "报名截止本周日" };
    private static final String[] NICKNAMES = { "品牌官方视频号", "门店直播间", "会员俱乐部" };

    private final boolean unknownTypes;

    ContentGenerator(boolean unknownTypes) {
        this.unknownTypes = unknownTypes;
    }

    record Content(String text, List<Attachment> attachments) {
    }

    /**
     * Content of one message. {@code ordinal} is the message's number within its chat type: the first ones get one
     * attachment of each type so every type is always present.
     */
    Content next(SplittableRandom rnd, long key, int ordinal) {
        List<Attachment> attachments = new ArrayList<>();
        double r = rnd.nextDouble();
        int count = r < 0.35 ? 0 : r < 0.75 ? 1 : r < 0.9 ? 2 + rnd.nextInt(2) : 4 + rnd.nextInt(6);
        for (int i = 0; i < count; i++) {
            String type = unknownTypes && rnd.nextDouble() < 0.05
                    ? UNKNOWN_TYPE : KNOWN_TYPES.get(rnd.nextInt(KNOWN_TYPES.size()));
            attachments.add(attachment(type, rnd, Hashing.mix(key, i)));
        }
        if (ordinal < KNOWN_TYPES.size()) {
            forceType(attachments, KNOWN_TYPES.get(ordinal), rnd, key);
        } else if (ordinal == KNOWN_TYPES.size() && unknownTypes) {
            forceType(attachments, UNKNOWN_TYPE, rnd, key);
        }
        boolean withText = attachments.isEmpty() || rnd.nextDouble() >= 0.12;
        return new Content(withText ? text(rnd) : null, attachments);
    }

    private void forceType(List<Attachment> attachments, String type, SplittableRandom rnd, long key) {
        Attachment a = attachment(type, rnd, Hashing.mix(key, 99));
        if (attachments.size() == 9) {
            attachments.set(8, a);
        } else {
            attachments.add(a);
        }
    }

    private static String text(SplittableRandom rnd) {
        return pick(rnd, GREETINGS) + pick(rnd, BODIES) + pick(rnd, CLOSINGS);
    }

    private static Attachment attachment(String type, SplittableRandom rnd, long h) {
        switch (type) {
            case "image" :
                return new Attachment(type, List.of("media_id", "pic_url"),
                        List.of(mediaId(h), "https://wework.qpic.cn/wwpic/" + Hashing.id("", h + 1, 20) + "/0"));
            case "link" :
                return new Attachment(type, List.of("title", "picurl", "desc", "url"),
                        List.of(pick(rnd, TITLES), "https://wework.qpic.cn/wwpic/" + Hashing.id("", h + 2, 20) + "/0",
                                pick(rnd, DESCS), "https://shop.example.com/activity/" + (1000 + rnd.nextInt(9000))));
            case "miniprogram" :
                return new Attachment(type, List.of("title", "pic_media_id", "appid", "page"),
                        List.of(pick(rnd, TITLES), mediaId(h), "wx" + Long.toHexString(Hashing.mix(h, 3) | 1L << 63),
                                "pages/goods/detail?id=" + (10000 + rnd.nextInt(90000))));
            case "video" :
            case "file" :
                return new Attachment(type, List.of("media_id"), List.of(mediaId(h)));
            case UNKNOWN_TYPE :
                return new Attachment(type, List.of("nickname", "feed_id"),
                        List.of(pick(rnd, NICKNAMES), "export/" + Hashing.id("", h + 4, 40)));
            default :
                throw new IllegalArgumentException(type);
        }
    }

    private static String mediaId(long h) {
        return Hashing.id("3", h, 40);
    }

    private static String pick(SplittableRandom rnd, String[] options) {
        return options[rnd.nextInt(options.length)];
    }
}
