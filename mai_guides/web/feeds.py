"""/<lang>/feed.atom: the news of one language as an Atom feed (RFC 4287), written with feedgen.

Each entry is the post as its page shows it: title, summary, the label that says when and where it
was first published (the 2017 newsletter, or a partner's feed it was imported from), the machine
draft notice of an unchecked translation, and the post's HTML (already sanitized by the build).
Ids are URNs derived from the language and the post's name, so they stay the same when the site
moves; links are absolute when MAI_BASE_URL names the public site, else relative to it.
"""
from __future__ import annotations

import datetime as dt
import uuid

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from flask import current_app, g, url_for
from flask_babel import gettext as _
from lxml import etree
from markupsafe import escape

from .. import db
from ..i18n import current_locale
from ..pdf.documents import printed_address
from .api_records import notice
from .language_blueprint import localized_blueprint

bp = localized_blueprint("feeds", __name__)
ATOM_TYPE = "application/atom+xml"
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/mai-guides")  # a fixed root for our URNs
NEWSLETTER = "Mobilizing Against Inequality"  # the author of the 2017 newsletter's posts


def init_app(app) -> None:
    app.register_blueprint(bp)


def absolute(url: str) -> str:
    """A site URL made absolute with the public address when there is one (feed readers need it)."""
    base = printed_address(current_app.config["MAI_BASE_URL"])
    return f"{base}{url}" if base else url


def urn(*parts: str) -> str:
    """A stable Atom id: the same post in the same language keeps it wherever the site is served."""
    return uuid.uuid5(ID_NAMESPACE, ":".join(parts)).urn


def published(post: dict) -> dt.datetime:
    """When a post was published; a post known only by its year stands at 1 January of that year
    (Atom requires a full date-time; its label still says the year alone)."""
    if post["date"] and "T" in post["date"]:
        return dt.datetime.fromisoformat(post["date"].replace("Z", "+00:00"))
    day = dt.date.fromisoformat(post["date"]) if post["date"] else dt.date(post["year"], 1, 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


class ExtraLinks(BaseExtension):
    """feedgen writes an entry's links without their rel (feedgen 1.0.0), so the `via` link to an
    imported post's original is added here, after feedgen has built the entry."""


class ExtraEntryLinks(BaseEntryExtension):
    def __init__(self):
        self.links: list[dict] = []

    def extend_atom(self, entry):
        for link in self.links:
            etree.SubElement(entry, "link", link)
        return entry


def entry_html(post: dict) -> str:
    """The entry's content: the post's label, the draft notice, its text, a link to its original."""
    parts = [f"<p><em>{escape(notice('news_label', post))}</em></p>"]
    if current_locale().machine_draft:
        parts.append(f"<p>{escape(notice('machine_draft_text'))}</p>")
    parts.append(post["html"])
    if post["source"]:
        parts.append(f'<p><a href="{escape(post["source"])}">{escape(_("Read the original post"))}</a></p>')
    return "".join(parts)


def add_entry(feed: FeedGenerator, post: dict) -> None:
    entry = feed.add_entry(order="append")
    entry.id(urn("news", g.lang_code, post["slug"]))
    entry.title(post["title"])
    entry.link(href=absolute(url_for("pages.news_post", slug=post["slug"])))
    if post["source"]:
        entry.links.links.append({"rel": "via", "href": post["source"]})
    when = published(post)
    if post["date"]:
        entry.published(when)  # a post known by its year alone has no day to give
    entry.updated(when)
    entry.author({"name": post["author"] or post["source_name"] or NEWSLETTER})
    entry.summary(post["summary"])
    entry.content(entry_html(post), type="html")
    for tag in post["tags"]:
        entry.category(term=tag)


def news_feed() -> bytes:
    """This language's news as Atom, newest first."""
    posts = db.news_posts(g.lang_code)
    feed = FeedGenerator()
    feed.register_extension("links", ExtraLinks, ExtraEntryLinks, atom=True, rss=False)
    feed.id(urn("news", g.lang_code))
    feed.title(f"{_('News')} · MAI Guides")
    feed.subtitle(notice("news_lead", posts))
    feed.language(g.lang_code)
    feed.author({"name": "MAI Guides"})
    feed.generator("MAI Guides")
    feed.link(href=absolute(url_for("pages.news_index")), rel="alternate", type="text/html")
    if printed_address(current_app.config["MAI_BASE_URL"]):
        feed.link(href=absolute(url_for("feeds.news_feed_view")), rel="self", type=ATOM_TYPE)
    feed.updated(max((published(post) for post in posts), default=dt.datetime(2017, 1, 1, tzinfo=dt.timezone.utc)))
    for post in posts:
        add_entry(feed, post)
    return feed.atom_str(pretty=True)


@bp.get("/feed.atom")
def news_feed_view():
    return current_app.response_class(news_feed(), mimetype=ATOM_TYPE)
