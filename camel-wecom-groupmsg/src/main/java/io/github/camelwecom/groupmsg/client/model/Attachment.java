package io.github.camelwecom.groupmsg.client.model;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One attachment of a mass message. {@code msgtype} names the member that carries the payload, as WeCom sends it:
 * {@code {"msgtype":"image","image":{…}}}. A type WeCom adds later keeps its payload in {@link #getPayload()}, and so
 * does a known type whose payload does not fit its class (e.g. {@code "image":""}: {@link #getImage()} is null).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "msgtype", "image", "link", "miniprogram", "video", "file" })
public class Attachment extends UnknownFields {

    public static final String IMAGE = "image";
    public static final String LINK = "link";
    public static final String MINIPROGRAM = "miniprogram";
    public static final String VIDEO = "video";
    public static final String FILE = "file";

    private String msgtype;
    private Image image;
    private Link link;
    private MiniProgram miniprogram;
    private Media video;
    private Media file;

    public String getMsgtype() {
        return msgtype;
    }

    public void setMsgtype(String msgtype) {
        this.msgtype = msgtype;
    }

    public Image getImage() {
        return image;
    }

    public void setImage(Image image) {
        this.image = image;
    }

    public Link getLink() {
        return link;
    }

    public void setLink(Link link) {
        this.link = link;
    }

    public MiniProgram getMiniprogram() {
        return miniprogram;
    }

    public void setMiniprogram(MiniProgram miniprogram) {
        this.miniprogram = miniprogram;
    }

    public Media getVideo() {
        return video;
    }

    public void setVideo(Media video) {
        this.video = video;
    }

    public Media getFile() {
        return file;
    }

    public void setFile(Media file) {
        this.file = file;
    }

    /** Whether {@code msgtype} is one this version knows as a typed payload. */
    @JsonIgnore
    public boolean isKnownType() {
        return IMAGE.equals(msgtype) || LINK.equals(msgtype) || MINIPROGRAM.equals(msgtype) || VIDEO.equals(msgtype)
                || FILE.equals(msgtype);
    }

    /**
     * The payload as raw JSON (the member named by {@code msgtype}) when it has no typed form: a type this version does
     * not know, or a known type whose payload did not fit its class; else null.
     */
    @JsonIgnore
    public JsonNode getPayload() {
        return msgtype == null ? null : getUnknownField(msgtype);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attachment a && Objects.equals(msgtype, a.msgtype) && Objects.equals(image, a.image)
                && Objects.equals(link, a.link) && Objects.equals(miniprogram, a.miniprogram)
                && Objects.equals(video, a.video) && Objects.equals(file, a.file)
                && Objects.equals(getUnknownFields(), a.getUnknownFields());
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(msgtype);
    }

    @Override
    public String toString() {
        return "Attachment[" + msgtype + "]";
    }

    /** An image attachment. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({ "media_id", "pic_url" })
    public static class Image extends UnknownFields {
        @JsonProperty("media_id")
        private String mediaId;
        @JsonProperty("pic_url")
        private String picUrl;

        public String getMediaId() {
            return mediaId;
        }

        public void setMediaId(String mediaId) {
            this.mediaId = mediaId;
        }

        public String getPicUrl() {
            return picUrl;
        }

        public void setPicUrl(String picUrl) {
            this.picUrl = picUrl;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Image i && Objects.equals(mediaId, i.mediaId) && Objects.equals(picUrl, i.picUrl)
                    && Objects.equals(getUnknownFields(), i.getUnknownFields());
        }

        @Override
        public int hashCode() {
            return Objects.hash(mediaId, picUrl);
        }
    }

    /** A link card. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({ "title", "picurl", "desc", "url" })
    public static class Link extends UnknownFields {
        private String title;
        private String picurl;
        private String desc;
        private String url;

        public String getTitle() {
            return title;
        }

        public void setTitle(String title) {
            this.title = title;
        }

        public String getPicurl() {
            return picurl;
        }

        public void setPicurl(String picurl) {
            this.picurl = picurl;
        }

        public String getDesc() {
            return desc;
        }

        public void setDesc(String desc) {
            this.desc = desc;
        }

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Link l && Objects.equals(title, l.title) && Objects.equals(picurl, l.picurl)
                    && Objects.equals(desc, l.desc) && Objects.equals(url, l.url)
                    && Objects.equals(getUnknownFields(), l.getUnknownFields());
        }

        @Override
        public int hashCode() {
            return Objects.hash(title, url);
        }
    }

    /** A mini program card. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({ "title", "pic_media_id", "appid", "page" })
    public static class MiniProgram extends UnknownFields {
        private String title;
        @JsonProperty("pic_media_id")
        private String picMediaId;
        private String appid;
        private String page;

        public String getTitle() {
            return title;
        }

        public void setTitle(String title) {
            this.title = title;
        }

        public String getPicMediaId() {
            return picMediaId;
        }

        public void setPicMediaId(String picMediaId) {
            this.picMediaId = picMediaId;
        }

        public String getAppid() {
            return appid;
        }

        public void setAppid(String appid) {
            this.appid = appid;
        }

        public String getPage() {
            return page;
        }

        public void setPage(String page) {
            this.page = page;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MiniProgram m && Objects.equals(title, m.title)
                    && Objects.equals(picMediaId, m.picMediaId) && Objects.equals(appid, m.appid)
                    && Objects.equals(page, m.page) && Objects.equals(getUnknownFields(), m.getUnknownFields());
        }

        @Override
        public int hashCode() {
            return Objects.hash(appid, page);
        }
    }

    /** A video or file: a media id. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Media extends UnknownFields {
        @JsonProperty("media_id")
        private String mediaId;

        public String getMediaId() {
            return mediaId;
        }

        public void setMediaId(String mediaId) {
            this.mediaId = mediaId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Media m && Objects.equals(mediaId, m.mediaId)
                    && Objects.equals(getUnknownFields(), m.getUnknownFields());
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(mediaId);
        }
    }
}
