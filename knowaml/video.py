"""Privacy-enhanced players: nothing loads from the video host until the visitor clicks."""

from urllib.parse import parse_qs, urlencode, urlsplit

from .languages import SOURCE_LANGUAGE, language_codes, language_name_local

YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtu.be",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


def _youtube_id(parts):
    if parts.hostname == "youtu.be":
        return parts.path.strip("/").split("/")[0]
    if parts.path == "/watch":
        return parse_qs(parts.query).get("v", [""])[0]
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) >= 2 and segments[0] in {"embed", "shorts", "live"}:
        return segments[1]
    return ""


def embed_url(url, language):
    """The player address on a privacy-enhanced host, with captions in ``language``."""
    parts = urlsplit(url or "")
    if parts.hostname in YOUTUBE_HOSTS:
        video = _youtube_id(parts)
        if not video:
            return None
        query = {"cc_load_policy": 1, "cc_lang_pref": language, "hl": language, "rel": 0}
        return f"https://www.youtube-nocookie.com/embed/{video}?{urlencode(query)}"
    if parts.hostname in VIMEO_HOSTS:
        video = next((s for s in parts.path.split("/") if s.isascii() and s.isdigit()), None)
        if not video:
            return None
        query = {"dnt": 1, "texttrack": language}
        return f"https://player.vimeo.com/video/{video}?{urlencode(query)}"
    return None


def host_name(url):
    return urlsplit(url or "").hostname or ""


def caption_tracks(obj, language, field="video_captions"):
    """WebVTT tracks of a self-hosted video, the page's language switched on by default."""
    tracks = [
        {"src": captions.url, "srclang": code, "label": language_name_local(code)}
        for code in language_codes()
        if (captions := getattr(obj, f"{field}_{code}"))
    ]
    codes = [track["srclang"] for track in tracks]
    default = (
        language if language in codes else SOURCE_LANGUAGE if SOURCE_LANGUAGE in codes else None
    )
    for track in tracks:
        track["default"] = track["srclang"] == default
    return tracks
