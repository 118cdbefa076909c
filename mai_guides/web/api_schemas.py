"""The JSON Schemas (2020-12, as OpenAPI 3.1 uses them) of the API's answers (api_records.py).

Every object is closed (`additionalProperties: false`) and lists every property as required, so
the tests, which validate every answer against these, notice a field that is added, renamed or
dropped without its description.
"""
from __future__ import annotations


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def closed(description: str, **properties) -> dict:
    """An object with exactly these properties, all present (a value may be null where its schema says)."""
    return {"type": "object", "description": description, "properties": properties,
            "required": list(properties), "additionalProperties": False}


def text(description: str, **extra) -> dict:
    return {"type": "string", "description": description, **extra}


def nullable(schema: dict) -> dict:
    return {**schema, "type": [schema["type"], "null"]}


def link(description: str) -> dict:
    return text(f"{description}. Relative to the site: resolve it against the address of this JSON.",
                format="uri-reference")


def array(items: dict, description: str) -> dict:
    return {"type": "array", "items": items, "description": description}


CODE = text("A BCP 47 language tag, as in the site's addresses", examples=["es", "zh-Hans"])
LANG_OR_NULL = nullable(text("The language this text is shown in when it is not translated yet (it falls "
                             "back along the language's chain); null when it is in the requested language"))
HTML = text("Sanitized HTML (only p, ul, ol, li, h2-h4, a, strong, em, code, br, span and bdi, with lang, dir "
            "and class attributes); safe to insert into a page")
SLUG = text("The name in addresses", pattern="^[a-z0-9]+(?:-[a-z0-9]+)*$")

NEWS_ITEM = dict(
    slug=SLUG, title=text("Title"), summary=text("Summary"),
    year={"type": "integer", "description": "The year it was first published"},
    date=nullable(text("When it was first published, when known to the day (YYYY-MM-DD or a UTC date-time)")),
    label=text("When and where it was first published, as its page says it; show it, so old news reads as old"),
    source=nullable(text("The original post, for a post taken from another site's feed", format="uri")),
    source_name=nullable(text("Who published it first")), author=nullable(text("Who wrote it")),
    url=link("Its page"), api_url=link("The whole post (API)"),
)

