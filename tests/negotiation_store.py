"""A small store for the export and network tests, filled row by row from short texts written for them.

Three documents: a report of a meeting and an accusation; a later report with
hostile text (markup, quotes, commas, line breaks) and a planned three-party
meeting; and a verbatim copy of the first report, which the networks must not
count twice. Every record is located by its words, as an extractor would.
"""

from __future__ import annotations

from row_store import RowStore

from detente.store.schema import claims, dates, disputes, documents, events, quotes

FIRST = (
    "Envoy Ilsa Varga met Foreign Minister Tomas Brandt in Lisbon on Monday. "
    "Mr. Brandt accused the Coastal Front of breaking the truce.\n\n"
    "The Coastal Front said it backs the Lisbon talks."
)
HOSTILE_QUOTE = '<script>alert("x")</script>, we said, "no deal"\nand left'
SECOND = (
    f'Brandt told the Gazette: "{HOSTILE_QUOTE}". '
    "Varga will host Brandt and the Coastal Front in Porto next month.\n\n"
    "Brandt rejected the Coastal Front, calling its plan \"a trap, nothing more\"."
)
HOSTILE_TITLE = 'Talks <b>stall</b>, "again" & <script>alert(1)</script>'
HOSTILE_OUTLET = 'Gazette, "Lakeside" <i>edition</i>'

ACTORS = {
    "ilsa-varga": ("Ilsa Varga", "person", None),
    "tomas-brandt": ("Tomas Brandt", "person", "PRT"),
    "coastal-front": ('Coastal Front, "the <Front>"', "group", "PRT"),
}
# Surface words → actor, per document.
NAMES = {"Ilsa Varga": "ilsa-varga", "Varga": "ilsa-varga", "Tomas Brandt": "tomas-brandt",
         "Brandt": "tomas-brandt", "Coastal Front": "coastal-front"}


class NegotiationStore(RowStore):
    """The store, and the ids of the rows the tests look for."""

    names = NAMES
    extractor = "stances/1"

    def _fill(self) -> None:
        self._doc("doc-first", FIRST, "2015-01-20", "Varga meets Brandt", "Harbour Post")
        self._doc("doc-second", SECOND, "2015-02-03", HOSTILE_TITLE, HOSTILE_OUTLET)
        self._doc("doc-copy", FIRST, "2015-01-21", "Varga meets Brandt", "Copy Site", duplicate_of="doc-first")
        self._actors(ACTORS)
        first_sentence = "Envoy Ilsa Varga met Foreign Minister Tomas Brandt in Lisbon on Monday."
        self.ids["met"] = self._event("doc-first", first_sentence, "CONSULT", ["ilsa-varga"], ["tomas-brandt"],
                                      "2015-01-19", "on Monday")
        self.ids["accused"] = self._event("doc-first", "Mr. Brandt accused the Coastal Front of breaking the truce.",
                                          "ACCUSE", ["tomas-brandt"], ["coastal-front"], "2015-01", None)
        self.ids["host"] = self._event("doc-second", "Varga will host Brandt and the Coastal Front in Porto next month.",
                                       "CONSULT", ["tomas-brandt", "ilsa-varga", "coastal-front"], [], "2015-03",
                                       "next month", status="planned", mode="third-party", location="Porto")
        self.ids["copied"] = self._event("doc-copy", first_sentence, "CONSULT", ["ilsa-varga"], ["tomas-brandt"],
                                         "2015-01-19", "on Monday")
        self.ids["quote"] = self._quote("doc-second", HOSTILE_QUOTE, "tomas-brandt")
        self.ids["backs"] = self._stance("doc-first", "The Coastal Front said it backs the Lisbon talks.",
                                         "coastal-front", "lisbon-talks", "support")
        self.ids["rejects"] = self._stance("doc-second", 'Brandt rejected the Coastal Front, calling its plan',
                                           "tomas-brandt", "coastal-front", "oppose", condition='"a trap", he said,\nflatly')
        self.ids["claim"] = self._claim("doc-second", "a trap, nothing more")
        start, end = self.span("doc-first", "on Monday")
        self._insert(dates, doc="doc-first", start=start, end=end, text="on Monday", value="2015-01-19",
                     precision="day", extractor="core/1", confidence=0.9)
        self._insert(disputes, a_kind="quote", a_id=self.ids["quote"], b_kind="claim", b_id=self.ids["claim"],
                     kind="rebuttal", extractor="disputes/1", confidence=0.5)

    # -------------------------------------------------------------------- rows

    def _doc(self, doc: str, text: str, published: str, title: str, outlet: str, duplicate_of: str | None = None) -> None:
        self._insert(documents, id=doc, content_hash=doc, text=text, removed=['Menu | "Home", <nav>'],
                     reader="text", ingested_at="2020-01-01", published=published, title=title, outlet=outlet,
                     uri=f"https://example.org/{doc}?a=1&b=<2>", duplicate_of=duplicate_of,
                     relation="copy" if duplicate_of else None, similarity=1.0 if duplicate_of else None)
        self.texts[doc] = text

    def _event(self, doc, words, type_, doers, receivers, date, date_text, status="reported", mode=None, location=None) -> int:
        start, end = self.span(doc, words)
        return self._insert(events, doc=doc, start=start, end=end, type=type_, mode=mode, actors=doers,
                            recipients=receivers, date=date, date_text=date_text, location=location,
                            status=status, text=words, extractor="events/1", confidence=0.8)

    def _quote(self, doc, words, speaker) -> int:
        start, end = self.span(doc, words)
        return self._insert(quotes, doc=doc, start=start, end=end, speaker=speaker, speaker_text="Brandt",
                            cue="told", content=words, kind="direct", extractor="core/1", confidence=0.9)

    def _claim(self, doc, words) -> int:
        start, end = self.span(doc, words)
        return self._insert(claims, doc=doc, start=start, end=end, subject="porto-plan", property="pages",
                            value=12.5, unit="pages", attributed_to="tomas-brandt", source_text="Brandt",
                            extractor="claims/1", confidence=0.6)
