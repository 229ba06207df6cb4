"""A small store for the web app tests, filled row by row from short texts written for them.

Four documents: a meeting in Oslo and a quote about it, a second report of
the same meeting, an accusation with a death toll, and a hostile article
whose title, text, outlet and link carry markup, a script and a
`javascript:` link. Actors include one whose name is markup. Every record is
located by its words, as an extractor would; the database keeps the search index
current as the rows go in.
"""

from __future__ import annotations

from row_store import RowStore

from detente.store.schema import claims, disputes, documents, events, quotes

SCRIPT = "<script>alert(1)</script>"
JS_LINK = '<a href="javascript:alert(2)">read more</a>'
HOSTILE_NAME = "<img src=x onerror=alert(3)>"

OSLO = (
    "Envoy Amara Okafor met Istvan Varga in Oslo on Tuesday to discuss a truce. "
    '"We are closer than we were a month ago," Okafor said after the meeting.\n\n'
    "Varga said the northern council supports the truce plan."
)
SECOND = "The two envoys held talks in Oslo this week, officials said. Norway backs the truce plan."
ACCUSE = (
    "Norway accused Finland of arming the rebels on Monday. "
    "At least 1,200 people have died since the spring, the monitors said."
)
HOSTILE = (
    f"A reader sent {SCRIPT} and <b>bold</b> text with {JS_LINK} to the desk.\n\n"
    f'Finland rejected the toll: "Fewer than 900 died, {SCRIPT}," its envoy said. '
    f"{HOSTILE_NAME} denied everything."
)

ACTORS = {
    "amara-okafor": ("Amara Okafor", "person", "NGA"),
    "istvan-varga": ("Istvan Varga", "person", "HUN"),
    "norway": ("Norway", "state", "NOR"),
    "finland": ("Finland", "state", "FIN"),
    "hostile-actor": (HOSTILE_NAME, "group", None),
}
NAMES = {
    "Amara Okafor": "amara-okafor", "Okafor": "amara-okafor", "Istvan Varga": "istvan-varga", "Varga": "istvan-varga",
    "Norway": "norway", "Finland": "finland", HOSTILE_NAME: "hostile-actor",
}


class WebStore(RowStore):
    """The store, and the ids of the rows the tests look for."""

    names = NAMES
    extractor = "core/2"

    def _fill(self) -> None:
        self._doc("0a1b2c3d4e5f6071", OSLO, "2013-05-07", "Envoys meet in Oslo", "Harbour Post")
        self._doc("1b2c3d4e5f607182", SECOND, "2013-05-09", "Talks in Oslo continue", "Northern Courier")
        self._doc("2c3d4e5f60718293", ACCUSE, "2013-09-16", "Accusations fly", "Harbour Post")
        self._doc("3d4e5f6071829304", HOSTILE, "2013-10-04", f"Markup {SCRIPT} test", f"Desk <i>{SCRIPT}</i>",
                  uri="javascript:alert(4)")
        self._actors(ACTORS)
        oslo, second, accuse, hostile = self.texts
        self.ids["met"] = self._event(oslo, "Envoy Amara Okafor met Istvan Varga in Oslo on Tuesday", "CONSULT",
                                      ["amara-okafor"], ["istvan-varga"], "2013-05-07", "on Tuesday")
        self.ids["talks"] = self._event(second, "The two envoys held talks in Oslo this week", "CONSULT",
                                        ["amara-okafor", "istvan-varga"], [], "2013-05-06/2013-05-12", "this week")
        self.ids["accused"] = self._event(accuse, "Norway accused Finland of arming the rebels on Monday", "ACCUSE",
                                          ["norway"], ["finland"], "2013-09-16", "on Monday")
        self.ids["rejected"] = self._event(hostile, "Finland rejected the toll", "REJECT", ["finland"], ["hostile-actor"],
                                           "2013-10-04", None)
        self.ids["quote"] = self._quote(oslo, "We are closer than we were a month ago", "amara-okafor", "Okafor")
        self.ids["hostile_quote"] = self._quote(hostile, f"Fewer than 900 died, {SCRIPT},", "finland", "its envoy")
        self.ids["supports"] = self._stance(oslo, "Varga said the northern council supports the truce plan.",
                                            "istvan-varga", "truce-plan", "support")
        self.ids["backs"] = self._stance(second, "Norway backs the truce plan.", "norway", "truce-plan", "support")
        self.ids["hostile_stance"] = self._stance(hostile, f"{HOSTILE_NAME} denied everything.", "hostile-actor",
                                                  "truce-plan", "oppose", condition=JS_LINK)
        self.ids["toll"] = self._claim(accuse, "At least 1,200 people have died", low=1200, attributed="norway")
        self.ids["lower_toll"] = self._claim(hostile, "Fewer than 900 died", high=900, attributed="finland")
        self._insert(disputes, a_kind="claim", a_id=self.ids["toll"], b_kind="claim", b_id=self.ids["lower_toll"],
                     kind="contradiction", extractor="disputes/1", confidence=0.6)

    @property
    def hostile_doc(self) -> str:
        return list(self.texts)[3]

    @property
    def oslo_doc(self) -> str:
        return next(iter(self.texts))

    # -------------------------------------------------------------------- rows

    def _doc(self, doc: str, text: str, published: str, title: str, outlet: str, uri: str | None = None) -> None:
        self._insert(documents, id=doc, content_hash=doc, text=text, removed=[f"Menu | {SCRIPT}"], reader="text",
                     ingested_at="2020-01-01", published=published, title=title, outlet=outlet,
                     uri=uri or f"https://example.org/{doc}")
        self.texts[doc] = text

    def _event(self, doc, words, type_, doers, receivers, date, date_text) -> int:
        start, end = self.span(doc, words)
        return self._insert(events, doc=doc, start=start, end=end, type=type_, mode=None, actors=doers,
                            recipients=receivers, date=date, date_text=date_text, location="Oslo",
                            status="reported", text=words, extractor="core/2", confidence=0.8)

    def _quote(self, doc, words, speaker, speaker_text) -> int:
        start, end = self.span(doc, words)
        return self._insert(quotes, doc=doc, start=start, end=end, speaker=speaker, speaker_text=speaker_text,
                            cue="said", content=words, kind="direct", extractor="core/2", confidence=0.9)

    def _claim(self, doc, words, low=None, high=None, attributed=None) -> int:
        start, end = self.span(doc, words)
        return self._insert(claims, doc=doc, start=start, end=end, subject="oslo-conflict", property="death_toll",
                            low=low, high=high, unit="people", attributed_to=attributed, source_text="monitors",
                            extractor="core/2", confidence=0.4)