SCHEMAS = {
    "Review": closed(
        "Whether a person has checked the translation",
        state={"enum": ["source", "reviewed", "machine_draft"],
               "description": "source: English, the original; reviewed: checked by a person; machine_draft: not yet"},
        last_reviewed=nullable(text("When a person last checked it", format="date")),
        notice=nullable(text("For a machine draft: the notice, in the language, that every page must show with its text")),
    ),
    "Locale": closed(
        "A language of the site",
        code=CODE, name=text("Its name in itself"), english_name=text("Its name in English"),
        dir={"enum": ["ltr", "rtl"], "description": "Text direction"},
        fallback=array(CODE, "Languages shown, in order, where a text is not translated yet (English last)"),
        review=ref("Review"),
        translated_percent=closed("How much is translated",
                                  content={"type": "integer", "minimum": 0, "maximum": 100},
                                  interface={"type": "integer", "minimum": 0, "maximum": 100}),
        url=link("Its home page"), feed_url=link("Its Atom news feed"), guides_url=link("Its guides (API)"),
        cards_url=link("Its wallet cards (API)"), news_url=link("Its news (API)"),
    ),
    "LocaleList": closed("Every language of the site", locales=array(ref("Locale"), "In the site's order")),
    "GuideItem": closed(
        "A guide in a list", slug=SLUG, title=text("Title"), summary=text("One-sentence summary"),
        url=link("Its page"), api_url=link("The whole guide (API)"),
    ),
    "GuideList": closed("The guides in one language", locale=CODE, guides=array(ref("GuideItem"), "Every guide")),
    "Section": closed(
        "A part of a guide, under its heading (the first, `intro`, has none)",
        anchor=text("Its anchor on the guide's page"), heading=text("Its heading, plain text (empty for the intro)"),
        heading_lang=LANG_OR_NULL, heading_html=HTML, html=HTML,
        text=text("Its text without markup: paragraphs apart by a blank line, list items one a line"),
        url=link("The section on the guide's page"),
        review={"enum": ["source", "reviewed", "machine_draft"],
                "description": "source: shown in English, the original; reviewed: a person checked every "
                               "translated part of it; machine_draft: some of it is not checked yet"},
        reviewers=array(ref("Reviewer"), "Who checked it (for reviewed), newest first"),
    ),
    "Reviewer": closed("A person who checked a translation", name=text("Their name"), role=text("Their role"),
                       date=text("When", format="date")),
    "Source": closed("Where the guide's facts come from", title=text("Title"), url=text("Address", format="uri")),
    "LegalReview": closed("A lawyer's review of the English text as it is now",
                          reviewer=text("Who"), role=text("Their role"), date=text("When", format="date")),
    "Document": closed(
        "A printable PDF",
        kind={"enum": ["card", "sheet", "handout", "poster"],
              "description": "card: one wallet card (front and back); sheet: 10 cards a page; handout: the whole "
                             "guide; poster: a one-page door poster"},
        paper={"enum": ["letter", "a4", None], "description": "The paper it prints on; null for the card, its own size"},
        name=text("Its name as the guide's page lists it, in the language"),
        url=link("The PDF"), filename=text("The name it downloads as"), media_type={"const": "application/pdf"},
        width_mm={"type": "number", "description": "Page width in millimetres"},
        height_mm={"type": "number", "description": "Page height in millimetres"},
        bytes={"type": ["integer", "null"], "minimum": 1,
               "description": "Its size, when the build pre-rendered it (every card, Letter sheet and Letter handout "
                              "of a build with PDFs); null otherwise: the URL works all the same"},
    ),
    "Notices": closed(
        "What a page of this guide shows besides its text; show them with it",
        machine_draft=nullable(text("The machine-draft notice, for a translation no person has checked")),
        not_legal_advice=text("This is not legal advice, and what to do instead"),
        general_information=text("The short general-information notice of every page"),
        english_checked=text("When the English text was last checked"),
        legal_review=text("Whether a lawyer has checked the English text"),
    ),
    "Guide": closed(
        "A whole guide", locale=CODE, slug=SLUG, title=text("Title"), summary=text("Summary"),
        url=link("Its page"), api_url=link("This record"), title_lang=LANG_OR_NULL, summary_lang=LANG_OR_NULL,
        tags=array(text("A topic"), "Topics"), last_reviewed=text("When the English was last checked", format="date"),
        legal_review={"oneOf": [ref("LegalReview"), {"type": "null"}]},
        fallback_languages=array(CODE, "Languages some of its text is shown in, not translated yet"),
        notices=ref("Notices"), sections=array(ref("Section"), "In order"), sources=array(ref("Source"), "Sources"),
        documents=array(ref("Document"), "Its PDFs"), card_url=link("Its wallet card among the cards (API)"),
        related_news=array(ref("NewsItem"), "News posts about it"),
    ),
    "CardLine": closed(
        "A line of a card's front",
        text=text("The line"), english=array(text("An English phrase"), "English phrases the line quotes, to say "
                                             "to an officer word for word; mark them lang=en"),
        card_only={"type": "boolean", "description": "Speaks of the card itself (the door poster leaves it out)"},
    ),
    "Card": closed(
        "A wallet card", slug=SLUG, title=text("Title"), front=array(ref("CardLine"), "Its front, in the language"),
        back_title=text("The back's title, in English"), back=array(text("A line"), "Its back, in English: addressed "
                                                                     "to the officer"),
        back_lang={"const": "en"}, guide_url=link("Its guide's page"), guide_api_url=link("Its guide (API)"),
        documents=array(ref("Document"), "The card and its sheets of ten"),
    ),
    "CardList": closed("The wallet cards in one language", locale=CODE, cards=array(ref("Card"), "Every card")),
    "NewsItem": closed("A news post in a list", **NEWS_ITEM),
    "NewsList": closed("The news in one language, newest first", locale=CODE, news=array(ref("NewsItem"), "Posts")),
    "NewsPost": closed(
        "A whole news post", locale=CODE, **NEWS_ITEM, title_lang=LANG_OR_NULL, summary_lang=LANG_OR_NULL,
        tags=array(text("A topic"), "Topics"), html=HTML,
        text=text("Its text without markup: paragraphs apart by a blank line, list items one a line"),
        fallback_languages=array(CODE, "Languages some of its text is shown in, not translated yet"),
        notices=closed("What its page shows besides its text",
                       machine_draft=nullable(text("The machine-draft notice, for a translation no person has checked"))),
        related_guides=array(ref("GuideItem"), "The guides it relates to"),
    ),
    "Problem": closed("An error (RFC 9457)", type={"const": "about:blank"}, title=text("What went wrong"),
                      status={"type": "integer"}),
}
